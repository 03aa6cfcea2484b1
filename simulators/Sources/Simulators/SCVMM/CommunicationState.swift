/// `Microsoft.VirtualManager.Utils.CommunicationState` of a VM host. The names come from the real
/// capture ("Responding", "Not Responding") and ManageIQ; the integers are the simulator's choice
/// (UNVERIFIED).
public enum CommunicationState: Int, PSEnumeration {
    case responding = 0, notResponding = 1, accessDenied = 2, noConnection = 3, unknown = 4

    /// The .NET type name.
    public static let typeName = "Microsoft.VirtualManager.Utils.CommunicationState"

    /// The member name (`[string]` cast).
    public var name: String {
        switch self {
        case .responding: "Responding"
        case .notResponding: "NotResponding"
        case .accessDenied: "AccessDenied"
        case .noConnection: "NoConnection"
        case .unknown: "Unknown"
        }
    }
}
