/// The VMs' storage controllers and drives (`Msvm_ResourceAllocationSettingData`), as Hyper-V
/// reports them: each drive's `Parent` is its controller's object path, each image's (in
/// `Msvm_StorageAllocationSettingData`) its drive's.
extension InstanceFactory {
    /// `ResourceSubType` of each kind of resource the simulator knows.
    static let ideControllerSubType = "Microsoft:Hyper-V:Emulated IDE Controller"
    static let scsiControllerSubType = "Microsoft:Hyper-V:Synthetic SCSI Controller"
    static let diskDriveSubType = "Microsoft:Hyper-V:Synthetic Disk Drive"
    static let dvdDriveSubType = "Microsoft:Hyper-V:Synthetic DVD Drive"
    static let hardDiskImageSubType = "Microsoft:Hyper-V:Virtual Hard Disk"
    static let opticalImageSubType = "Microsoft:Hyper-V:Virtual CD/DVD Disk"
    static let syntheticPortSubType = "Microsoft:Hyper-V:Synthetic Ethernet Port"
    static let connectionSubType = "Microsoft:Hyper-V:Ethernet Connection"

    /// The controllers of `vm`, then its drives.
    func controllersAndDrives(_ vm: VMRecord) -> [WMIInstance] {
        let controllers = vm.controllers.map { controller in
            let ide = controller.kind == .ide
            return WMIInstance(WMISchema.resourceAllocationSettingData, allocation([
                "InstanceID": .string(controller.instanceID(vm: vm.guid)),
                "Caption": .string(ide ? "IDE Controller \(controller.index)" : "SCSI Controller"),
                "Description": .string(ide ? "Settings for the Microsoft Emulated IDE Controller." : "Settings for the Microsoft Synthetic SCSI Controller."),
                "ElementName": .string(ide ? "IDE Controller \(controller.index)" : "SCSI Controller"),
                "ResourceType": .integer(ide ? 5 : 6),
                "ResourceSubType": .string(ide ? Self.ideControllerSubType : Self.scsiControllerSubType),
                "Address": .string(ide ? String(controller.index) : ""),
            ]))
        }
        let drives = vm.drives.map { drive in
            let controller = StorageController(id: drive.controllerID, index: drive.controllerIndex, kind: .ide)
            return WMIInstance(WMISchema.resourceAllocationSettingData, allocation([
                "InstanceID": .string(drive.instanceID(vm: vm.guid)),
                "Caption": .string(drive.optical ? "DVD Drive" : "Hard Drive"),
                "Description": .string(drive.optical ? "Settings for the Microsoft Synthetic DVD Drive." : "Settings for the Microsoft Synthetic Disk Drive."),
                "ElementName": .string(drive.optical ? "DVD Drive" : "Hard Drive"),
                "ResourceType": .integer(drive.optical ? 16 : 17),
                "ResourceSubType": .string(drive.optical ? Self.dvdDriveSubType : Self.diskDriveSubType),
                "Parent": .string(objectPath(WMISchema.resourceAllocationSettingData.name, [("InstanceID", controller.instanceID(vm: vm.guid))])),
                "Address": .string(String(drive.location)),
                "AddressOnParent": .string(String(drive.location)),
            ]))
        }
        return controllers + drives
    }

    /// The values every controller, drive, adapter and connection shares, under `specific`.
    func allocation(_ specific: [String: WMIValue]) -> [String: WMIValue] {
        specific.merging([
            "PoolID": .string(""),
            "ConsumerVisibility": .integer(3),
            "HostResource": .array([]),
            "AllocationUnits": .string("count"),
            "VirtualQuantity": .integer(1),
            "Reservation": .integer(1),
            "Limit": .integer(1),
            "Weight": .integer(0),
            "AutomaticAllocation": .boolean(true),
            "AutomaticDeallocation": .boolean(true),
            "VirtualQuantityUnits": .string("count"),
        ]) { mine, _ in mine }
    }
}
