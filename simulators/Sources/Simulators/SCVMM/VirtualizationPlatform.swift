/// `Microsoft.VirtualManager.Remoting.VirtualizationPlatform`: a host's (and its VMs') hypervisor.
/// `HyperV = 2` is confirmed by the real capture; the other integers are the simulator's choice
/// (UNVERIFIED: no source gives them).
public enum VirtualizationPlatform: Int, PSEnumeration {
    case unknown = 0, virtualServer = 1, hyperV = 2, vmwareESX = 3, xenServer = 4

    /// The .NET type name.
    public static let typeName = "Microsoft.VirtualManager.Remoting.VirtualizationPlatform"

    /// The member name (`[string]` cast): `HyperV`, `VMWareESX`, `XENServer` ….
    public var name: String {
        switch self {
        case .unknown: "Unknown"
        case .virtualServer: "VirtualServer"
        case .hyperV: "HyperV"
        case .vmwareESX: "VMWareESX"
        case .xenServer: "XENServer"
        }
    }

    /// The platform named `name` (case-insensitive; blanks and the display prefix "Microsoft " ignored).
    public init?(name: String) {
        var key = name.lowercased().replacingOccurrences(of: "-", with: "")
        if key.hasPrefix("microsoft ") { key = String(key.dropFirst(10)) }
        self.init(memberName: key)
    }
}
