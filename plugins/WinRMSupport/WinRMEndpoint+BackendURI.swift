import BrokerCore
import WSMan

extension WinRMEndpoint {
    /// Reads the endpoint from a backend URI: transport http or https (default https, as
    /// libvirt's hyperv driver), ports 5985/5986, certificates verified unless `no_verify=1`,
    /// `auth=basic|ntlm|negotiate|kerberos|certificate` (default: Negotiate; certificate over
    /// https only, with the `client_cert` and `client_key` settings), `encryption=auto|always|never`
    /// (auto: sealed over http, as a default Windows listener requires), `spn=HTTP/name` when
    /// the service principal is not `HTTP/` + the URI's host (Kerberos by IP address needs
    /// one), and `channel_binding=on|off` (default on: over https the authentication names the
    /// listener's certificate, as `CbtHardeningLevel = Strict` demands; off only behind a
    /// TLS-terminating proxy).
    public init(_ uri: BackendURI) throws(BackendError) {
        let transport = uri.param("transport")?.lowercased() ?? "https"
        guard transport == "http" || transport == "https" else {
            throw BackendError(.invalidArgument, "query parameter 'transport' has unexpected value '\(transport)' (should be http|https)")
        }
        guard let host = uri.host, !host.isEmpty else { throw BackendError(.invalidArgument, "a \(uri.scheme) URI needs a host") }
        var authentication: Authentication?
        if let text = uri.param("auth")?.lowercased() {
            guard let chosen = Authentication(rawValue: text) else {
                throw BackendError(.invalidArgument, "query parameter 'auth' has unexpected value '\(text)' (should be basic|ntlm|negotiate|kerberos|certificate)")
            }
            authentication = chosen
        }
        let encryptionText = uri.param("encryption")?.lowercased() ?? "auto"
        guard let encryption = Encryption(rawValue: encryptionText) else {
            throw BackendError(.invalidArgument, "query parameter 'encryption' has unexpected value '\(encryptionText)' (should be auto|always|never)")
        }
        if authentication == .certificate && transport != "https" {
            throw BackendError(.invalidArgument, "auth=certificate needs transport=https: the client certificate is presented in the TLS handshake, and a Windows listener takes certificate authentication only over https")
        }
        if authentication == .certificate && encryption == .always {
            throw BackendError(.invalidArgument, "encryption=always needs auth=ntlm, negotiate or kerberos: certificate authentication has no session key to seal with (TLS protects the messages)")
        }
        if authentication == .basic && encryption == .always {
            throw BackendError(.invalidArgument, "encryption=always needs auth=ntlm, negotiate or kerberos: Basic has no session key to seal with")
        }
        let bindingText = uri.param("channel_binding")?.lowercased() ?? "on"
        guard bindingText == "on" || bindingText == "off" else {
            throw BackendError(.invalidArgument, "query parameter 'channel_binding' has unexpected value '\(bindingText)' (should be on|off)")
        }
        self.init(https: transport == "https", host: host, port: uri.port, authentication: authentication, encryption: encryption,
                  servicePrincipal: uri.param("spn"), verifyPeer: uri.param("no_verify") != "1", channelBinding: bindingText == "on")
    }

    /// A client of this endpoint for a backend: the user from the credentials or else the URI,
    /// the CA file, client keytab and client certificate from the backend's options.
    public func client(
        uri: BackendURI, credentials: Credentials?, options: BackendOptions, operationTimeoutSeconds: Int = 60
    ) throws(WSManError) -> WSManClient {
        try client(username: credentials?.username ?? uri.user, password: credentials?.password, caFile: options.caFile,
                   clientKeytab: options.string(.clientKeytab), clientCertificate: try clientCertificate(options),
                   operationTimeoutSeconds: operationTimeoutSeconds)
    }

    /// The client certificate the options give: both `client_cert` and `client_key` with
    /// `auth=certificate`, neither without it.
    public func clientCertificate(_ options: BackendOptions) throws(WSManError) -> WinRMClientCertificate? {
        let certificate = options.string(.clientCert), key = options.string(.clientKey)
        guard authentication == .certificate else {
            if certificate != nil || key != nil {
                throw .invalidRequest("client_cert and client_key are for auth=certificate (the URI asks for \(authentication?.rawValue ?? "negotiate"))")
            }
            return nil
        }
        guard let certificate, let key else {
            throw .invalidRequest("auth=certificate needs both client_cert (the PEM certificate) and client_key (its PEM private key)")
        }
        return WinRMClientCertificate(certificateFile: certificate, keyFile: key)
    }
}
