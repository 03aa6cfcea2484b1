import Foundation

/// Renders the model's records as WMI instances, with the property values a real Hyper-V
/// 2019 host reports (unknowns are null).
struct InstanceFactory {
    let host: HostSpec
    let bootTime: Date
    let now: ContinuousClock.Instant
    let jobDuration: Duration

    /// The resource-type GUIDs Hyper-V uses inside settings `InstanceID`s.
    static let processorResourceID = "B637F346-6A0E-4DEC-AF52-BD70CB80A21D"
    static let memoryResourceID = "4764334D-E001-4176-82EE-5594EC9B530E"
    static let shutdownDeviceID = "9F8233AC-BE49-4C79-8EE3-E7E1985B2077"

    var hostName: String { host.name.uppercased() }

    func instances(of wmiClass: WMIClass, vms: [VMRecord], jobs: [JobRecord]) -> [WMIInstance] {
        switch wmiClass.name {
        case WMISchema.computerSystem.name: [hostComputerSystem()] + vms.map(computerSystem)
        case WMISchema.virtualSystemSettingData.name: vms.map(settingData) + vms.flatMap(snapshotSettings)
        case WMISchema.processorSettingData.name: processorDefinitions() + vms.map(processorSettings)
        case WMISchema.memorySettingData.name: vms.map(memorySettings)
        case WMISchema.shutdownComponent.name: vms.map(shutdownComponent)
        case WMISchema.concreteJob.name: jobs.map(job)
        case WMISchema.managementService.name: [managementService()]
        case WMISchema.snapshotService.name: [service(WMISchema.snapshotService, name: "vssnapshotsvc", caption: "Virtual System Snapshot Service")]
        case WMISchema.migrationService.name: [service(WMISchema.migrationService, name: "vmms", caption: "Virtual System Migration Service")]
        case WMISchema.win32ComputerSystem.name: [win32ComputerSystem()]
        case WMISchema.win32Processor.name: (0..<max(0, host.sockets)).map(win32Processor)
        case WMISchema.win32OperatingSystem.name: [win32OperatingSystem(vms: vms)]
        case WMISchema.win32ComputerSystemProduct.name: [win32Product()]
        case WMISchema.storageAllocationSettingData.name: vms.flatMap(storageSettings)
        case WMISchema.resourceAllocationSettingData.name: vms.flatMap(controllersAndDrives)
        case WMISchema.syntheticEthernetPortSettingData.name: vms.flatMap(syntheticPorts)
        case WMISchema.ethernetPortAllocationSettingData.name: vms.flatMap(portAllocations)
        case WMISchema.virtualEthernetSwitch.name: switches(vms)
        case WMISchema.perfVirtualStorageDevice.name: vms.flatMap(storagePerformance)
        case WMISchema.perfVirtualNetworkAdapter.name: vms.flatMap(networkPerformance)
        default: []
        }
    }

    private func computerSystem(_ vm: VMRecord) -> WMIInstance {
        let onTime = vm.runningSince.map { now - $0 }
        return WMIInstance(WMISchema.computerSystem, [
            "InstanceID": .string("Microsoft:\(vm.guid)"),
            "Caption": .string("Virtual Machine"),
            "Description": .string("Microsoft Virtual Machine"),
            "ElementName": .string(vm.spec.name),
            "InstallDate": CIMTime.datetime(bootTime.addingTimeInterval(-86_400 * 30)),
            "OperationalStatus": .array([.integer(2)]),
            "StatusDescriptions": .array([.string("Operating normally")]),
            "HealthState": .integer(5),
            "EnabledState": .integer(Int64(vm.enabledState)),
            "RequestedState": .integer(Int64(vm.requestedState)),
            "EnabledDefault": .integer(2),
            "TimeOfLastStateChange": CIMTime.datetime(vm.lastStateChange),
            "TransitioningToState": vm.pendingJob == nil ? .integer(12) : .integer(Int64(vm.requestedState)),
            "CreationClassName": .string("Msvm_ComputerSystem"),
            "Name": .string(vm.guid),
            "NameFormat": .null,
            "Dedicated": .array([]),
            "ResetCapability": .integer(1),
            "PowerManagementCapabilities": .array([]),
            "OnTimeInMilliseconds": .integer(onTime.map { $0.components.seconds * 1000 + $0.components.attoseconds / 1_000_000_000_000_000 } ?? 0),
            "ProcessID": vm.processID.map { .integer(Int64($0)) } ?? .null,
            "TimeOfLastConfigurationChange": CIMTime.datetime(bootTime),
            "NumberOfNumaNodes": .integer(1),
            "ReplicationState": .integer(0),
            "ReplicationHealth": .integer(0),
            "ReplicationMode": .integer(0),
            "FailedOverReplicationType": .integer(0),
            "LastReplicationType": .integer(0),
            "EnhancedSessionModeState": .integer(3),
        ])
    }

