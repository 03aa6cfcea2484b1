/// A storage controller of a simulated VM (`Msvm_ResourceAllocationSettingData`): the two
/// emulated IDE controllers every generation 1 VM has, and the synthetic SCSI controllers
/// (a generation 2 VM made by `New-VM` has one; one made by `DefineSystem` none until added).
struct StorageController: Sendable, Equatable {
    /// IDE or SCSI.
    enum Kind: Sendable, Equatable {
        case ide, scsi
    }

    /// The resource GUID inside the `InstanceID`.
    var id: String
    /// Its index among the controllers of that GUID (IDE 0 and 1).
    var index: Int
    /// IDE or SCSI.
    var kind: Kind

    /// Drive locations it has: 2 on IDE, 64 on SCSI.
    var locations: Range<Int> { kind == .ide ? 0..<2 : 0..<64 }

    /// `Microsoft:<VM>\<controller>\<index>`, Hyper-V's controller `InstanceID`.
    func instanceID(vm guid: String) -> String {
        #"Microsoft:\#(guid)\\#(id)\\#(index)"#
    }

    /// The controllers of a VM of `generation` whose SCSI controllers have `scsi` GUIDs.
    static func of(generation: Int, scsi: [String]) -> [StorageController] {
        let ide = generation == 1 ? (0..<2).map { StorageController(id: VMSpec.ideControllerID, index: $0, kind: .ide) } : []
        return ide + scsi.map { StorageController(id: $0, index: 0, kind: .scsi) }
    }
}
