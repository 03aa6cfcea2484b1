import BrokerCore
import Logging
import WinRMSupport
import WSMan

/// Hyper-V hosts spoken to directly: WMI v2 (`root/virtualization/v2`) over WS-Management.
/// `hyperv://[user@]host[:port]/?transport=http|https&auth=basic|ntlm|negotiate|kerberos|certificate&no_verify=1`.
public struct HyperVPlugin: BackendPlugin {
    public static let name = "hyperv"
    public static let schemes: Set<String> = ["hyperv"]
    public static let settings: [BackendSetting] = [.caFile, .clientKeytab, .clientCert, .clientKey]

    public static func libvirtDomainType(platform: String?) -> String { "hyperv" }

    /// Creates the plugin.
    public init() {}

    public func open(_ uri: BackendURI, credentials: Credentials?, options: BackendOptions, logger: Logger) async throws(BackendError) -> any BackendSession {
        let endpoint = try WinRMEndpoint(uri)
        let client: WSManClient
        do {
            client = try endpoint.client(uri: uri, credentials: credentials, options: options)
        } catch {
            throw error.backendError
        }
        let host = try await HyperVHostInfo.read(client)
        return HyperVSession(client: client, hostInfo: host, logger: logger)
    }
}
