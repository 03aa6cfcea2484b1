import Foundation
@testable import Simulators
import Testing

@Suite("NTLM session security and WinRM message encryption framing")
struct NTLMSealingTests {
    @Test("RC4 matches RFC 6229's first test vector (key 0102030405)")
    func rc4() {
        var cipher = RC4(key: [1, 2, 3, 4, 5])
        #expect(cipher.process([UInt8](repeating: 0, count: 16)) == [0xb2, 0x39, 0x63, 0x05, 0xf0, 0x3d, 0xc0, 0x27, 0xcc, 0xc3, 0x52, 0x4a, 0x0a, 0x11, 0x18, 0xa8])
    }

    static func pair(flags: UInt32) -> (client: NTLMSessionSecurity, server: NTLMSessionSecurity) {
        let key = NTLM.ntowfv2(password: "s3cret", user: "admin", domain: "LAB")
        let proof = [UInt8](repeating: 0x5a, count: 16), random = (0..<16).map { UInt8($0 * 7) }
        return (NTLMSessionSecurity(responseKeyNT: key, ntProofString: proof, encryptedRandomSessionKey: random, flags: flags, role: .client),
                NTLMSessionSecurity(responseKeyNT: key, ntProofString: proof, encryptedRandomSessionKey: random, flags: flags))
    }

    @Test("Sealed both ways with KEY_EXCH and 128-bit keys; sequence numbers advance; a tampered or replayed message is refused",
          arguments: [NTLM.Flag.keyExchange | NTLM.Flag.negotiate128 | NTLM.Flag.seal | NTLM.Flag.sign, NTLM.Flag.seal | NTLM.Flag.negotiate56])
    func roundTrip(_ flags: UInt32) throws {
        var (client, server) = Self.pair(flags: flags)
        for text in ["<s:Envelope>first</s:Envelope>", "second, longer message ✓"] {
            let (signature, sealed) = client.seal(Array(text.utf8))
            #expect(sealed != Array(text.utf8) && signature.count == 16 && signature.prefix(4) == [1, 0, 0, 0])
            #expect(try server.unseal(sealed, signature: signature) == Array(text.utf8))
            let reply = server.seal(Array("re: \(text)".utf8))
            #expect(try client.unseal(reply.sealed, signature: reply.signature) == Array("re: \(text)".utf8))
        }
        var tampered = client.seal(Array("pay 10".utf8))
        tampered.sealed[0] ^= 1
        #expect(throws: NTLMSessionSecurity.Failure.self) { try server.unseal(tampered.sealed, signature: tampered.signature) }
    }

    @Test("multipart/encrypted framing: what encode writes, decode reads back (as pywinrm frames it)")
    func framing() throws {
        let signature = [UInt8](repeating: 9, count: 16), sealed = Array("--Encrypted Boundary inside data".utf8)
        let body = WinRMEncryptedMessage.encode(signature: signature, sealed: sealed, length: 31)
        let text = String(decoding: body, as: UTF8.self)
        #expect(text.hasPrefix("--Encrypted Boundary\r\n\tContent-Type: application/HTTP-SPNEGO-session-encrypted\r\n\tOriginalContent: type=application/soap+xml;charset=UTF-8;Length=31\r\n--Encrypted Boundary\r\n\tContent-Type: application/octet-stream\r\n"))
        #expect(text.hasSuffix("--Encrypted Boundary--\r\n"))
        let decoded = try #require(WinRMEncryptedMessage.decode(body))
        #expect(decoded.length == 31 && decoded.signature == signature && decoded.sealed == sealed)
        #expect(WinRMEncryptedMessage.decode(Array("garbage".utf8)) == nil)
        #expect(WinRMEncryptedMessage.isEncrypted(contentType: WinRMEncryptedMessage.contentType))
        #expect(!WinRMEncryptedMessage.isEncrypted(contentType: "application/soap+xml;charset=UTF-8"))
    }
}
