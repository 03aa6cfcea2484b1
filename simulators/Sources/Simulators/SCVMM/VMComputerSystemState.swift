/// `Microsoft.VirtualManager.Utils.VMComputerSystemState`, the type of a VM's
/// `VirtualMachineState` and `Status` (protocols.md §3.3; Running=0, PowerOff=1, Stored=102 and
/// Missing=220 are confirmed by the real capture, the rest come from centreon-plugins).
public enum VMComputerSystemState: Int, PSEnumeration {
    case running = 0, powerOff = 1, poweringOff = 2, saved = 3, saving = 4, restoring = 5, paused = 6
    case discardSavedState = 10, starting = 11, mergingDrives = 12, deleting = 13, reset = 14
    case discardingDrives = 80, pausing = 81
    case underCreation = 100, creationFailed = 101, stored = 102, underTemplateCreation = 103, templateCreationFailed = 104
    case customizationFailed = 105, underUpdate = 106, updateFailed = 107, replacementFailed = 108, underReplacement = 109
    case underMigration = 200, migrationFailed = 201
    case creatingCheckpoint = 210, deletingCheckpoint = 211, recoveringCheckpoint = 212, checkpointFailed = 213
    case initializingCheckpointOperation = 214, finishingCheckpointOperation = 215
    case missing = 220, hostNotResponding = 221, unsupported = 222, incompleteVMConfig = 223, unsupportedSharedFiles = 224
    case unsupportedCluster = 225, underLiveCloning = 226, dbOnly = 227, p2vCreationFailed = 240, v2vCreationFailed = 250

    /// The .NET type name.
    public static let typeName = "Microsoft.VirtualManager.Utils.VMComputerSystemState"

    /// The member name as .NET spells it (`PowerOff`, `P2VCreationFailed`).
    public var name: String {
        switch self {
        case .p2vCreationFailed: return "P2VCreationFailed"
        case .v2vCreationFailed: return "V2VCreationFailed"
        case .incompleteVMConfig: return "IncompleteVMConfig"
        case .dbOnly: return "DbOnly"
        default:
            let raw = String(describing: self)
            return raw.prefix(1).uppercased() + raw.dropFirst()
        }
    }
}
