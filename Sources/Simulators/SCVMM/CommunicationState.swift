/// `Microsoft.VirtualManager.Utils.CommunicationState` of a VM host. The names come from the real
/// capture ("Responding", "Not Responding") and ManageIQ; the integers are the simulator's choice
/// (UNVERIFIED).
public enum CommunicationState: Int, Sendable, CaseIterable {
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

    /// The state named `name` (case-insensitive, blanks ignored: "Not Responding" too).
    public init?(name: String) {
        let key = name.replacingOccurrences(of: " ", with: "").lowercased()
        guard let state = Self.allCases.first(where: { $0.name.lowercased() == key }) else { return nil }
        self = state
    }

    /// As a PowerShell enum value.
    public var value: PSValue { .enumeration(PSEnumValue(typeName: Self.typeName, name: name, rawValue: rawValue)) }
}
