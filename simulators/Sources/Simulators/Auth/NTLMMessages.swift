import Foundation

/// NEGOTIATE_MESSAGE (type 1): only the flags matter to the server.
struct NTLMNegotiateMessage {
    var flags: UInt32

    init?(_ bytes: [UInt8]) {
        let reader = NTLMReader(bytes: bytes)
        guard reader.messageType == 1 else { return nil }
        flags = reader.le32(12) ?? 0
    }
}

/// CHALLENGE_MESSAGE (type 2), laid out as Windows sends it: header, TargetName, flags, the server
/// challenge, 8 reserved bytes, TargetInfo, Version, then the payload.
struct NTLMChallengeMessage {
    var flags: UInt32
    var serverChallenge: [UInt8]
    var targetName: String
    var targetInfo: [UInt8]

    func encoded() -> [UInt8] {
        let name = flags & NTLM.Flag.unicode != 0 ? NTLM.utf16le(targetName) : Array(targetName.utf8)
        let payloadStart = 56
        var out = NTLM.signature
        out.appendLE32(2)
        out.appendLE16(UInt16(name.count)); out.appendLE16(UInt16(name.count)); out.appendLE32(UInt32(payloadStart))
        out.appendLE32(flags)
        out += serverChallenge
        out += [UInt8](repeating: 0, count: 8)
        out.appendLE16(UInt16(targetInfo.count)); out.appendLE16(UInt16(targetInfo.count))
        out.appendLE32(UInt32(payloadStart + name.count))
        out += [10, 0]; out.appendLE16(17763); out += [0, 0, 0, 15]  // Version: 10.0.17763, NTLMSSP revision 15
        out += name
        out += targetInfo
        return out
    }
}

/// AUTHENTICATE_MESSAGE (type 3).
struct NTLMAuthenticateMessage {
    var lmChallengeResponse: [UInt8]
    var ntChallengeResponse: [UInt8]
    var domain: String
    var user: String
    var workstation: String
    var flags: UInt32
    /// EncryptedRandomSessionKey (empty when the client sent none).
    var encryptedRandomSessionKey: [UInt8]

    /// Parses a type 3 message; strings are UTF-16LE when its flags (or, without flags, the
    /// negotiated ones) say NEGOTIATE_UNICODE, OEM otherwise.
    init?(_ bytes: [UInt8], negotiatedFlags: UInt32) {
        let reader = NTLMReader(bytes: bytes)
        guard reader.messageType == 3, bytes.count >= 52,
              let lm = reader.field(at: 12), let nt = reader.field(at: 20), let domain = reader.field(at: 28),
              let user = reader.field(at: 36), let workstation = reader.field(at: 44) else { return nil }
        let flags = bytes.count >= 64 ? (reader.le32(60) ?? negotiatedFlags) : negotiatedFlags
        let unicode = flags & NTLM.Flag.unicode != 0
        func text(_ raw: [UInt8]) -> String? {
            if unicode {
                guard raw.count % 2 == 0 else { return nil }
                let units = stride(from: 0, to: raw.count, by: 2).map { UInt16(raw[$0]) | UInt16(raw[$0 + 1]) << 8 }
                return String(decoding: units, as: UTF16.self)
            }
            return String(String.UnicodeScalarView(raw.map { Unicode.Scalar($0) }))
        }
        guard let domainText = text(domain), let userText = text(user), let workstationText = text(workstation) else { return nil }
        lmChallengeResponse = lm
        ntChallengeResponse = nt
        self.domain = domainText
        self.user = userText
        self.workstation = workstationText
        self.flags = flags
        encryptedRandomSessionKey = bytes.count >= 60 ? (reader.field(at: 52) ?? []) : []
    }

    /// The first AUTHENTICATE_MESSAGE inside `token` (a SPNEGO token wrapping NTLM), if any.
    init?(embeddedIn token: [UInt8]) {
        var start = token.startIndex
        while let found = token[start...].firstIndex(of: NTLM.signature[0]) {
            if token[found...].starts(with: NTLM.signature), let message = NTLMAuthenticateMessage(Array(token[found...]), negotiatedFlags: 0) {
                self = message
                return
            }
            start = token.index(after: found)
        }
        return nil
    }

    /// The `MsvAvChannelBindings` value of an NTLMv2 response, nil when the client sent none
    /// (absent, or all zeros as clients without bindings send it). The AV pairs follow the
    /// NTProofStr (16 bytes) and the blob's fixed header (28 bytes); the NTProofStr covers them.
    var channelBindingHash: [UInt8]? {
        let nt = ntChallengeResponse
        var offset = 44
        while offset + 4 <= nt.count {
            let id = UInt16(nt[offset]) | UInt16(nt[offset + 1]) << 8
            let length = Int(UInt16(nt[offset + 2]) | UInt16(nt[offset + 3]) << 8)
            guard id != NTLM.AvID.eol.rawValue, offset + 4 + length <= nt.count else { return nil }
            if id == NTLM.AvID.channelBindings.rawValue {
                let value = Array(nt[(offset + 4)..<(offset + 4 + length)])
                return value.allSatisfy { $0 == 0 } ? nil : value
            }
            offset += 4 + length
        }
        return nil
    }
}
