import Foundation
import BrokerCore

/// SCVMM's `VirtualMachineState` (a `VMComputerSystemState`, protocols.md §3.3) mapped
/// honestly: Paused and Saved are never folded into shutoff; transitional states map to the
/// state the VM is still in or is entering; object states that say nothing about power
/// (Missing, UnderMigration, checkpoint work …) are `unknown`. `Status` is not a power state
/// and is only kept, beside the raw state, in `backend_state`.
enum SCVMMStateMapping {
    /// The enum's names by value, for servers that send the number.
    static let names: [Int: String] = [
        0: "Running", 1: "PowerOff", 2: "PoweringOff", 3: "Saved", 4: "Saving", 5: "Restoring", 6: "Paused",
        10: "DiscardSavedState", 11: "Starting", 12: "MergingDrives", 13: "Deleting", 14: "Reset",
        80: "DiscardingDrives", 81: "Pausing", 100: "UnderCreation", 101: "CreationFailed", 102: "Stored",
        103: "UnderTemplateCreation", 104: "TemplateCreationFailed", 105: "CustomizationFailed", 106: "UnderUpdate",
        107: "UpdateFailed", 108: "ReplacementFailed", 109: "UnderReplacement", 200: "UnderMigration",
        201: "MigrationFailed", 210: "CreatingCheckpoint", 211: "DeletingCheckpoint", 212: "RecoveringCheckpoint",
        213: "CheckpointFailed", 214: "InitializingCheckpointOperation", 215: "FinishingCheckpointOperation",
        220: "Missing", 221: "HostNotResponding", 222: "Unsupported", 223: "IncompleteVMConfig",
        224: "UnsupportedSharedFiles", 225: "UnsupportedCluster", 226: "UnderLiveCloning", 227: "DbOnly",
        240: "P2VCreationFailed", 250: "V2VCreationFailed",
    ]

    /// The name of a state given as a name or as its number.
    static func name(_ raw: String) -> String {
        if let number = Int(raw), let name = names[number] { return name }
        return raw
    }

    /// The federation's state for a `VirtualMachineState`.
    static func state(_ raw: String) -> DomainState {
        switch name(raw).lowercased() {
        case "running", "reset", "pausing": .running          // a reset or a pause in progress: still running
        case "poweroff", "stored": .shutoff                  // Stored: defined in the library, not on a host
        case "poweringoff": .shuttingDown
        case "saved", "discardsavedstate": .saved            // still saved until the discard ends
        case "saving": .stopping
        case "restoring", "starting": .starting
        case "paused": .paused
        default: .unknown
        }
    }

    /// The raw values kept as `backend_state`: the power state, and `Status` when present.
    static func backendState(virtualMachineState: String, status: String?) -> String {
        var text = "VirtualMachineState=\(name(virtualMachineState))"
        if let status, !status.isEmpty { text += " Status=\(name(status))" }
        return text
    }

    /// The platform's display name from `VirtualizationPlatform`.
    static func platform(_ raw: String?) -> String? {
        guard let raw, !raw.isEmpty else { return nil }
        switch raw.lowercased().replacingOccurrences(of: " ", with: "").replacingOccurrences(of: "-", with: "") {
        case "hyperv", "2", "microsofthyperv": return "Hyper-V"
        case "vmwareesx", "vmware": return "VMware ESX"
        case "xenserver", "citrixxenserver": return "XenServer"
        case "virtualserver": return "Virtual Server"
        case "unknown": return nil
        default: return raw
        }
    }
}
