import Foundation

/// The names a Windows host puts in its CHALLENGE_MESSAGE (TargetName and TargetInfo).
struct NTLMServerIdentity: Sendable {
    var netBIOSDomain: String
    var netBIOSComputer: String
    var dnsDomain: String
    var dnsComputer: String

    /// From the simulated host: `hv01.lab.local` → computer HV01, domain LAB / lab.local
    /// (a host without a DNS suffix is in WORKGROUP).
    init(host: HostSpec) {
        self.init(dnsHostName: host.dnsHostName.isEmpty ? host.name : host.dnsHostName)
    }

    /// From a host's DNS name (`vmm.lab.local` → VMM, LAB / lab.local).
    init(dnsHostName dns: String) {
        let labels = dns.split(separator: ".", maxSplits: 1).map(String.init)
        netBIOSComputer = String((labels.first ?? dns).uppercased().prefix(15))
        dnsComputer = dns
        dnsDomain = labels.count > 1 ? labels[1] : ""
        netBIOSDomain = labels.count > 1 ? String(labels[1].split(separator: ".").first.map(String.init)?.uppercased().prefix(15) ?? "WORKGROUP") : "WORKGROUP"
    }
}

/// Per-connection NTLM server state, as HTTP.sys keeps it for WinRM: a type 1 yields a challenge
/// (and restarts any earlier handshake), the type 3 that follows on the same connection is
/// checked as NTLMv2 against the configured user and password, and over https its channel
/// binding (`MsvAvChannelBindings`) against the listener's certificate per `CbtHardeningLevel`.
struct NTLMServerContext {
    enum Step: Equatable {
        /// Answer 401 with this CHALLENGE_MESSAGE.
        case challenge([UInt8])
        /// The connection is authenticated as this user.
        case accepted(user: String)
        /// 401; the reason is for the log only.
        case rejected(String)
    }

    private struct Pending {
        var challenge: [UInt8]
        var flags: UInt32
    }

    private var pending: Pending?
    /// The user this connection authenticated as, if it did.
    private(set) var authenticatedUser: String?
    /// Whether that authentication carried the listener's channel binding.
    private(set) var channelBound = false
    /// Sealing and signing (WinRM message encryption) when the client negotiated them.
    var session: NTLMSessionSecurity?

    /// Handles one NTLMSSP token from an `Authorization` header. Over https, `cbt` is the
    /// listener's level and `channelBinding` the application data of its certificate; over
    /// http, `cbt` is `.none`.
    mutating func step<R: RandomNumberGenerator>(token: [UInt8], credentials: BasicCredentials, identity: NTLMServerIdentity,
                                                  cbt: CbtHardeningLevel = .none, channelBinding: [UInt8]? = nil,
                                                  now: Date = Date(), random: inout R) -> Step {
        switch NTLMReader(bytes: token).messageType {
        case 1:
            guard let negotiate = NTLMNegotiateMessage(token) else { return .rejected("malformed NEGOTIATE_MESSAGE") }
            authenticatedUser = nil
            session = nil
            var challenge = [UInt8](repeating: 0, count: 8)
            for index in challenge.indices { challenge[index] = UInt8.random(in: .min ... .max, using: &random) }
            let message = Self.challengeMessage(for: negotiate.flags, challenge: challenge, identity: identity, now: now)
            pending = Pending(challenge: challenge, flags: message.flags)
            return .challenge(message.encoded())
        case 3:
            guard let pending else { return .rejected("AUTHENTICATE_MESSAGE without a challenge on this connection") }
            self.pending = nil
            guard let authenticate = NTLMAuthenticateMessage(token, negotiatedFlags: pending.flags) else {
                return .rejected("malformed AUTHENTICATE_MESSAGE")
            }
            switch Self.verify(authenticate, serverChallenge: pending.challenge, credentials: credentials) {
            case .success(let user):
                let sent = authenticate.channelBindingHash
                let matching = sent != nil && sent == channelBinding.map(TLSServerEndPoint.ntlmHash)
                if let reason = cbt.refusal(sent: sent != nil, matching: matching) {
                    return .rejected(reason)
                }
                channelBound = matching
                authenticatedUser = user
                let flags = pending.flags & authenticate.flags
                if flags & (NTLM.Flag.seal | NTLM.Flag.sign) != 0 {
                    let responseKey = NTLM.ntowfv2(password: credentials.password, user: authenticate.user, domain: authenticate.domain)
                    session = NTLMSessionSecurity(responseKeyNT: responseKey, ntProofString: Array(authenticate.ntChallengeResponse.prefix(16)),
                                                  encryptedRandomSessionKey: authenticate.encryptedRandomSessionKey, flags: flags)
                }
                return .accepted(user: user)
            case .failure(let reason):
                return .rejected(reason.message)
            }
        default:
            return .rejected("not an NTLMSSP NEGOTIATE or AUTHENTICATE message")
        }
    }

