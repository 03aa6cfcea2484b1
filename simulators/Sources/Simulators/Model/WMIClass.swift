/// A class schema: name, namespace, property names in order, which are arrays, and the keys.
public struct WMIClass: Sendable, Equatable, Hashable {
    /// Class name, e.g. `Msvm_ComputerSystem`.
    public var name: String
    /// The WMI namespace.
    public var namespace: WMINamespace
    /// Every property, in the order they are rendered.
    public var properties: [String]
    /// The array-valued properties.
    public var arrayProperties: Set<String>
    /// The key properties (EPR selectors).
    public var keys: [String]

    /// Creates a schema. Array properties are written with a `[]` suffix in `declaration`.
    public init(_ name: String, keys: [String], declaration: String) {
        self.name = name
        namespace = WMINamespace.of(className: name)
        var properties: [String] = []
        var arrays = Set<String>()
        for word in declaration.split(whereSeparator: { $0 == " " || $0 == "\n" }) {
            if word.hasSuffix("[]") {
                let bare = String(word.dropLast(2))
                properties.append(bare)
                arrays.insert(bare)
            } else {
                properties.append(String(word))
            }
        }
        self.properties = properties
        arrayProperties = arrays
        self.keys = keys
    }

    /// The per-class resource URI, also the XML namespace of its properties.
    public var resourceURI: String { namespace.uriPrefix + name }

    /// The schema's spelling of a property name given in any case, or nil when unknown.
    public func property(named name: String) -> String? {
        let lowered = name.lowercased()
        return properties.first { $0.lowercased() == lowered }
    }
}
