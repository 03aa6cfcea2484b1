import BrokerCore
import Logging
import WSMan

/// Hyper-V hosts spoken to directly: WMI v2 (`root/virtualization/v2`) over WS-Management.
/// `hyperv://[user@]host[:port]/?transport=http|https&auth=basic|ntlm|negotiate&no_verify=1`.
public struct HyperVPlugin: BackendPlugin {
    public static let name = "hyperv"
    public static let schemes: Set<String> = ["hyperv"]

    /// A CA bundle to verify https endpoints against, instead of the system's.
    public var caFile: String?

    /// Creates the plugin.
    public init(caFile: String? = nil) {
        self.caFile = caFile
    }

    public func open(_ uri: BackendURI, credentials: Credentials?, logger: Logger) async throws(BackendError) -> any BackendSession {
        let endpoint = try HyperVEndpoint(uri)
        let transport: CurlTransport
        do {
            transport = try CurlTransport(
                endpoint: endpoint.url, username: credentials?.username ?? uri.user, password: credentials?.password,
                authentication: endpoint.authentication, verifyPeer: endpoint.verifyPeer, caFile: caFile)
        } catch {
            throw error.backendError
        }
        let client = WSManClient(transport: transport, endpoint: endpoint.url)
        let host = try await HyperVHostInfo.read(client)
        return HyperVSession(client: client, hostInfo: host, logger: logger)
    }
}
