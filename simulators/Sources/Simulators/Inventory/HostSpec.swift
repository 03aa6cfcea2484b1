/// The physical host as the inventory describes it (Win32_ComputerSystem, Win32_Processor,
/// Win32_OperatingSystem, Win32_ComputerSystemProduct and the hosting Msvm_ComputerSystem).
public struct HostSpec: Sendable, Equatable, Codable {
    /// NetBIOS name (`Win32_ComputerSystem.Name`, host `Msvm_ComputerSystem.Name`).
    public var name: String
    /// Fully qualified name (`Win32_ComputerSystem.DNSHostName`).
    public var dnsHostName: String
    /// Processor model string (`Win32_Processor.Name`).
    public var cpuModel: String
    /// Sockets: one `Win32_Processor` instance each.
    public var sockets: Int
    /// Cores per socket (`NumberOfCores`).
    public var coresPerSocket: Int
    /// Logical processors per socket (`NumberOfLogicalProcessors`).
    public var logicalPerSocket: Int
    /// Clock in MHz (`MaxClockSpeed`).
    public var mhz: Int
    /// Physical memory in bytes (`TotalPhysicalMemory`).
    public var memoryBytes: Int64
    /// Windows version (`Win32_OperatingSystem.Version`), e.g. "10.0.17763".
    public var osVersion: String
    /// `Win32_ComputerSystemProduct.UUID`; derived from the name when absent.
    public var uuid: String?
    /// Virtual switches besides `Default Switch` and those the VMs' adapters name.
    public var switches: [String]?
    /// Disk images (VHD, VHDX, ISO) on the host besides the VMs' own disks: what a new VM's
    /// drives can be given (`AddResourceSettings` refuses a path that is not here).
    public var files: [String]?

    /// Creates a host description.
    public init(name: String, dnsHostName: String, cpuModel: String, sockets: Int, coresPerSocket: Int,
                logicalPerSocket: Int, mhz: Int, memoryBytes: Int64, osVersion: String, uuid: String? = nil) {
        self.name = name
        self.dnsHostName = dnsHostName
        self.cpuModel = cpuModel
        self.sockets = sockets
        self.coresPerSocket = coresPerSocket
        self.logicalPerSocket = logicalPerSocket
        self.mhz = mhz
        self.memoryBytes = memoryBytes
        self.osVersion = osVersion
        self.uuid = uuid
    }
}
