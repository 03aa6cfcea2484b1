/// The VMs' checkpoints as Hyper-V lists them: each a `Msvm_VirtualSystemSettingData` of type
/// `Microsoft:Hyper-V:Snapshot:Realized` whose `VirtualSystemIdentifier` is the VM's GUID and
/// whose `Parent` is the WMI path of the checkpoint it was taken on.
extension InstanceFactory {
    /// The WMI object path of a checkpoint's settings.
    func snapshotPath(_ id: String) -> String {
        objectPath("Msvm_VirtualSystemSettingData", [("InstanceID", "Microsoft:\(id)")])
    }

    /// One settings instance per checkpoint of `vm`, oldest first.
    func snapshotSettings(_ vm: VMRecord) -> [WMIInstance] {
        vm.snapshots.map { snapshot in
            var taken = vm
            taken.spec = snapshot.spec
            taken.currentSnapshot = snapshot.parentID
            taken.created = snapshot.created
            taken.enabledState = snapshot.takenState == 3 ? 3 : 6
            var instance = settingData(taken)
            let values: [String: WMIValue] = [
                "InstanceID": .string("Microsoft:\(snapshot.id)"),
                "Caption": .string("Virtual Machine Settings"),
                "Description": .string("Checkpoint settings for the virtual machine."),
                "ElementName": .string(snapshot.name),
                "VirtualSystemType": .string("Microsoft:Hyper-V:Snapshot:Realized"),
                "Notes": .array(snapshot.notes.map { [.string($0)] } ?? []),
                "ConfigurationID": .string(snapshot.id),
                "CreationTime": CIMTime.preciseDatetime(snapshot.created),
            ]
            for index in instance.properties.indices {
                if let value = values[instance.properties[index].name] { instance.properties[index].value = value }
            }
            return instance
        }
    }
}
