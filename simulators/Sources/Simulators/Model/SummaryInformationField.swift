/// A `RequestedInformation` code of `Msvm_VirtualSystemManagementService.GetSummaryInformation`
/// (MS docs, getsummaryinformation-msvm-virtualsystemmanagementservice), with the
/// `Msvm_SummaryInformation` property it fills. Codes not listed here are accepted and ignored
/// (their properties stay null), as thumbnails, snapshots and replication are not simulated.
enum SummaryInformationField: UInt32, Sendable, CaseIterable {
    case name = 0, elementName = 1, creationTime = 2, notes = 3, numberOfProcessors = 4
    case virtualSwitchNames = 9, version = 10, shielded = 11
    case enabledState = 100, processorLoad = 101, memoryUsage = 103, heartbeat = 104, upTime = 105
    case guestOperatingSystem = 106, healthState = 109, operationalStatus = 110
    case statusDescriptions = 111, memoryAvailable = 112, availableMemoryBuffer = 113
    case replicationMode = 114, replicationState = 115, replicationHealth = 116, swapFilesInUse = 120
    case memorySpansPhysicalNumaNodes = 123

    /// The `Msvm_SummaryInformation` property.
    var property: String {
        switch self {
        case .name: "Name"
        case .elementName: "ElementName"
        case .creationTime: "CreationTime"
        case .notes: "Notes"
        case .numberOfProcessors: "NumberOfProcessors"
        case .virtualSwitchNames: "VirtualSwitchNames"
        case .version: "Version"
        case .shielded: "Shielded"
        case .enabledState: "EnabledState"
        case .processorLoad: "ProcessorLoad"
        case .memoryUsage: "MemoryUsage"
        case .heartbeat: "Heartbeat"
        case .upTime: "UpTime"
        case .guestOperatingSystem: "GuestOperatingSystem"
        case .healthState: "HealthState"
        case .operationalStatus: "OperationalStatus"
        case .statusDescriptions: "StatusDescriptions"
        case .memoryAvailable: "MemoryAvailable"
        case .availableMemoryBuffer: "AvailableMemoryBuffer"
        case .replicationMode: "ReplicationMode"
        case .replicationState: "ReplicationState"
        case .replicationHealth: "ReplicationHealth"
        case .swapFilesInUse: "SwapFilesInUse"
        case .memorySpansPhysicalNumaNodes: "MemorySpansPhysicalNumaNodes"
        }
    }
}
