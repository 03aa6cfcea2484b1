/// A hypervisor host behind a backend (a libvirt connection has one; SCVMM has many).
public struct Host: Sendable, Equatable, Codable {
    /// The host's name (libvirt: `virConnectGetHostname`).
    public var name: String
    /// The hypervisor type (`QEMU`, `TEST`, `Hyper-V`, `VMware ESX` …).
    public var hypervisor: String
    /// The hypervisor's version, dotted, where known.
    public var hypervisorVersion: String?
    /// The host's reachability as the backend sees it (`up`, or the backend's own word).
    public var state: String

    /// Creates a host record.
    public init(name: String, hypervisor: String, hypervisorVersion: String? = nil, state: String = "up") {
        self.name = name
        self.hypervisor = hypervisor
        self.hypervisorVersion = hypervisorVersion
        self.state = state
    }
}
