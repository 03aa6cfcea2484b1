/// Every class the simulator knows, with the property lists of hyperv_wmi_generator.input
/// (Msvm_*) and the Win32 documentation (Win32_*, trimmed to the commonly read properties);
/// the device, switch, summary and performance classes are in `WMISchema+Devices`.
/// Classes listed here with no instances (e.g. `Msvm_ResourceAllocationSettingData`) answer
/// queries with an empty result instead of a fault.
public enum WMISchema {
    /// `Msvm_ComputerSystem` (VMs and the host).
    public static let computerSystem = WMIClass("Msvm_ComputerSystem", keys: ["CreationClassName", "Name"], declaration: """
        InstanceID Caption Description ElementName InstallDate OperationalStatus[] StatusDescriptions[] Status
        HealthState CommunicationStatus DetailedStatus OperatingStatus PrimaryStatus EnabledState
        OtherEnabledState RequestedState EnabledDefault TimeOfLastStateChange AvailableRequestedStates[]
        TransitioningToState CreationClassName Name PrimaryOwnerName PrimaryOwnerContact Roles[] NameFormat
        OtherIdentifyingInfo[] IdentifyingDescriptions[] Dedicated[] OtherDedicatedDescriptions[]
        ResetCapability PowerManagementCapabilities[] OnTimeInMilliseconds ProcessID
        TimeOfLastConfigurationChange NumberOfNumaNodes ReplicationState ReplicationHealth ReplicationMode
        FailedOverReplicationType LastReplicationType LastApplicationConsistentReplicationTime
        LastReplicationTime LastSuccessfulBackupTime EnhancedSessionModeState
        """)

    /// `Msvm_VirtualSystemSettingData`.
    public static let virtualSystemSettingData = WMIClass("Msvm_VirtualSystemSettingData", keys: ["InstanceID"], declaration: """
        InstanceID Caption Description ElementName VirtualSystemIdentifier VirtualSystemType Notes[]
        CreationTime ConfigurationID ConfigurationDataRoot ConfigurationFile SnapshotDataRoot SuspendDataRoot
        SwapFileDataRoot LogDataRoot AutomaticStartupAction AutomaticStartupActionDelay
        AutomaticStartupActionSequenceNumber AutomaticShutdownAction AutomaticRecoveryAction
        RecoveryFile BIOSGUID BIOSSerialNumber BaseBoardSerialNumber ChassisSerialNumber ChassisAssetTag
        BIOSNumLock BootOrder[] Parent IsSaved AdditionalRecoveryInformation AllowFullSCSICommandSet
        DebugChannelId DebugPortEnabled DebugPort Version IncrementalBackupEnabled VirtualNumaEnabled
        AllowReducedFcRedundancy VirtualSystemSubType BootSourceOrder[] PauseAfterBootFailure
        NetworkBootPreferredProtocol GuestControlledCacheTypes AutomaticSnapshotsEnabled IsAutomaticSnapshot
        GuestStateFile SecureBootTemplateId LowMmioGapSize HighMmioGapSize SecureBootEnabled
        """)

    /// `Msvm_ProcessorSettingData`.
    public static let processorSettingData = WMIClass("Msvm_ProcessorSettingData", keys: ["InstanceID"], declaration: """
        InstanceID Caption Description ElementName ResourceType OtherResourceType ResourceSubType PoolID
        ConsumerVisibility HostResource[] AllocationUnits VirtualQuantity Reservation Limit Weight
        AutomaticAllocation AutomaticDeallocation Parent Connection[] Address MappingBehavior AddressOnParent
        VirtualQuantityUnits LimitCPUID HwThreadsPerCore LimitProcessorFeatures MaxProcessorsPerNumaNode
        MaxNumaNodesPerSocket EnableHostResourceProtection CpuGroupId HideHypervisorPresent
        ExposeVirtualizationExtensions
        """)

