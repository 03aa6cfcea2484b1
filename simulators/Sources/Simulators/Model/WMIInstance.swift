/// A WMI object: its class and its properties in schema order.
public struct WMIInstance: Sendable, Equatable {
    /// The class schema this instance belongs to.
    public var wmiClass: WMIClass
    /// Every property of the class, in schema order (unknown values are `.null`).
    public var properties: [WMIProperty]

    /// Builds an instance of `wmiClass` from `values`; schema properties not given are null
    /// (or an empty array for array properties). Names not in the schema are ignored.
    public init(_ wmiClass: WMIClass, _ values: [String: WMIValue]) {
        self.wmiClass = wmiClass
        properties = wmiClass.properties.map { name in
            WMIProperty(name, values[name] ?? (wmiClass.arrayProperties.contains(name) ? .array([]) : .null))
        }
    }

    /// The class name.
    public var className: String { wmiClass.name }

    /// A property's value by name, case-insensitively (nil when the class has no such property).
    public subscript(_ name: String) -> WMIValue? {
        let lowered = name.lowercased()
        return properties.first { $0.name.lowercased() == lowered }?.value
    }

    /// The key selectors (name → text) that identify this instance in an EPR.
    public var keySelectors: [(name: String, value: String)] {
        wmiClass.keys.map { ($0, self[$0]?.text ?? "") }
    }
}
