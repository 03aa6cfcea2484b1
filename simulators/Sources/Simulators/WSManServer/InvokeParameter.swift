import XML

/// Reads method parameters the way WinRM hands them to a WMI provider: an endpoint reference
/// (`a:Address` + `a:ReferenceParameters`) or an embedded instance (CIM-XML text, as libvirt
/// and virtfed send it in a CDATA section, or an element of the class's type). A parameter
/// that cannot be converted to its declared type never reaches the provider: a
/// `w:InvalidParameter` fault.
enum InvokeParameter {
    /// The key selectors of a reference to an instance of `className`.
    static func reference(_ element: XMLElement?, to className: String, parameter: String) throws(WSManFaultReply) -> [String: String] {
        guard let element, let reference = element.child("ReferenceParameters"),
              let uri = reference.child("ResourceURI")?.text.trimmingSpaces, uri.lowercased().hasSuffix("/" + className.lowercased())
        else { throw .invalidParameter("\(parameter) must be a reference to a \(className).") }
        var selectors: [String: String] = [:]
        for selector in reference.child("SelectorSet")?.children(named: "Selector") ?? [] {
            if let name = selector.attributes["Name"] { selectors[name] = selector.text.trimmingSpaces }
        }
        return selectors
    }

    /// An embedded instance: its class and each property's values (one for a scalar, any
    /// number for an array, none for null).
    static func instance(_ element: XMLElement?, parameter: String) throws(WSManFaultReply) -> (className: String, properties: [String: [String]]) {
        guard let element, element.attributes["nil"] != "true" else { throw .invalidParameter("\(parameter) must be an embedded instance.") }
        let text = element.text.trimmingSpaces
        if text.hasPrefix("<") {
            guard let instance = try? XMLParser.parse(Array(text.utf8), maxBytes: 1 << 18, maxDepth: 16), instance.name == "INSTANCE",
                  let className = instance.attributes["CLASSNAME"], WMISchema.wmiClass(named: className) != nil
            else { throw .invalidParameter("\(parameter) is not an embedded instance of a known class.") }
            var properties: [String: [String]] = [:]
            for property in instance.children {
                guard let name = property.attributes["NAME"] else { continue }
                switch property.name {
                case "PROPERTY": properties[name] = property.child("VALUE").map { [$0.text] } ?? []
                case "PROPERTY.ARRAY": properties[name] = property.child("VALUE.ARRAY")?.children(named: "VALUE").map(\.text) ?? []
                default: continue
                }
            }
            return (className, properties)
        }
        if let embedded = element.children.first, WMISchema.wmiClass(named: embedded.name) != nil {
            var properties: [String: [String]] = [:]
            for property in embedded.children {
                properties[property.name, default: []] += property.attributes["nil"] == "true" ? [] : [property.text]
            }
            return (embedded.name, properties)
        }
        throw .invalidParameter("\(parameter) must be an embedded instance.")
    }
}
