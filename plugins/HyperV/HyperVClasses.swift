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

    static let computerSystem = "Msvm_ComputerSystem"
    static let settingData = "Msvm_VirtualSystemSettingData"
    static let processorSettings = "Msvm_ProcessorSettingData"
    static let memorySettings = "Msvm_MemorySettingData"
    static let shutdownComponent = "Msvm_ShutdownComponent"
    static let concreteJob = "Msvm_ConcreteJob"
}
