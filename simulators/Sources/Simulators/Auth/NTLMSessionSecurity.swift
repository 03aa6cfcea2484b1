import Crypto

/// NTLMv2 session security with extended session security (MS-NLMP 3.4.4–3.4.5): the keys derived
/// from the exported session key, one RC4 handle and sequence number per direction. WinRM uses it
/// for message encryption over http (`multipart/encrypted`, MS-WSMV 2.2.9.1.1).
struct NTLMSessionSecurity {
    /// A sealed message's signature did not verify.
    struct Failure: Error { var message: String }

    /// Which end this is: the server unseals what the client sealed and seals its replies; a
    /// client (for tests) the other way round.
    enum Role { case server, client }

    private var incomingSealing: RC4
    private var outgoingSealing: RC4
    private let incomingSigningKey: [UInt8]
    private let outgoingSigningKey: [UInt8]
    private let keyExchange: Bool
    private var incomingSequence: UInt32 = 0
    private var outgoingSequence: UInt32 = 0

    /// From an authenticated NTLMv2 AUTHENTICATE_MESSAGE: SessionBaseKey = HMAC_MD5(ResponseKeyNT,
    /// NTProofStr); with KEY_EXCH the exported key is RC4(SessionBaseKey, EncryptedRandomSessionKey).
    init(responseKeyNT: [UInt8], ntProofString: [UInt8], encryptedRandomSessionKey: [UInt8], flags: UInt32, role: Role = .server) {
        let baseKey = NTLM.hmacMD5(key: responseKeyNT, data: ntProofString)
        keyExchange = flags & NTLM.Flag.keyExchange != 0
        var exported = baseKey
        if keyExchange, encryptedRandomSessionKey.count == 16 {
            var cipher = RC4(key: baseKey)
            exported = cipher.process(encryptedRandomSessionKey)
        }
        func md5(_ bytes: [UInt8]) -> [UInt8] { Array(Insecure.MD5.hash(data: bytes)) }
        func magic(_ text: String) -> [UInt8] { Array("session key to \(text) key magic constant".utf8) + [0] }
        let sealBase = flags & NTLM.Flag.negotiate128 != 0 ? exported : Array(exported.prefix(flags & NTLM.Flag.negotiate56 != 0 ? 7 : 5))
        let (incoming, outgoing) = role == .server ? ("client-to-server", "server-to-client") : ("server-to-client", "client-to-server")
        incomingSigningKey = md5(exported + magic("\(incoming) signing"))
        outgoingSigningKey = md5(exported + magic("\(outgoing) signing"))
        incomingSealing = RC4(key: md5(sealBase + magic("\(incoming) sealing")))
        outgoingSealing = RC4(key: md5(sealBase + magic("\(outgoing) sealing")))
    }

    /// Decrypts a message the other end sealed and checks its 16-byte signature.
    mutating func unseal(_ sealed: [UInt8], signature: [UInt8]) throws(Failure) -> [UInt8] {
        let message = incomingSealing.process(sealed)
        let expected = Self.signature(message, key: incomingSigningKey, sequence: incomingSequence, handle: &incomingSealing, keyExchange: keyExchange)
        guard expected == signature else { throw Failure(message: "the message signature does not verify") }
        incomingSequence &+= 1
        return message
    }

    /// Seals a message for the other end: (signature, sealed message).
    mutating func seal(_ message: [UInt8]) -> (signature: [UInt8], sealed: [UInt8]) {
        let sealed = outgoingSealing.process(message)
        let signature = Self.signature(message, key: outgoingSigningKey, sequence: outgoingSequence, handle: &outgoingSealing, keyExchange: keyExchange)
        outgoingSequence &+= 1
        return (signature, sealed)
    }

    /// Version 1, the first 8 bytes of HMAC_MD5(key, seq + message) (RC4-encrypted with KEY_EXCH), seq.
    private static func signature(_ message: [UInt8], key: [UInt8], sequence: UInt32, handle: inout RC4, keyExchange: Bool) -> [UInt8] {
        var sequenceBytes: [UInt8] = []
        sequenceBytes.appendLE32(sequence)
        var checksum = Array(NTLM.hmacMD5(key: key, data: sequenceBytes + message).prefix(8))
        if keyExchange { checksum = handle.process(checksum) }
        return [1, 0, 0, 0] + checksum + sequenceBytes
    }
}
