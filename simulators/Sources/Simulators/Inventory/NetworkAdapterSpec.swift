/// A synthetic network adapter of a VM as the inventory lists it
/// (`"nics": [{"mac": "00155D0A0B01", "switch": "External"}]`); both fields may be left out.
public struct NetworkAdapterSpec: Sendable, Equatable, Codable {
    /// The MAC address, 12 hex digits (`-` or `:` separators allowed); nil for a dynamic one
    /// derived from the VM's GUID (`00155D` + its last 6 hex digits).
    public var mac: String?
    /// The virtual switch it is connected to (`LastKnownSwitchName`); nil for `Default Switch`.
    public var `switch`: String?

    /// Creates an adapter description.
    public init(mac: String? = nil, switch switchName: String? = nil) {
        self.mac = mac
        self.switch = switchName
    }

    /// `mac` as Hyper-V writes `Address`: 12 uppercase hex digits, or nil when it is not a MAC.
    static func normalizedMAC(_ text: String) -> String? {
        let digits = text.filter { $0 != "-" && $0 != ":" }
        guard digits.count == 12, digits.allSatisfy(\.isHexDigit) else { return nil }
        return digits.uppercased()
    }
}
