import Foundation

/// One VMM job: an action on a VM that runs for the model's job duration, shows rising
/// `Progress`, and ends `Completed` (the VM in the target state) or `Failed` (the VM back where it was).
public struct SCVMMJob: Sendable, Equatable {
    /// `ID` (lowercase GUID).
    public var id: String
    /// What it does.
    public var action: SCVMMAction
    /// The VM's ID.
    public var vmID: String
    /// The VM's name (`ResultName`).
    public var vmName: String
    /// The VM's state before the job.
    public var previousState: VMComputerSystemState
    /// When it started.
    public var started: ContinuousClock.Instant
    /// `StartTime`.
    public var startedDate: Date
    /// How long it runs.
    public var duration: Duration
    /// Whether it is to fail (fault injection).
    public var fails: Bool
    /// `Status`.
    public var status: SCVMMJobStatus = .running
    /// When it ended.
    public var endedDate: Date?
    /// What it does when it is not a power action (create, remove, checkpoints, move).
    public var operation: SCVMMOperation?
    /// Why it fails, decided when it started (a placement error); it ends Failed with this text.
    public var failure: String?

    /// `Name`.
    public var name: String { operation?.jobName ?? action.jobName }

    /// `Progress` at `now`: `"0 %"` … `"100 %"`.
    public func progress(at now: ContinuousClock.Instant) -> String {
        guard status == .running else { return "100 %" }
        let elapsed = now - started
        let fraction = duration == .zero ? 1 : min(0.99, max(0, elapsed / duration))
        return "\(Int(fraction * 100)) %"
    }

    /// The text of `ErrorInfo` for a failed job.
    var problem: String {
        if let failure { return failure }
        return "VMM cannot complete the \(action.jobName.lowercased()) operation on virtual machine \(vmName) because the host reported a failure (simulated job failure). (Error ID: 12711)"
    }

    /// The cmdlet output object (`Get-SCJob`, `-JobVariable`).
    func object(at now: ContinuousClock.Instant) -> PSObject {
        var errorInfo = PSValue.null
        if status == .failed {
            errorInfo = .object(PSObject(typeName: "Microsoft.VirtualManager.Utils.ErrorInfo",
                                         properties: [PSProperty("DisplayableErrorCode", .int(errorCode)), PSProperty("Problem", .string(problem)),
                                                      PSProperty("RecommendedAction", .string("Resolve the issue on the host, and then try the operation again."))],
                                         display: problem))
        }
        let properties = [
            PSProperty("Name", .string(name)), PSProperty("ID", .string(id)), PSProperty("Status", status.value),
            PSProperty("StatusString", .string(status.name)), PSProperty("Progress", .string(progress(at: now))),
            PSProperty("ErrorInfo", errorInfo), PSProperty("ResultName", .string(vmName)), PSProperty("ResultObjectID", .string(vmID)),
            PSProperty("IsCompleted", .bool(status != .running)), PSProperty("StartTime", .string(Self.format(startedDate))),
            PSProperty("EndTime", endedDate.map { .string(Self.format($0)) } ?? .null),
        ]
        return PSObject(typeName: "Microsoft.SystemCenter.VirtualMachineManager.Task", properties: properties, display: name,
                        reference: .job(id))
    }

    /// The VMM error ID in the problem text (12711 for an injected failure).
    var errorCode: Int {
        guard let range = problem.range(of: "(Error ID: ") else { return 12711 }
        return Int(problem[range.upperBound...].prefix { $0.isNumber }) ?? 12711
    }

    private static func format(_ date: Date) -> String {
        "/Date(\(Int64(date.timeIntervalSince1970 * 1000)))/"
    }
}
