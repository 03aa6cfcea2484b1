import BrokerCore
import WSMan

extension WinRMEndpoint {
    /// Reads the endpoint from a backend URI: transport http or https (default https, as
    /// libvirt's hyperv driver), ports 5985/5986, certificates verified unless `no_verify=1`,
    /// and Basic sent over plain http only when `auth=basic` says so (`auth=basic|ntlm|negotiate`).
    public init(_ uri: BackendURI) throws(BackendError) {
        let transport = uri.param("transport")?.lowercased() ?? "https"
        guard transport == "http" || transport == "https" else {
            throw BackendError(.invalidArgument, "query parameter 'transport' has unexpected value '\(transport)' (should be http|https)")
        }
        guard let host = uri.host, !host.isEmpty else { throw BackendError(.invalidArgument, "a \(uri.scheme) URI needs a host") }
        let authentication: CurlTransport.Authentication
        switch uri.param("auth")?.lowercased() {
        case "basic"?: authentication = .basic
        case "ntlm"?: authentication = .ntlm
        case "negotiate"?, "kerberos"?: authentication = .negotiate
        case nil: authentication = transport == "https" ? .any : .secure
        case let other?:
            throw BackendError(.invalidArgument, "query parameter 'auth' has unexpected value '\(other)' (should be basic|ntlm|negotiate)")
        }
        self.init(https: transport == "https", host: host, port: uri.port, authentication: authentication,
                  verifyPeer: uri.param("no_verify") != "1")
    }

    /// A client of this endpoint for a backend: the user from the credentials or else the URI,
    /// the CA file from the backend's options.
    public func client(
        uri: BackendURI, credentials: Credentials?, options: BackendOptions, operationTimeoutSeconds: Int = 60
    ) throws(WSManError) -> WSManClient {
        try client(username: credentials?.username ?? uri.user, password: credentials?.password, caFile: options.caFile,
                   operationTimeoutSeconds: operationTimeoutSeconds)
    }
}
