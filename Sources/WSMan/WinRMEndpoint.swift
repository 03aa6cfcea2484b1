import GSSAPI

/// Where and how to reach a WinRM listener (a Hyper-V host, an SCVMM server): transport http
/// or https, the port (5985/5986 by default), path `/wsman`, whether the certificate is
/// verified, how to authenticate, whether messages are sealed, and whether the authentication
/// is bound to the TLS channel over https.
public struct WinRMEndpoint: Sendable {
    /// How to authenticate.
    public enum Authentication: String, Sendable, CaseIterable {
        /// HTTP Basic (a Windows listener refuses it unless an administrator turned it on).
        case basic
        /// NTLM through GSS-API (gss-ntlmssp), sent under `Negotiate` as Windows expects.
        case ntlm
        /// SPNEGO: Kerberos when a ticket can be had for the service, NTLM otherwise.
        case negotiate
        /// Kerberos only.
        case kerberos
        /// A TLS client certificate (`WinRMClientCertificate`), https only: no NTLM or
        /// Negotiate round, nothing sealed (TLS protects the messages).
        case certificate
    }

    /// Whether messages are sealed with the authentication's session key (MS-WSMV 2.2.9.1).
    public enum Encryption: String, Sendable, CaseIterable {
        /// Over http, yes (a default Windows listener refuses SOAP in the clear); over https, TLS does.
        case auto
        case always
        /// Never: only a listener with `AllowUnencrypted = true`, or https, takes it.
        case never
    }

    /// The endpoint URL, e.g. `https://host:5986/wsman`.
    public let url: String
    /// Whether it is https.
    public let https: Bool
    /// How to authenticate; nil for the default, Negotiate.
    public let authentication: Authentication?
    /// Whether messages are sealed.
    public let encryption: Encryption
    /// The service principal (`HTTP/host` unless given).
    public let servicePrincipal: String
    /// Whether the server's certificate is verified.
    public let verifyPeer: Bool
    /// Over https, whether Negotiate, Kerberos and NTLM are bound to the TLS channel
    /// (`tls-server-end-point`, RFC 5929), which a listener with `CbtHardeningLevel = Strict`
    /// demands and a Relaxed one checks when sent. Off only for a listener behind a
    /// TLS-terminating proxy (whose certificate the binding would name).
    public let channelBinding: Bool

    /// An endpoint on `host`; port 0 means the transport's WinRM default.
    public init(https: Bool, host: String, port: Int = 0, authentication: Authentication?, encryption: Encryption = .auto,
                servicePrincipal: String? = nil, verifyPeer: Bool, channelBinding: Bool = true) {
        let port = port != 0 ? port : (https ? 5986 : 5985)
        let hostPart = host.contains(":") ? "[\(host)]" : host
        url = "\(https ? "https" : "http")://\(hostPart):\(port)/wsman"
        self.https = https
        self.authentication = authentication
        self.encryption = encryption
        self.servicePrincipal = servicePrincipal ?? "HTTP/\(host)"
        self.verifyPeer = verifyPeer
        self.channelBinding = channelBinding
    }

    /// Whether messages go sealed.
    public var seals: Bool {
        if authentication == .certificate { return false }
        return switch encryption {
        case .always: true
        case .never: false
        case .auto: !https
        }
    }

    /// A client of this endpoint over a libcurl handle of its own; a whole exchange may take
    /// 15 s longer than the operation timeout the envelopes ask for. Negotiate (the default),
    /// Kerberos and NTLM go through GSS-API on a kept connection (sealed when `seals`, bound
    /// to the TLS channel over https unless `channelBinding` is off); Basic through libcurl;
    /// a client certificate through libcurl's TLS (https only, `clientCertificate` required).
    public func client(
        username: String?, password: String?, caFile: String?, clientKeytab: String? = nil,
        clientCertificate: WinRMClientCertificate? = nil, operationTimeoutSeconds: Int = 60
    ) throws(WSManError) -> WSManClient {
        let timeout = (operationTimeoutSeconds + 15) * 1000
        let transport: any WSManTransport
        switch (authentication, https) {
        case (.certificate?, false):
            throw .invalidRequest("auth=certificate needs transport=https: the certificate is presented in the TLS handshake")
        case (.certificate?, true):
            guard let clientCertificate else {
                throw .invalidRequest("auth=certificate needs a client certificate and its key (client_cert and client_key)")
            }
            transport = try CurlTransport(endpoint: url, username: nil, password: nil, authentication: .none, verifyPeer: verifyPeer,
                                          caFile: caFile, clientCertificate: clientCertificate, timeoutMilliseconds: timeout)
        case (.basic?, _):
            transport = try CurlTransport(endpoint: url, username: username, password: password, authentication: .basic,
                                          verifyPeer: verifyPeer, caFile: caFile, timeoutMilliseconds: timeout)
        case (let chosen, _):
            // libcurl's own NTLM and Negotiate cannot bind to the channel: GSS-API does them all.
            let mechanism: GSSMechanism = switch chosen ?? .negotiate {
            case .ntlm: .ntlm
            case .kerberos: .kerberos
            case .negotiate, .basic, .certificate: .spnego
            }
            let service = servicePrincipal.replacingFirstSlash()
            let settings = GSSTransport.Settings(mechanism: mechanism, service: service, username: username, password: password,
                                                 clientKeytab: clientKeytab, encrypt: seals, channelBinding: channelBinding)
            transport = try GSSTransport(endpoint: url, settings: settings, verifyPeer: verifyPeer, caFile: caFile, timeoutMilliseconds: timeout)
        }
        return WSManClient(transport: transport, endpoint: url, operationTimeoutSeconds: operationTimeoutSeconds)
    }
}

extension String {
    /// `HTTP/host` as GSS-API's host-based service name, `HTTP@host`.
    func replacingFirstSlash() -> String {
        guard let slash = firstIndex(of: "/") else { return self }
        return self[..<slash] + "@" + self[index(after: slash)...]
    }
}