    private func hostComputerSystem() -> WMIInstance {
        WMIInstance(WMISchema.computerSystem, [
            "Caption": .string("Hosting Computer System"),
            "Description": .string("Microsoft Hosting Computer System"),
            "ElementName": .string(hostName),
            "InstallDate": CIMTime.datetime(bootTime.addingTimeInterval(-86_400 * 365)),
            "OperationalStatus": .array([.integer(2)]),
            "StatusDescriptions": .array([.string("OK")]),
            "HealthState": .integer(5),
            "EnabledState": .integer(2),
            "RequestedState": .integer(12),
            "EnabledDefault": .integer(2),
            "TransitioningToState": .integer(12),
            "CreationClassName": .string("Msvm_ComputerSystem"),
            "Name": .string(hostName),
            "NameFormat": .null,
            "Dedicated": .array([.integer(0)]),
            "ResetCapability": .integer(1),
            "PowerManagementCapabilities": .array([]),
            "ProcessID": .null,
        ])
    }

    func settingData(_ vm: VMRecord) -> WMIInstance {
        let root = #"C:\ProgramData\Microsoft\Windows\Hyper-V"#
        return WMIInstance(WMISchema.virtualSystemSettingData, [
            "InstanceID": .string("Microsoft:\(vm.guid)"),
            "Caption": .string("Virtual Machine Settings"),
            "Description": .string("Active settings for the virtual machine."),
            "ElementName": .string(vm.spec.name),
            "VirtualSystemIdentifier": .string(vm.guid),
            "VirtualSystemType": .string("Microsoft:Hyper-V:System:Realized"),
            "Notes": .array(vm.spec.notes.map { [.string($0)] } ?? []),
            "CreationTime": CIMTime.datetime(vm.created ?? bootTime.addingTimeInterval(-86_400 * 30)),
            "ConfigurationID": .string(vm.guid),
            "ConfigurationDataRoot": .string(root),
            "ConfigurationFile": .string(#"\#(root)\Virtual Machines\\#(vm.guid).vmcx"#),
            "SnapshotDataRoot": .string(root),
            "SuspendDataRoot": .string(root),
            "SwapFileDataRoot": .string(root),
            "LogDataRoot": .string(root),
            "AutomaticStartupAction": .integer(Int64(vm.automaticStartupAction)),
            "AutomaticStartupActionDelay": .interval("PT0S"),
            "AutomaticStartupActionSequenceNumber": .integer(0),
            "AutomaticShutdownAction": .integer(3),
            "AutomaticRecoveryAction": .integer(3),
            "BIOSGUID": .string("{\(vm.biosGuid)}"),
            "BIOSSerialNumber": .string(String(vm.biosGuid.filter(\.isHexDigit).prefix(20))),
            "BaseBoardSerialNumber": .string(String(vm.biosGuid.filter(\.isHexDigit).suffix(20))),
            "ChassisSerialNumber": .string(String(vm.guid.filter(\.isHexDigit).prefix(20))),
            "ChassisAssetTag": .string(String(vm.guid.filter(\.isHexDigit).suffix(20))),
            "BIOSNumLock": .boolean(false),
            "BootOrder": .array([]),
            "Parent": vm.currentSnapshot.map { .string(snapshotPath($0)) } ?? .null,
            "IsSaved": .boolean(vm.enabledState == 6),
            "AllowFullSCSICommandSet": .boolean(false),
            "DebugPortEnabled": .integer(0),
            "Version": .string("9.0"),
            "IncrementalBackupEnabled": .boolean(false),
            "VirtualNumaEnabled": .boolean(true),
            "VirtualSystemSubType": .string("Microsoft:Hyper-V:SubType:\(vm.spec.resolvedGeneration)"),
            "BootSourceOrder": .array([]),
            "PauseAfterBootFailure": .boolean(false),
            "NetworkBootPreferredProtocol": .integer(4096),
            "AutomaticSnapshotsEnabled": .boolean(false),
            "IsAutomaticSnapshot": .boolean(false),
            "SecureBootEnabled": .boolean(vm.spec.resolvedGeneration == 2),
            "LowMmioGapSize": .integer(128),
            "HighMmioGapSize": .integer(512),
        ])
    }

    private func processorValues(instanceID: String, quantity: Int) -> [String: WMIValue] {
        [
            "InstanceID": .string(instanceID),
            "Caption": .string("Processor"),
            "Description": .string("Settings for Microsoft Virtual Processor."),
            "ElementName": .string("Processor"),
            "ResourceType": .integer(3),
            "ResourceSubType": .string("Microsoft:Hyper-V:Processor"),
            "PoolID": .string(""),
            "ConsumerVisibility": .integer(3),
            "HostResource": .array([]),
            "AllocationUnits": .string("percent / 1000"),
            "VirtualQuantity": .integer(Int64(quantity)),
            "Reservation": .integer(0),
            "Limit": .integer(100_000),
            "Weight": .integer(100),
            "AutomaticAllocation": .boolean(true),
            "AutomaticDeallocation": .boolean(true),
            "VirtualQuantityUnits": .string("count"),
            "LimitCPUID": .boolean(false),
            "HwThreadsPerCore": .integer(1),
            "LimitProcessorFeatures": .boolean(false),
            "MaxProcessorsPerNumaNode": .integer(Int64(host.coresPerSocket)),
            "MaxNumaNodesPerSocket": .integer(1),
            "EnableHostResourceProtection": .boolean(false),
            "CpuGroupId": .string("00000000-0000-0000-0000-000000000000"),
            "HideHypervisorPresent": .boolean(false),
            "ExposeVirtualizationExtensions": .boolean(false),
        ]
    }

    /// The capability definitions libvirt reads for the maximum vCPU count
    /// (`InstanceID LIKE 'Microsoft:Definition%Maximum'`).
    private func processorDefinitions() -> [WMIInstance] {
        let maximum = max(1, min(240, host.sockets * host.logicalPerSocket))
        return [("Minimum", 1), ("Maximum", maximum), ("Default", 1), ("Increment", 1)].map { label, quantity in
            WMIInstance(WMISchema.processorSettingData,
                        processorValues(instanceID: #"Microsoft:Definition\\#(Self.processorResourceID)\\#(label)"#, quantity: quantity))
        }
    }

    private func processorSettings(_ vm: VMRecord) -> WMIInstance {
        WMIInstance(WMISchema.processorSettingData,
                    processorValues(instanceID: #"Microsoft:\#(vm.guid)\\#(Self.processorResourceID)\0"#, quantity: vm.spec.vcpus))
    }

    private func memorySettings(_ vm: VMRecord) -> WMIInstance {
        WMIInstance(WMISchema.memorySettingData, [
            "InstanceID": .string(#"Microsoft:\#(vm.guid)\\#(Self.memoryResourceID)"#),
            "Caption": .string("Memory"),
            "Description": .string("Settings for Microsoft Virtual Machine Memory."),
            "ElementName": .string("Memory"),
            "ResourceType": .integer(4),
            "ResourceSubType": .string("Microsoft:Hyper-V:Memory"),
            "PoolID": .string(""),
            "ConsumerVisibility": .integer(2),
            "HostResource": .array([]),
            "AllocationUnits": .string("byte * 2^20"),
            "VirtualQuantity": .integer(Int64(vm.spec.memoryMiB)),
            "Reservation": .integer(Int64(vm.spec.memoryMiB)),
            "Limit": .integer(Int64(vm.spec.maxMemoryMiB)),
            "Weight": .integer(5000),
            "AutomaticAllocation": .boolean(true),
            "AutomaticDeallocation": .boolean(true),
            "VirtualQuantityUnits": .string("byte * 2^20"),
            "DynamicMemoryEnabled": .boolean(vm.spec.maxMemoryMiB > vm.spec.memoryMiB),
            "TargetMemoryBuffer": .integer(20),
            "IsVirtualized": .boolean(true),
            "SwapFilesInUse": .boolean(false),
            "MaxMemoryBlocksPerNumaNode": .integer(Int64(host.memoryBytes / Int64(max(1, host.sockets)) / 1_048_576)),
            "SgxSize": .integer(0),
            "SgxEnabled": .boolean(false),
        ])
    }

    private func shutdownComponent(_ vm: VMRecord) -> WMIInstance {
        let running = vm.enabledState == 2
        return WMIInstance(WMISchema.shutdownComponent, [
            "InstanceID": .string(#"Microsoft:\#(vm.guid)\\#(Self.shutdownDeviceID)"#),
            "Caption": .string("Shutdown"),
            "Description": .string("Microsoft Shutdown Component"),
            "ElementName": .string("Shutdown"),
            "Name": .string("Shutdown"),
            "OperationalStatus": .array(running ? [.integer(2)] : []),
            "StatusDescriptions": .array(running ? [.string("OK")] : []),
            "HealthState": .integer(5),
            "EnabledState": .integer(running ? 2 : 3),
            "RequestedState": .integer(12),
            "EnabledDefault": .integer(2),
            "TransitioningToState": .integer(12),
            "SystemCreationClassName": .string("Msvm_ComputerSystem"),
            "SystemName": .string(vm.guid),
            "CreationClassName": .string("Msvm_ShutdownComponent"),
            "DeviceID": .string(#"Microsoft:\#(vm.guid)\\#(Self.shutdownDeviceID)"#),
        ])
    }

    private func job(_ job: JobRecord) -> WMIInstance {
        let elapsed = min(now - job.submitted, job.duration)
        let done = job.completedAt != nil
        let fraction = job.duration > .zero ? elapsed / job.duration : 1
        let percent = done ? 100 : min(99, Int(fraction * 100))
        return WMIInstance(WMISchema.concreteJob, [
            "InstanceID": .string(job.id),
            "Caption": .string(job.caption),
            "Description": .string(job.caption),
            "ElementName": .string(job.caption),
            "Name": .string(job.caption),
            "OperationalStatus": .array([.integer(done ? 17 : 2)]),
            "StatusDescriptions": .array([.string(job.terminated ? "Job was terminated" : done && job.failure != nil ? "Job failed"
                : done ? "Job Completed with No Error" : "Job is running")]),
            "Status": .string("OK"),
            "HealthState": .integer(5),
            "JobStatus": .string(job.terminated ? "Job was terminated" : done && job.failure != nil ? "Job failed"
                : done ? "Job completed successfully" : "Job is running"),
            "TimeSubmitted": CIMTime.datetime(job.submittedDate),
            "StartTime": CIMTime.datetime(job.submittedDate),
            "ElapsedTime": CIMTime.interval(elapsed),
            "JobRunTimes": .integer(1),
            "Notify": .string(""),
            "Owner": .string(#"LAB\Administrator"#),
            "Priority": .integer(0),
            "PercentComplete": .integer(Int64(percent)),
            "DeleteOnCompletion": .boolean(false),
            "ErrorCode": .integer(done && job.fails ? 32768 : done ? Int64(job.failure?.code ?? 0) : 0),
            "ErrorDescription": done && job.fails ? .string("The virtual machine could not change state: simulated failure.")
                : done ? job.failure.map { .string($0.description) } ?? .null : .null,
            "RecoveryAction": .integer(2),
            "JobState": .integer(job.terminated ? 8 : done ? (job.fails || job.failure != nil ? 10 : 7) : 4),
            "TimeOfLastStateChange": CIMTime.datetime(done ? job.submittedDate.addingTimeInterval(Double(job.duration.components.seconds)) : job.submittedDate),
            "TimeBeforeRemoval": .interval("PT5M"),
            "Cancellable": .boolean(job.cancellable),
            "JobType": .integer(Int64(job.jobType)),
        ])
    }

    private func managementService() -> WMIInstance {
        WMIInstance(WMISchema.managementService, [
            "Caption": .string("Virtual Machine Management Service"),
            "Description": .string("Service that manages virtual machines"),
            "ElementName": .string("Virtual Machine Management Service"),
            "Name": .string("vmms"),
            "OperationalStatus": .array([.integer(2)]),
            "HealthState": .integer(5),
            "EnabledState": .integer(2),
            "RequestedState": .integer(12),
            "EnabledDefault": .integer(2),
            "SystemCreationClassName": .string("Msvm_ComputerSystem"),
            "SystemName": .string(hostName),
            "CreationClassName": .string("Msvm_VirtualSystemManagementService"),
            "StartMode": .string("Auto"),
            "Started": .boolean(true),
        ])
    }

    /// A service of the host (snapshot, migration): one instance, keyed like the management service.
    private func service(_ wmiClass: WMIClass, name: String, caption: String) -> WMIInstance {
        WMIInstance(wmiClass, [
            "Caption": .string(caption), "Description": .string(caption), "ElementName": .string(caption), "Name": .string(name),
            "OperationalStatus": .array([.integer(2)]), "HealthState": .integer(5), "EnabledState": .integer(2),
            "RequestedState": .integer(12), "EnabledDefault": .integer(2), "SystemCreationClassName": .string("Msvm_ComputerSystem"),
            "SystemName": .string(hostName), "CreationClassName": .string(wmiClass.name), "StartMode": .string("Auto"),
            "Started": .boolean(true),
        ])
    }

    private func win32ComputerSystem() -> WMIInstance {
        let domain = host.dnsHostName.split(separator: ".", maxSplits: 1).dropFirst().first.map(String.init) ?? "WORKGROUP"
        return WMIInstance(WMISchema.win32ComputerSystem, [
            "Caption": .string(hostName),
            "Description": .string("AT/AT COMPATIBLE"),
            "Name": .string(hostName),
            "CreationClassName": .string("Win32_ComputerSystem"),
            "DNSHostName": .string(host.dnsHostName),
            "Domain": .string(domain),
            "Manufacturer": .string("virtfed"),
            "Model": .string("Simulated Hyper-V Host"),
            "NumberOfLogicalProcessors": .integer(Int64(host.sockets * host.logicalPerSocket)),
            "NumberOfProcessors": .integer(Int64(host.sockets)),
            "PartOfDomain": .boolean(domain != "WORKGROUP"),
            "PrimaryOwnerName": .string("Administrator"),
            "Status": .string("OK"),
            "SystemType": .string("x64-based PC"),
            "TotalPhysicalMemory": .integer(host.memoryBytes),
            "UserName": .null,
            "Workgroup": .null,
            "HypervisorPresent": .boolean(true),
        ])
    }

    private func win32Processor(_ socket: Int) -> WMIInstance {
        WMIInstance(WMISchema.win32Processor, [
            "Caption": .string("Intel64 Family 6 Model 85 Stepping 7"),
            "Description": .string("Intel64 Family 6 Model 85 Stepping 7"),
            "DeviceID": .string("CPU\(socket)"),
            "Name": .string(host.cpuModel),
            "Manufacturer": .string(host.cpuModel.contains("AMD") ? "AuthenticAMD" : "GenuineIntel"),
            "MaxClockSpeed": .integer(Int64(host.mhz)),
            "CurrentClockSpeed": .integer(Int64(host.mhz)),
            "NumberOfCores": .integer(Int64(host.coresPerSocket)),
            "NumberOfEnabledCore": .integer(Int64(host.coresPerSocket)),
            "NumberOfLogicalProcessors": .integer(Int64(host.logicalPerSocket)),
            "ThreadCount": .integer(Int64(host.logicalPerSocket)),
            "SocketDesignation": .string("CPU\(socket)"),
            "Architecture": .integer(9),
            "Family": .integer(179),
            "ProcessorId": .string("BFEBFBFF00050657"),
            "ProcessorType": .integer(3),
            "L2CacheSize": .integer(Int64(host.coresPerSocket * 1024)),
            "L3CacheSize": .integer(28_160),
            "AddressWidth": .integer(64),
            "DataWidth": .integer(64),
            "Status": .string("OK"),
            "Availability": .integer(3),
            "CpuStatus": .integer(1),
            "LoadPercentage": .integer(7),
            "SystemName": .string(hostName),
            "CreationClassName": .string("Win32_Processor"),
            "SystemCreationClassName": .string("Win32_ComputerSystem"),
            "VirtualizationFirmwareEnabled": .boolean(false),
            "SecondLevelAddressTranslationExtensions": .boolean(false),
        ])
    }

    private func win32OperatingSystem(vms: [VMRecord]) -> WMIInstance {
        let caption: String
        switch host.osVersion {
        case let version where version.hasPrefix("10.0.14393"): caption = "Microsoft Windows Server 2016 Datacenter"
        case let version where version.hasPrefix("10.0.17763"): caption = "Microsoft Windows Server 2019 Datacenter"
        case let version where version.hasPrefix("10.0.20348"): caption = "Microsoft Windows Server 2022 Datacenter"
        default: caption = "Microsoft Windows Server Datacenter"
        }
        let totalKiB = host.memoryBytes / 1024
        let usedKiB = vms.filter { $0.processID != nil }.reduce(Int64(4 << 20)) { $0 + Int64($1.spec.memoryMiB) * 1024 }
        return WMIInstance(WMISchema.win32OperatingSystem, [
            "Caption": .string(caption),
            "Description": .string(""),
            "Name": .string(#"\#(caption)|C:\Windows|\Device\Harddisk0\Partition2"#),
            "Version": .string(host.osVersion),
            "BuildNumber": .string(host.osVersion.split(separator: ".").last.map(String.init) ?? ""),
            "CSName": .string(hostName),
            "CSCreationClassName": .string("Win32_ComputerSystem"),
            "CreationClassName": .string("Win32_OperatingSystem"),
            "Manufacturer": .string("Microsoft Corporation"),
            "OSArchitecture": .string("64-bit"),
            "OSType": .integer(18),
            "ProductType": .integer(3),
            "FreePhysicalMemory": .integer(max(0, totalKiB - usedKiB)),
            "TotalVisibleMemorySize": .integer(totalKiB),
            "FreeVirtualMemory": .integer(max(0, totalKiB - usedKiB)),
            "TotalVirtualMemorySize": .integer(totalKiB + (8 << 20)),
            "LastBootUpTime": CIMTime.datetime(bootTime),
            "LocalDateTime": CIMTime.datetime(Date()),
            "InstallDate": CIMTime.datetime(bootTime.addingTimeInterval(-86_400 * 365)),
            "NumberOfProcesses": .integer(Int64(120 + vms.filter { $0.processID != nil }.count)),
            "SerialNumber": .string("00430-00000-00000-AA000"),
            "Status": .string("OK"),
            "SystemDirectory": .string(#"C:\Windows\system32"#),
            "WindowsDirectory": .string(#"C:\Windows"#),
            "Locale": .string("0409"),
            "OSLanguage": .integer(1033),
        ])
    }

    private func win32Product() -> WMIInstance {
        let uuid = (host.uuid.flatMap(GUIDText.normalized) ?? GUIDText.derived("host/\(host.name)")).uppercased()
        return WMIInstance(WMISchema.win32ComputerSystemProduct, [
            "Caption": .string("Computer System Product"),
            "Description": .string("Computer System Product"),
            "IdentifyingNumber": .string("SIM-\(hostName)"),
            "Name": .string("Simulated Hyper-V Host"),
            "SKUNumber": .null,
            "UUID": .string(uuid),
            "Vendor": .string("virtfed"),
            "Version": .string("1.0"),
        ])
    }
}
