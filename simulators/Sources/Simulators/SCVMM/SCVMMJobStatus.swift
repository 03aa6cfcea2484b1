/// A VMM job's `Status`. The names are VMM's; the integers are the simulator's choice (UNVERIFIED).
public enum SCVMMJobStatus: Int, PSEnumeration {
    case running = 1, completed = 2, failed = 3, canceled = 4, succeedWithInfo = 5

    /// The .NET type name.
    public static let typeName = "Microsoft.VirtualManager.Utils.TaskStatusCode"

    /// The member name (`[string]` cast).
    public var name: String {
        switch self {
        case .running: "Running"
        case .completed: "Completed"
        case .failed: "Failed"
        case .canceled: "Canceled"
        case .succeedWithInfo: "SucceedWithInfo"
        }
    }
}
