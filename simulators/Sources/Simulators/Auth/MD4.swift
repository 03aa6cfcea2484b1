/// MD4 (RFC 1320), needed only for the NTLM password hash (NTOWFv1 = MD4(UTF-16LE(password))).
/// Not a secure hash; swift-crypto does not provide it.
public enum MD4 {
    /// The 16-byte MD4 digest of `message`.
    public static func hash<Bytes: Collection>(_ message: Bytes) -> [UInt8] where Bytes.Element == UInt8 {
        var padded = Array(message)
        let bitLength = UInt64(padded.count) &* 8
        padded.append(0x80)
        while padded.count % 64 != 56 { padded.append(0) }
        for shift in stride(from: 0, to: 64, by: 8) { padded.append(UInt8(truncatingIfNeeded: bitLength >> UInt64(shift))) }

        var a: UInt32 = 0x6745_2301, b: UInt32 = 0xefcd_ab89, c: UInt32 = 0x98ba_dcfe, d: UInt32 = 0x1032_5476
        var x = [UInt32](repeating: 0, count: 16)
        for block in stride(from: 0, to: padded.count, by: 64) {
            for i in 0..<16 {
                let o = block + i * 4
                x[i] = UInt32(padded[o]) | UInt32(padded[o + 1]) << 8 | UInt32(padded[o + 2]) << 16 | UInt32(padded[o + 3]) << 24
            }
            let (aa, bb, cc, dd) = (a, b, c, d)
            func rotl(_ v: UInt32, _ s: UInt32) -> UInt32 { (v << s) | (v >> (32 - s)) }
            // Round 1: F(x,y,z) = xy | ~x z
            for i in 0..<4 {
                a = rotl(a &+ ((b & c) | (~b & d)) &+ x[4 * i], 3)
                d = rotl(d &+ ((a & b) | (~a & c)) &+ x[4 * i + 1], 7)
                c = rotl(c &+ ((d & a) | (~d & b)) &+ x[4 * i + 2], 11)
                b = rotl(b &+ ((c & d) | (~c & a)) &+ x[4 * i + 3], 19)
            }
            // Round 2: G(x,y,z) = xy | xz | yz, constant 0x5A827999
            for i in 0..<4 {
                a = rotl(a &+ ((b & c) | (b & d) | (c & d)) &+ x[i] &+ 0x5a82_7999, 3)
                d = rotl(d &+ ((a & b) | (a & c) | (b & c)) &+ x[i + 4] &+ 0x5a82_7999, 5)
                c = rotl(c &+ ((d & a) | (d & b) | (a & b)) &+ x[i + 8] &+ 0x5a82_7999, 9)
                b = rotl(b &+ ((c & d) | (c & a) | (d & a)) &+ x[i + 12] &+ 0x5a82_7999, 13)
            }
            // Round 3: H(x,y,z) = x ^ y ^ z, constant 0x6ED9EBA1, word order 0 8 4 12 / 2 10 6 14 / 1 9 5 13 / 3 11 7 15
            for i in [0, 2, 1, 3] {
                a = rotl(a &+ (b ^ c ^ d) &+ x[i] &+ 0x6ed9_eba1, 3)
                d = rotl(d &+ (a ^ b ^ c) &+ x[i + 8] &+ 0x6ed9_eba1, 9)
                c = rotl(c &+ (d ^ a ^ b) &+ x[i + 4] &+ 0x6ed9_eba1, 11)
                b = rotl(b &+ (c ^ d ^ a) &+ x[i + 12] &+ 0x6ed9_eba1, 15)
            }
            a = a &+ aa; b = b &+ bb; c = c &+ cc; d = d &+ dd
        }
        var digest: [UInt8] = []
        digest.reserveCapacity(16)
        for word in [a, b, c, d] {
            for shift in stride(from: 0, to: 32, by: 8) { digest.append(UInt8(truncatingIfNeeded: word >> UInt32(shift))) }
        }
        return digest
    }
}
