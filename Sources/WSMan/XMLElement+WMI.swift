import XML

extension XMLElement {
    /// A WMI instance's properties by name: each child's text; a `xsi:nil="true"` property is
    /// absent; a datetime's `cim:Datetime`/`cim:Date` child gives its text. For an array
    /// property (repeated elements) the first value is kept; read all with `wmiArray(_:)`.
    public var wmiProperties: [String: String] {
        var properties: [String: String] = [:]
        for property in children where properties[property.name] == nil {
            if let value = property.wmiValue { properties[property.name] = value }
        }
        return properties
    }

    /// Every value of an array property, in order (nil elements skipped).
    public func wmiArray(_ name: String) -> [String] {
        children(named: name).compactMap(\.wmiValue)
    }

    /// The value of the selector called `name` anywhere below this element, e.g. the
    /// `InstanceID` of a `Job` endpoint reference.
    public func selector(_ name: String) -> String? {
        if self.name == "Selector", attributes["Name"] == name { return text.trimmed }
        for child in children {
            if let value = child.selector(name) { return value }
        }
        return nil
    }

    private var wmiValue: String? {
        if attributes["nil"] == "true" { return nil }
        if children.isEmpty { return text }
        if children.count == 1, children[0].children.isEmpty { return children[0].text }
        return nil
    }
}
