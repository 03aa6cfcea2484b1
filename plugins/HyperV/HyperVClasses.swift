/// The WMI classes the plugin reads, with their WS-Man resource URIs.
enum HyperVClasses {
    static let virtualizationRoot = "http://schemas.microsoft.com/wbem/wsman/1/wmi/root/virtualization/v2/*"
    static let cimv2Root = "http://schemas.microsoft.com/wbem/wsman/1/wmi/root/cimv2/*"

    static func virtualization(_ name: String) -> String {
        "http://schemas.microsoft.com/wbem/wsman/1/wmi/root/virtualization/v2/\(name)"
    }

    static func cimv2(_ name: String) -> String {
        "http://schemas.microsoft.com/wbem/wsman/1/wmi/root/cimv2/\(name)"
    }

    /// A WMI namespace the plugin reads.
    enum Namespace {
        case virtualization, cimv2

        var root: String { self == .virtualization ? virtualizationRoot : cimv2Root }

        func classURI(_ name: String) -> String { self == .virtualization ? HyperVClasses.virtualization(name) : HyperVClasses.cimv2(name) }
    }

    static let computerSystem = "Msvm_ComputerSystem"
    static let settingData = "Msvm_VirtualSystemSettingData"
    static let processorSettings = "Msvm_ProcessorSettingData"
    static let memorySettings = "Msvm_MemorySettingData"
    static let shutdownComponent = "Msvm_ShutdownComponent"
    static let concreteJob = "Msvm_ConcreteJob"
    static let managementService = "Msvm_VirtualSystemManagementService"
    static let snapshotService = "Msvm_VirtualSystemSnapshotService"
    static let migrationService = "Msvm_VirtualSystemMigrationService"
    static let migrationSettingData = "Msvm_VirtualSystemMigrationSettingData"
    /// `VirtualSystemType` of a checkpoint's settings.
    static let snapshotType = "Microsoft:Hyper-V:Snapshot:Realized"
    static let storageSettings = "Msvm_StorageAllocationSettingData"
    /// Storage controllers and drives.
    static let resourceSettings = "Msvm_ResourceAllocationSettingData"
    static let virtualSwitch = "Msvm_VirtualEthernetSwitch"
    static let syntheticPortSettings = "Msvm_SyntheticEthernetPortSettingData"
    static let portAllocationSettings = "Msvm_EthernetPortAllocationSettingData"
    /// Raw counters of each VHD attached to a running VM (root/cimv2).
    static let storageDevicePerf = "Win32_PerfRawData_Counters_HyperVVirtualStorageDevice"
    /// Raw counters of each network adapter of a running VM (root/cimv2).
    static let networkAdapterPerf = "Win32_PerfRawData_NvspNicStats_HyperVVirtualNetworkAdapter"
    /// `GetSummaryInformation`'s RequestedInformation: Name, ProcessorLoad, MemoryUsage, UpTime.
    static let summaryInformation = [0, 101, 103, 105]
}
