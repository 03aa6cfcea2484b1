/// The VMs' disks, network adapters and the switches they connect to, as Hyper-V reports them.
extension InstanceFactory {
    /// The GUID of `Default Switch` (the same on every host); other switches get one derived from their name.
    static let defaultSwitchID = "C08CB7B8-9B3C-408E-8E30-5E16A3AEB444"

    /// `Msvm_VirtualEthernetSwitch.Name` of the switch called `name`.
    static func switchID(_ name: String) -> String {
        name.lowercased() == VirtualNetworkAdapter.defaultSwitchName.lowercased()
            ? defaultSwitchID : GUIDText.derived("switch/\(name.lowercased())").uppercased()
    }

    /// A WMI object path on this host (`\\HOST\root\virtualization\v2:Class.Key="v",…`), key
    /// values with `\` and `"` escaped as WMI writes them.
    func objectPath(_ className: String, _ keys: [(String, String)]) -> String {
        let escaped = keys.map { name, value in
            "\(name)=\"\(value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\""))\""
        }
        return #"\\"# + hostName + #"\root\virtualization\v2:"# + className + "." + escaped.joined(separator: ",")
    }

    /// `Msvm_StorageAllocationSettingData`: one per disk of `vm`.
    func storageSettings(_ vm: VMRecord) -> [WMIInstance] {
        vm.disks.map { disk in
            WMIInstance(WMISchema.storageAllocationSettingData, [
                "InstanceID": .string(#"Microsoft:\#(vm.guid)\\#(disk.controllerID)\\#(disk.controllerIndex)\\#(disk.location)\L"#),
                "Caption": .string(disk.optical ? "ISO Disk Image" : "Hard Disk Image"),
                "Description": .string(disk.optical ? "Settings for the Microsoft ISO Disk Image." : "Settings for the Microsoft Hard Disk Image."),
                "ElementName": .string(disk.optical ? "ISO Disk Image" : "Hard Disk Image"),
                "ResourceType": .integer(31),
                "ResourceSubType": .string(disk.optical ? InstanceFactory.opticalImageSubType : InstanceFactory.hardDiskImageSubType),
                "Parent": .string(objectPath(WMISchema.resourceAllocationSettingData.name, [("InstanceID", disk.drive.instanceID(vm: vm.guid))])),
                "PoolID": .string(""),
                "ConsumerVisibility": .integer(3),
                "HostResource": .array([.string(disk.path)]),
                "AllocationUnits": .string("byte"),
                "VirtualQuantity": .integer(1),
                "Limit": .integer(1),
                "Weight": .integer(0),
                "AutomaticAllocation": .boolean(true),
                "AutomaticDeallocation": .boolean(true),
                "Address": .string(String(disk.location)),
                "AddressOnParent": .string(String(disk.location)),
                "VirtualQuantityUnits": .string("count"),
                "Access": .integer(3),
                "HostResourceBlockSize": .integer(512),
                "Reservation": .integer(1),
                "HostExtentStartingAddress": .integer(0),
                "IOPSLimit": .integer(0),
                "IOPSReservation": .integer(0),
                "IOPSAllocationUnits": .string("count"),
                "PersistentReservationsSupported": .boolean(false),
                "CachingMode": .integer(0),
                "IgnoreFlushes": .boolean(false),
                "WriteHardeningMethod": .integer(0),
            ])
        }
    }

    /// `Microsoft:<VM GUID>\<adapter GUID>`, the synthetic port's `InstanceID`.
    private func adapterInstanceID(_ vm: VMRecord, _ adapter: VirtualNetworkAdapter) -> String {
        #"Microsoft:\#(vm.guid)\\#(adapter.id)"#
    }

    /// `Msvm_SyntheticEthernetPortSettingData`: one per adapter of `vm`.
    func syntheticPorts(_ vm: VMRecord) -> [WMIInstance] {
        vm.adapters.map { adapter in
            WMIInstance(WMISchema.syntheticEthernetPortSettingData, allocation([
                "InstanceID": .string(adapterInstanceID(vm, adapter)),
                "Caption": .string("Virtual Ethernet Port"),
                "Description": .string("Microsoft Virtual Network Adapter"),
                "ElementName": .string("Network Adapter"),
                "ResourceType": .integer(10),
                "ResourceSubType": .string(InstanceFactory.syntheticPortSubType),
                "Address": .string(adapter.mac),
                "VirtualQuantityUnits": .string("count"),
                "DesiredVLANEndpointMode": .integer(0),
                "StaticMacAddress": .boolean(adapter.staticMAC),
                "VirtualSystemIdentifiers": .array([.string("{\(adapter.id)}")]),
                "DeviceNamingEnabled": .boolean(false),
                "AllowPacketDirect": .boolean(false),
                "ClusterMonitored": .boolean(true),
                "InterruptModeration": .boolean(true),
                "NumaAwarePlacement": .boolean(false),
                "MediaType": .integer(0),
            ]))
        }
    }

    /// `Msvm_EthernetPortAllocationSettingData`: each adapter's connection to its switch.
    func portAllocations(_ vm: VMRecord) -> [WMIInstance] {
        vm.adapters.compactMap { adapter -> WMIInstance? in
            guard let switchName = adapter.switchName else { return nil }
            let switchPath = switchPath(switchName)
            return WMIInstance(WMISchema.ethernetPortAllocationSettingData, allocation([
                "InstanceID": .string(adapterInstanceID(vm, adapter) + #"\C"#),
                "Caption": .string("Ethernet Switch Port Settings"),
                "Description": .string("Ethernet Switch Port Settings"),
                "ElementName": .string("Dynamic Ethernet Switch Port"),
                "ResourceType": .integer(33),
                "ResourceSubType": .string(InstanceFactory.connectionSubType),
                "HostResource": .array([.string(switchPath)]),
                "Parent": .string(objectPath("Msvm_SyntheticEthernetPortSettingData", [("InstanceID", adapterInstanceID(vm, adapter))])),
                "VirtualQuantityUnits": .string("count"),
                "DesiredVLANEndpointMode": .integer(0),
                "EnabledState": .integer(2),
                "LastKnownSwitchName": .string(switchName),
                "RequiredFeatures": .array([]),
                "RequiredFeatureHints": .array([]),
                "TestReplicaPoolID": .string(""),
                "TestReplicaSwitchName": .string(""),
                "CompartmentGuid": .null,
            ]))
        }
    }

    /// The object path of the switch called `name`.
    func switchPath(_ name: String) -> String {
        objectPath(WMISchema.virtualEthernetSwitch.name, [("CreationClassName", WMISchema.virtualEthernetSwitch.name), ("Name", Self.switchID(name))])
    }

    /// The host's switches: those the inventory names, then each other one the adapters use,
    /// in first-use order.
    func switches(_ vms: [VMRecord]) -> [WMIInstance] {
        HyperVModel.switchNames(host: host, vms: vms).map { name in
            WMIInstance(WMISchema.virtualEthernetSwitch, [
                "Caption": .string("Virtual Switch"),
                "Description": .string("Microsoft Virtual Switch"),
                "ElementName": .string(name),
                "OperationalStatus": .array([.integer(2)]),
                "StatusDescriptions": .array([.string("OK")]),
                "HealthState": .integer(5),
                "EnabledState": .integer(2),
                "RequestedState": .integer(12),
                "EnabledDefault": .integer(2),
                "CreationClassName": .string("Msvm_VirtualEthernetSwitch"),
                "Name": .string(Self.switchID(name)),
                "Dedicated": .array([.integer(0)]),
                "ResetCapability": .integer(1),
                "MaxVMQOffloads": .integer(0),
                "MaxChimneyOffloads": .integer(0),
            ])
        }
    }
}
