/// The device settings, switch, summary and performance classes (property lists from the
/// Hyper-V v2 and Win32 documentation, in MOF order).
extension WMISchema {
    /// The properties every `CIM_ResourceAllocationSettingData` subclass starts with.
    private static let allocationProperties = """
        InstanceID Caption Description ElementName ResourceType OtherResourceType ResourceSubType PoolID
        ConsumerVisibility HostResource[] AllocationUnits VirtualQuantity Reservation Limit Weight
        AutomaticAllocation AutomaticDeallocation Parent Connection[] Address MappingBehavior AddressOnParent
        VirtualQuantityUnits
        """

    /// `Msvm_ResourceAllocationSettingData`: the storage controllers and drives.
    public static let resourceAllocationSettingData = WMIClass("Msvm_ResourceAllocationSettingData", keys: ["InstanceID"],
                                                               declaration: allocationProperties)

    /// `Msvm_StorageAllocationSettingData`: one per virtual hard disk (the VHD file).
    public static let storageAllocationSettingData = WMIClass("Msvm_StorageAllocationSettingData", keys: ["InstanceID"], declaration: """
        InstanceID Caption Description ElementName ResourceType OtherResourceType ResourceSubType PoolID
        ConsumerVisibility HostResource[] AllocationUnits VirtualQuantity Limit Weight StorageQoSPolicyID
        AutomaticAllocation AutomaticDeallocation Parent Connection[] Address MappingBehavior AddressOnParent
        VirtualResourceBlockSize VirtualQuantityUnits Access HostResourceBlockSize Reservation
        HostExtentStartingAddress HostExtentName OtherHostExtentNameFormat OtherHostExtentNameNamespace
        IOPSLimit IOPSReservation IOPSAllocationUnits PersistentReservationsSupported CachingMode SnapshotId
        IgnoreFlushes WriteHardeningMethod
        """)

    /// `Msvm_SyntheticEthernetPortSettingData`: one per network adapter.
    public static let syntheticEthernetPortSettingData = WMIClass("Msvm_SyntheticEthernetPortSettingData", keys: ["InstanceID"],
                                                                  declaration: allocationProperties + """

        DesiredVLANEndpointMode OtherEndpointMode StaticMacAddress VirtualSystemIdentifiers[] DeviceNamingEnabled
        AllowPacketDirect ClusterMonitored InterruptModeration NumaAwarePlacement MediaType
        """)

    /// `Msvm_EthernetPortAllocationSettingData`: an adapter's connection to a switch.
    public static let ethernetPortAllocationSettingData = WMIClass("Msvm_EthernetPortAllocationSettingData", keys: ["InstanceID"],
                                                                   declaration: allocationProperties + """

        DesiredVLANEndpointMode OtherEndpointMode EnabledState LastKnownSwitchName RequiredFeatures[]
        RequiredFeatureHints[] TestReplicaPoolID TestReplicaSwitchName CompartmentGuid
        """)

    /// `Msvm_VirtualEthernetSwitch`: one per switch the adapters name.
    public static let virtualEthernetSwitch = WMIClass("Msvm_VirtualEthernetSwitch", keys: ["CreationClassName", "Name"], declaration: """
        InstanceID Caption Description ElementName InstallDate OperationalStatus[] StatusDescriptions[] Status
        HealthState EnabledState RequestedState EnabledDefault TimeOfLastStateChange CreationClassName Name
        PrimaryOwnerName PrimaryOwnerContact Roles[] NameFormat OtherIdentifyingInfo[] IdentifyingDescriptions[]
        Dedicated[] OtherDedicatedDescriptions[] ResetCapability PowerManagementCapabilities[] MaxVMQOffloads
        MaxChimneyOffloads
        """)

    /// `Msvm_SummaryInformation`: only returned, embedded, by `GetSummaryInformation`.
    public static let summaryInformation = WMIClass("Msvm_SummaryInformation", keys: ["InstanceID"], declaration: """
        InstanceID AllocatedGPU Shielded AsynchronousTasks[] CreationTime ElementName EnabledState OtherEnabledState
        GuestOperatingSystem HealthState Heartbeat MemoryUsage MemoryAvailable AvailableMemoryBuffer SwapFilesInUse
        Name Notes Version NumberOfProcessors OperationalStatus[] ProcessorLoad ProcessorLoadHistory[] Snapshots[]
        StatusDescriptions[] ThumbnailImage[] ThumbnailImageHeight ThumbnailImageWidth UpTime ReplicationState
        ReplicationStateEx[] ReplicationHealth ReplicationHealthEx[] ReplicationMode TestReplicaSystem
        ApplicationHealth IntegrationServicesVersionState MemorySpansPhysicalNumaNodes ReplicationProviderId[]
        EnhancedSessionModeState VirtualSwitchNames[] VirtualSystemSubType HostComputerSystemName
        """)

    /// The properties of every raw performance class.
    private static let perfProperties = """
        Caption Description Name Frequency_Object Frequency_PerfTime Frequency_Sys100NS Timestamp_Object
        Timestamp_PerfTime Timestamp_Sys100NS
        """

    /// `Win32_PerfRawData_Counters_HyperVVirtualStorageDevice`: one per disk of a VM with a worker process.
    public static let perfVirtualStorageDevice = WMIClass("Win32_PerfRawData_Counters_HyperVVirtualStorageDevice", keys: ["Name"],
                                                          declaration: perfProperties + """

        ErrorCount FlushCount QueueLength ReadBytesPersec ReadCount ReadOperationsPerSec WriteBytesPersec
        WriteCount WriteOperationsPerSec
        """)

    /// `Win32_PerfRawData_NvspNicStats_HyperVVirtualNetworkAdapter`: one per adapter of a VM with a worker process.
    public static let perfVirtualNetworkAdapter = WMIClass("Win32_PerfRawData_NvspNicStats_HyperVVirtualNetworkAdapter", keys: ["Name"],
                                                           declaration: perfProperties + """

        BroadcastPacketsReceivedPersec BroadcastPacketsSentPersec BytesPersec BytesReceivedPersec BytesSentPersec
        DirectedPacketsReceivedPersec DirectedPacketsSentPersec DroppedPacketsIncomingPersec
        DroppedPacketsOutgoingPersec ExtensionsDroppedPacketsIncomingPersec ExtensionsDroppedPacketsOutgoingPersec
        MulticastPacketsReceivedPersec MulticastPacketsSentPersec PacketsPersec PacketsReceivedPersec
        PacketsSentPersec
        """)
}
