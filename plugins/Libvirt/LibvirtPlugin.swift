import BlockingWork
import BrokerCore
import Libvirt
import Logging

/// The libvirt plugin: every libvirt driver URI (qemu, test, esx, xen, lxc …, with any
/// `+transport`) handed to libvirt itself through its C API.
public struct LibvirtPlugin: BackendPlugin {
    public static let name = "libvirt"

    /// libvirt's hypervisor drivers. `hyperv` is left to the direct Hyper-V plugin.
    public static let schemes: Set<String> = [
        "test", "qemu", "lxc", "xen", "libxl", "esx", "vpx", "gsx", "vmwareplayer", "vmwarews",
        "vmwarefusion", "vbox", "openvz", "bhyve", "vz", "parallels", "ch", "remote",
    ]

    /// Seconds between keepalive probes on remote connections, and probes missed before the
    /// connection is declared dead.
    public var keepAliveInterval: Int32
    public var keepAliveCount: UInt32

    /// Every session's libvirt calls share these threads, however many backends there are.
    public static let pool = BlockingPool(name: "libvirt", threads: BlockingPool.defaultThreads())

    /// Creates the plugin.
    public init(keepAliveInterval: Int32 = 5, keepAliveCount: UInt32 = 3) {
        self.keepAliveInterval = keepAliveInterval
        self.keepAliveCount = keepAliveCount
    }

    /// A test-driver host file is a host of its own: it is named after the file
    /// (`test:///…/kvm-a.xml` → `kvm-a`), since the driver answers the machine's hostname.
    static func hostName(for uri: BackendURI) -> String? {
        guard uri.driver == "test", let path = uri.path, path.hasSuffix(".xml") else { return nil }
        return String(path.split(separator: "/").last?.dropLast(4) ?? "")
    }

    public func open(_ uri: BackendURI, credentials: Credentials?, options _: BackendOptions, logger: Logger) async throws(BackendError) -> any BackendSession {
        let queue = BlockingQueue(label: "virtfed.libvirt.\(uri.host ?? "local")", pool: Self.pool)
        let text = uri.canonical
        let (interval, count) = (keepAliveInterval, keepAliveCount)
        return try await queue.run { () throws(BackendError) -> LibvirtSession in
            do throws(LibvirtError) {
                let connection = try LibvirtConnection(uri: text, username: credentials?.username, password: credentials?.password)
                // Remote connections only; the in-process drivers refuse, which is fine.
                connection.setKeepAlive(interval: interval, count: count)
                var name = Self.hostName(for: uri) ?? ""
                if name.isEmpty { name = try connection.hostname() }
                let host = Host(
                    name: name,
                    hypervisor: try connection.hypervisorType(),
                    hypervisorVersion: LibvirtRuntime.formatVersion(try connection.hypervisorVersion())
                )
                return LibvirtSession(connection: connection, uri: uri, queue: queue, host: host, logger: logger)
            } catch {
                throw LibvirtErrorMapping.backendError(error, connectionAlive: false)
            }
        }
    }
}
