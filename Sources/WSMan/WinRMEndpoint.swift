/// Where and how to reach a WinRM listener (a Hyper-V host, an SCVMM server): transport http
/// or https, the port (5985/5986 by default), path `/wsman`, whether the certificate is
/// verified, and how to authenticate.
public struct WinRMEndpoint: Sendable {
    /// The endpoint URL, e.g. `https://host:5986/wsman`.
    public let url: String
    /// How to authenticate.
    public let authentication: CurlTransport.Authentication
    /// Whether the server's certificate is verified.
    public let verifyPeer: Bool

    /// An endpoint on `host`; port 0 means the transport's WinRM default.
    public init(https: Bool, host: String, port: Int = 0, authentication: CurlTransport.Authentication, verifyPeer: Bool) {
        let port = port != 0 ? port : (https ? 5986 : 5985)
        let hostPart = host.contains(":") ? "[\(host)]" : host
        url = "\(https ? "https" : "http")://\(hostPart):\(port)/wsman"
        self.authentication = authentication
        self.verifyPeer = verifyPeer
    }

    /// A client of this endpoint over a libcurl handle of its own; a whole exchange may take
    /// 15 s longer than the operation timeout the envelopes ask for.
    public func client(
        username: String?, password: String?, caFile: String?, operationTimeoutSeconds: Int = 60
    ) throws(WSManError) -> WSManClient {
        let transport = try CurlTransport(
            endpoint: url, username: username, password: password,
            authentication: authentication, verifyPeer: verifyPeer, caFile: caFile,
            timeoutMilliseconds: (operationTimeoutSeconds + 15) * 1000)
        return WSManClient(transport: transport, endpoint: url, operationTimeoutSeconds: operationTimeoutSeconds)
    }
}