    /// `Msvm_MemorySettingData`.
    public static let memorySettingData = WMIClass("Msvm_MemorySettingData", keys: ["InstanceID"], declaration: """
        InstanceID Caption Description ElementName ResourceType OtherResourceType ResourceSubType PoolID
        ConsumerVisibility HostResource[] AllocationUnits VirtualQuantity Reservation Limit Weight
        AutomaticAllocation AutomaticDeallocation Parent Connection[] Address MappingBehavior AddressOnParent
        VirtualQuantityUnits DynamicMemoryEnabled TargetMemoryBuffer IsVirtualized SwapFilesInUse
        MaxMemoryBlocksPerNumaNode SgxSize SgxEnabled
        """)

    /// `Msvm_ShutdownComponent`.
    public static let shutdownComponent = WMIClass(
        "Msvm_ShutdownComponent", keys: ["CreationClassName", "DeviceID", "SystemCreationClassName", "SystemName"], declaration: """
        InstanceID Caption Description ElementName InstallDate Name OperationalStatus[] StatusDescriptions[]
        Status HealthState CommunicationStatus DetailedStatus OperatingStatus PrimaryStatus EnabledState
        OtherEnabledState RequestedState EnabledDefault TimeOfLastStateChange AvailableRequestedStates[]
        TransitioningToState SystemCreationClassName SystemName CreationClassName DeviceID
        """)

    /// `Msvm_ConcreteJob`.
    public static let concreteJob = WMIClass("Msvm_ConcreteJob", keys: ["InstanceID"], declaration: """
        InstanceID Caption Description ElementName InstallDate Name OperationalStatus[] StatusDescriptions[]
        Status HealthState CommunicationStatus DetailedStatus OperatingStatus PrimaryStatus JobStatus
        TimeSubmitted ScheduledStartTime StartTime ElapsedTime JobRunTimes RunMonth RunDay RunDayOfWeek
        RunStartInterval RunEndInterval Notify Owner Priority PercentComplete DeleteOnCompletion ErrorCode
        ErrorDescription ErrorSummaryDescription RecoveryAction OtherRecoveryAction JobState
        TimeOfLastStateChange TimeBeforeRemoval Cancellable JobType
        """)

    /// `Msvm_VirtualSystemManagementService` (one instance; of its methods only `GetSummaryInformation`).
    public static let managementService = WMIClass(
        "Msvm_VirtualSystemManagementService", keys: ["CreationClassName", "Name", "SystemCreationClassName", "SystemName"],
        declaration: """
        InstanceID Caption Description ElementName InstallDate Name OperationalStatus[] StatusDescriptions[]
        Status HealthState EnabledState RequestedState EnabledDefault SystemCreationClassName SystemName
        CreationClassName PrimaryOwnerName StartMode Started
        """)

    /// `Msvm_VirtualSystemSnapshotService` (one instance; `CreateSnapshot`, `ApplySnapshot`,
    /// `DestroySnapshot`, `DestroySnapshotTree`).
    public static let snapshotService = WMIClass(
        "Msvm_VirtualSystemSnapshotService", keys: ["CreationClassName", "Name", "SystemCreationClassName", "SystemName"],
        declaration: """
        InstanceID Caption Description ElementName InstallDate Name OperationalStatus[] StatusDescriptions[]
        Status HealthState EnabledState RequestedState EnabledDefault SystemCreationClassName SystemName
        CreationClassName PrimaryOwnerName StartMode Started
        """)

    /// `Msvm_VirtualSystemMigrationService` (one instance; `MigrateVirtualSystemToHost`).
    public static let migrationService = WMIClass(
        "Msvm_VirtualSystemMigrationService", keys: ["CreationClassName", "Name", "SystemCreationClassName", "SystemName"],
        declaration: """
        InstanceID Caption Description ElementName InstallDate Name OperationalStatus[] StatusDescriptions[]
        Status HealthState EnabledState RequestedState EnabledDefault SystemCreationClassName SystemName
        CreationClassName PrimaryOwnerName StartMode Started ActiveVirtualSystemMigrationConnections
        """)

    /// `Msvm_VirtualSystemMigrationSettingData` (only ever passed to `MigrateVirtualSystemToHost`).
    public static let migrationSettingData = WMIClass("Msvm_VirtualSystemMigrationSettingData", keys: ["InstanceID"], declaration: """
        InstanceID Caption Description ElementName MigrationType Priority TransportType DestinationIPAddressList[]
        DestinationPlannedVirtualSystemId RetainVhdCopiesOnSource EnableCompression
        """)