    /// The CHALLENGE_MESSAGE Windows would send for these NEGOTIATE flags.
    static func challengeMessage(for clientFlags: UInt32, challenge: [UInt8], identity: NTLMServerIdentity, now: Date) -> NTLMChallengeMessage {
        var flags = NTLM.Flag.requestTarget | NTLM.Flag.ntlm | NTLM.Flag.alwaysSign | NTLM.Flag.targetTypeDomain
            | NTLM.Flag.extendedSessionSecurity | NTLM.Flag.targetInfo | NTLM.Flag.version | NTLM.Flag.negotiate128 | NTLM.Flag.negotiate56
        // Signing, sealing and key exchange when the client asks for them (WinRM message encryption).
        flags |= clientFlags & (NTLM.Flag.sign | NTLM.Flag.seal | NTLM.Flag.keyExchange)
        // Unicode when the client offers it; OEM only for a client that offers OEM alone.
        flags |= clientFlags & NTLM.Flag.unicode == 0 && clientFlags & NTLM.Flag.oem != 0 ? NTLM.Flag.oem : NTLM.Flag.unicode
        var timestamp: [UInt8] = []
        timestamp.appendLE64(NTLM.fileTime(now))
        let info = NTLM.avPairs([
            (.nbDomainName, NTLM.utf16le(identity.netBIOSDomain)),
            (.nbComputerName, NTLM.utf16le(identity.netBIOSComputer)),
            (.dnsDomainName, NTLM.utf16le(identity.dnsDomain)),
            (.dnsComputerName, NTLM.utf16le(identity.dnsComputer)),
            (.timestamp, timestamp),
        ])
        return NTLMChallengeMessage(flags: flags, serverChallenge: challenge, targetName: identity.netBIOSDomain, targetInfo: info)
    }

    struct Failure: Error { var message: String }

    /// NTLMv2 check: the user must be the configured one (case-insensitively, without any
    /// `DOMAIN\` prefix the configuration carries), the domain is taken as the client sent it, and
    /// HMAC_MD5(NTOWFv2, serverChallenge + blob) must equal the NTProofStr.
    static func verify(_ message: NTLMAuthenticateMessage, serverChallenge: [UInt8], credentials: BasicCredentials) -> Result<String, Failure> {
        let nt = message.ntChallengeResponse
        if message.user.isEmpty && nt.isEmpty { return .failure(Failure(message: "anonymous NTLM logon refused")) }
        if nt.count == 24 { return .failure(Failure(message: "NTLMv1 response refused (NTLMv2 required)")) }
        // NTProofStr (16) + blob header (RespType, HiRespType, 6 reserved, timestamp, client challenge, 4 reserved) = 44.
        guard nt.count >= 44, nt[16] == 1, nt[17] == 1 else { return .failure(Failure(message: "not an NTLMv2 response")) }
        guard credentials.matchesNTLMUser(message.user) else {
            return .failure(Failure(message: "unknown user \(message.domain)\\\(message.user)"))
        }
        let key = NTLM.ntowfv2(password: credentials.password, user: message.user, domain: message.domain)
        let blob = Array(nt[16...])
        let expected = NTLM.ntProofString(responseKeyNT: key, serverChallenge: serverChallenge, blob: blob)
        var difference: UInt8 = 0
        for index in 0..<16 { difference |= expected[index] ^ nt[index] }
        guard difference == 0 else { return .failure(Failure(message: "wrong password for \(message.domain)\\\(message.user)")) }
        return .success(message.domain.isEmpty ? message.user : "\(message.domain)\\\(message.user)")
    }
}
