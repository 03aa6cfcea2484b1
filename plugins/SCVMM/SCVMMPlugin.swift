import BrokerCore
import Logging
import WinRMSupport
import WSMan

/// SCVMM servers, through the VMM cmdlets run as PowerShell in a WinRM cmd shell; SCVMM in
/// turn manages Hyper-V, VMware ESX and XenServer hosts, so its VMs are reached through a
/// manager. `scvmm://[user@]vmm[:port]/?transport=http|https&auth=basic|ntlm|negotiate|kerberos|certificate&no_verify=1`.
public struct SCVMMPlugin: BackendPlugin {
    public static let name = "scvmm"
    public static let schemes: Set<String> = ["scvmm"]
    public static var routeKind: RouteKind { .manager }
    public static let settings: [BackendSetting] = [.caFile, .clientKeytab, .clientCert, .clientKey]

    /// SCVMM's VMs run on Hyper-V, VMware ESX or XenServer hosts: the type of the platform
    /// where libvirt's schema has one.
    public static func libvirtDomainType(platform: String?) -> String {
        let lowered = platform?.lowercased() ?? ""
        if lowered.contains("hyper-v") || lowered.contains("hyperv") { return "hyperv" }
        if lowered.contains("vmware") || lowered.contains("esx") { return "vmware" }
        return "test"
    }

    /// Creates the plugin.
    public init() {}

    public func open(_ uri: BackendURI, credentials: Credentials?, options: BackendOptions, logger: Logger) async throws(BackendError) -> any BackendSession {
        let endpoint = try SCVMMEndpoint(uri)
        // Each shell gets a connection of its own; Receive waits `operation_timeout` for output.
        let winrm = endpoint.winrm
        let timeout = endpoint.operationTimeoutSeconds
        let pool = WinRMShellPool(maxShells: endpoint.maxShells, maxCommandsPerShell: endpoint.commandsPerShell) { () throws(WSManError) in
            try winrm.client(uri: uri, credentials: credentials, options: options, operationTimeoutSeconds: timeout)
        }
        do {
            // Opening the first shell proves the server answers and takes the credentials.
            try await pool.prepare()
        } catch {
            throw SCVMMErrorMapping.transport(error)
        }
        return SCVMMSession(pool: pool, logger: logger, jobPollInterval: endpoint.jobPollInterval)
    }
}
