import Crypto
import Foundation

/// NTLM (MS-NLMP) primitives the simulator's NTLMv2 check is built from, public so tests and
/// tools can compute the client side with the same formulas.
public enum NTLM {
    /// "NTLMSSP\0", the signature every NTLM message starts with.
    public static let signature: [UInt8] = Array("NTLMSSP".utf8) + [0]

    /// NEGOTIATE flags (MS-NLMP 2.2.2.5) the simulator reads or sets.
    public enum Flag {
        public static let unicode: UInt32 = 0x0000_0001
        public static let oem: UInt32 = 0x0000_0002
        public static let requestTarget: UInt32 = 0x0000_0004
        public static let sign: UInt32 = 0x0000_0010
        public static let seal: UInt32 = 0x0000_0020
        public static let ntlm: UInt32 = 0x0000_0200
        public static let alwaysSign: UInt32 = 0x0000_8000
        public static let targetTypeDomain: UInt32 = 0x0001_0000
        public static let extendedSessionSecurity: UInt32 = 0x0008_0000
        public static let targetInfo: UInt32 = 0x0080_0000
        public static let version: UInt32 = 0x0200_0000
        public static let negotiate128: UInt32 = 0x2000_0000
        public static let keyExchange: UInt32 = 0x4000_0000
        public static let negotiate56: UInt32 = 0x8000_0000
    }

    /// AV_PAIR identifiers (MS-NLMP 2.2.2.1).
    public enum AvID: UInt16, Sendable {
        case eol = 0, nbComputerName = 1, nbDomainName = 2, dnsComputerName = 3, dnsDomainName = 4, timestamp = 7
        /// MsvAvChannelBindings: MD5 of the client's `gss_channel_bindings_struct` (16 bytes).
        case channelBindings = 10
    }

    /// UTF-16LE bytes of `text`.
    public static func utf16le(_ text: String) -> [UInt8] {
        text.utf16.flatMap { [UInt8(truncatingIfNeeded: $0), UInt8(truncatingIfNeeded: $0 >> 8)] }
    }

    /// HMAC-MD5.
    public static func hmacMD5(key: [UInt8], data: [UInt8]) -> [UInt8] {
        Array(HMAC<Insecure.MD5>.authenticationCode(for: data, using: SymmetricKey(data: key)))
    }

    /// NTOWFv1 = MD4(UTF-16LE(password)), the "NT hash".
    public static func ntowfv1(password: String) -> [UInt8] {
        MD4.hash(utf16le(password))
    }

    /// NTOWFv2 = ResponseKeyNT = HMAC_MD5(NTOWFv1(password), UTF-16LE(uppercase(user) + domain)).
    public static func ntowfv2(password: String, user: String, domain: String) -> [UInt8] {
        hmacMD5(key: ntowfv1(password: password), data: utf16le(user.uppercased() + domain))
    }

    /// NTProofStr = HMAC_MD5(ResponseKeyNT, serverChallenge + blob); the NtChallengeResponse is it plus the blob.
    public static func ntProofString(responseKeyNT: [UInt8], serverChallenge: [UInt8], blob: [UInt8]) -> [UInt8] {
        hmacMD5(key: responseKeyNT, data: serverChallenge + blob)
    }

    /// Windows FILETIME (100 ns ticks since 1601-01-01) for `date`.
    public static func fileTime(_ date: Date) -> UInt64 {
        UInt64(max(0, (date.timeIntervalSince1970 + 11_644_473_600) * 10_000_000))
    }

    /// Encodes AV pairs (EOL appended).
    public static func avPairs(_ pairs: [(AvID, [UInt8])]) -> [UInt8] {
        var out: [UInt8] = []
        for (id, value) in pairs where id != .eol {
            out.appendLE16(id.rawValue)
            out.appendLE16(UInt16(value.count))
            out += value
        }
        out += [0, 0, 0, 0]
        return out
    }
}

/// A security buffer (len, maxlen, offset) in an NTLM message.
struct NTLMReader {
    let bytes: [UInt8]

    func le16(_ offset: Int) -> UInt16? {
        guard offset >= 0, offset + 2 <= bytes.count else { return nil }
        return UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8
    }

    func le32(_ offset: Int) -> UInt32? {
        guard let low = le16(offset), let high = le16(offset + 2) else { return nil }
        return UInt32(low) | UInt32(high) << 16
    }

    /// The payload a security buffer at `offset` points to, nil when it points outside the message.
    func field(at offset: Int) -> [UInt8]? {
        guard let length = le16(offset), let start = le32(offset + 4) else { return nil }
        if length == 0 { return [] }
        let begin = Int(start), end = begin + Int(length)
        guard end <= bytes.count else { return nil }
        return Array(bytes[begin..<end])
    }

    /// The message type when `bytes` is an NTLMSSP message.
    var messageType: UInt32? {
        guard bytes.count >= 12, Array(bytes[0..<8]) == NTLM.signature else { return nil }
        return le32(8)
    }
}

extension Array where Element == UInt8 {
    mutating func appendLE16(_ value: UInt16) {
        append(UInt8(truncatingIfNeeded: value)); append(UInt8(truncatingIfNeeded: value >> 8))
    }

    mutating func appendLE32(_ value: UInt32) {
        appendLE16(UInt16(truncatingIfNeeded: value)); appendLE16(UInt16(truncatingIfNeeded: value >> 16))
    }

    mutating func appendLE64(_ value: UInt64) {
        appendLE32(UInt32(truncatingIfNeeded: value)); appendLE32(UInt32(truncatingIfNeeded: value >> 32))
    }
}