    /// `Win32_ComputerSystem`.
    public static let win32ComputerSystem = WMIClass("Win32_ComputerSystem", keys: ["Name"], declaration: """
        Caption Description Name CreationClassName DNSHostName Domain Manufacturer Model
        NumberOfLogicalProcessors NumberOfProcessors PartOfDomain PrimaryOwnerName Status SystemType
        TotalPhysicalMemory UserName Workgroup HypervisorPresent
        """)

    /// `Win32_Processor` (one instance per socket).
    public static let win32Processor = WMIClass("Win32_Processor", keys: ["DeviceID"], declaration: """
        Caption Description DeviceID Name Manufacturer MaxClockSpeed CurrentClockSpeed NumberOfCores
        NumberOfEnabledCore NumberOfLogicalProcessors ThreadCount SocketDesignation Architecture Family
        ProcessorId ProcessorType L2CacheSize L3CacheSize AddressWidth DataWidth Status Availability CpuStatus
        LoadPercentage SystemName CreationClassName SystemCreationClassName VirtualizationFirmwareEnabled
        SecondLevelAddressTranslationExtensions
        """)

    /// `Win32_OperatingSystem`.
    public static let win32OperatingSystem = WMIClass("Win32_OperatingSystem", keys: ["Name"], declaration: """
        Caption Description Name Version BuildNumber CSName CSCreationClassName CreationClassName Manufacturer
        OSArchitecture OSType ProductType FreePhysicalMemory TotalVisibleMemorySize FreeVirtualMemory
        TotalVirtualMemorySize LastBootUpTime LocalDateTime InstallDate NumberOfProcesses SerialNumber Status
        SystemDirectory WindowsDirectory Locale OSLanguage
        """)

    /// `Win32_ComputerSystemProduct` (read by libvirt at connect for the host UUID).
    public static let win32ComputerSystemProduct = WMIClass(
        "Win32_ComputerSystemProduct", keys: ["IdentifyingNumber", "Name", "Version"], declaration: """
        Caption Description IdentifyingNumber Name SKUNumber UUID Vendor Version
        """)

    /// Settings classes libvirt may ask for but that the simulator does not populate.
    public static let emptyClasses: [WMIClass] = [
        "Msvm_SerialPortSettingData",
    ].map { WMIClass($0, keys: ["InstanceID"], declaration: "InstanceID Caption Description ElementName ResourceType ResourceSubType Parent Address Connection[] HostResource[]") }
        + [WMIClass("Msvm_Keyboard", keys: ["CreationClassName", "DeviceID", "SystemCreationClassName", "SystemName"],
                    declaration: "Caption Description ElementName DeviceID SystemName SystemCreationClassName CreationClassName EnabledState")]

    /// Every known class, by lowercased name.
    public static let classes: [String: WMIClass] = {
        let all = [computerSystem, virtualSystemSettingData, processorSettingData, memorySettingData, shutdownComponent,
                   concreteJob, managementService, snapshotService, migrationService, migrationSettingData, win32ComputerSystem, win32Processor, win32OperatingSystem,
                   win32ComputerSystemProduct, storageAllocationSettingData, syntheticEthernetPortSettingData,
                   ethernetPortAllocationSettingData, virtualEthernetSwitch, resourceAllocationSettingData, perfVirtualStorageDevice,
                   perfVirtualNetworkAdapter] + emptyClasses
        return Dictionary(uniqueKeysWithValues: all.map { ($0.name.lowercased(), $0) })
    }()

    /// A known class by name, case-insensitively.
    public static func wmiClass(named name: String) -> WMIClass? { classes[name.lowercased()] }

    /// The class a per-class resource URI names, if known.
    public static func wmiClass(resourceURI: String) -> WMIClass? {
        for namespace in [WMINamespace.virtualizationV2, .cimv2] where resourceURI.hasPrefix(namespace.uriPrefix) {
            guard let found = wmiClass(named: String(resourceURI.dropFirst(namespace.uriPrefix.count))),
                  found.namespace == namespace else { return nil }
            return found
        }
        return nil
    }
}
