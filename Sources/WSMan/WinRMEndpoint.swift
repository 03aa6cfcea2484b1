import BrokerCore

/// Where and how to reach a WinRM listener (a Hyper-V host, an SCVMM server), from its URI:
/// transport http or https (default https, as libvirt's hyperv driver), ports 5985/5986, path
/// `/wsman`, certificates verified unless `no_verify=1`, and Basic sent over plain http only
/// when `auth=basic` says so (`auth=basic|ntlm|negotiate`).
public struct WinRMEndpoint: Sendable {
    /// The endpoint URL, e.g. `https://host:5986/wsman`.
    public let url: String
    /// How to authenticate.
    public let authentication: CurlTransport.Authentication
    /// Whether the server's certificate is verified.
    public let verifyPeer: Bool

    /// Reads the endpoint from `uri`.
    public init(_ uri: BackendURI) throws(BackendError) {
        let transport = uri.param("transport")?.lowercased() ?? "https"
        guard transport == "http" || transport == "https" else {
            throw BackendError(.invalidArgument, "query parameter 'transport' has unexpected value '\(transport)' (should be http|https)")
        }
        guard let host = uri.host, !host.isEmpty else { throw BackendError(.invalidArgument, "a \(uri.scheme) URI needs a host") }
        let port = uri.port != 0 ? uri.port : (transport == "https" ? 5986 : 5985)
        let hostPart = host.contains(":") ? "[\(host)]" : host
        url = "\(transport)://\(hostPart):\(port)/wsman"
        verifyPeer = uri.param("no_verify") != "1"
        switch uri.param("auth")?.lowercased() {
        case "basic"?: authentication = .basic
        case "ntlm"?: authentication = .ntlm
        case "negotiate"?, "kerberos"?: authentication = .negotiate
        case nil: authentication = transport == "https" ? .any : .secure
        case let other?:
            throw BackendError(.invalidArgument, "query parameter 'auth' has unexpected value '\(other)' (should be basic|ntlm|negotiate)")
        }
    }

    /// A client of this endpoint over a libcurl handle of its own: the user from the
    /// credentials or else the URI, the CA file from the backend's options; a whole exchange
    /// may take 15 s longer than the operation timeout the envelopes ask for.
    public func client(
        uri: BackendURI, credentials: Credentials?, options: BackendOptions, operationTimeoutSeconds: Int = 60
    ) throws(WSManError) -> WSManClient {
        let transport = try CurlTransport(
            endpoint: url, username: credentials?.username ?? uri.user, password: credentials?.password,
            authentication: authentication, verifyPeer: verifyPeer, caFile: options.caFile,
            timeoutMilliseconds: (operationTimeoutSeconds + 15) * 1000)
        return WSManClient(transport: transport, endpoint: url, operationTimeoutSeconds: operationTimeoutSeconds)
    }
}
