/// An element of a parsed document, as a plain value: its name, namespace, attributes,
/// children and text. Documents are copied into these right after parsing, so nothing holds a
/// libxml2 pointer afterwards.
public struct XMLElement: Sendable, Equatable {
    /// The local name (`EnabledState`).
    public var name: String
    /// The namespace URI, if any.
    public var namespace: String?
    /// Attributes by local name.
    public var attributes: [String: String]
    /// Child elements, in document order.
    public var children: [XMLElement]
    /// The concatenated text directly inside this element.
    public var text: String

    /// Creates an element.
    public init(name: String, namespace: String? = nil, attributes: [String: String] = [:], children: [XMLElement] = [], text: String = "") {
        self.name = name
        self.namespace = namespace
        self.attributes = attributes
        self.children = children
        self.text = text
    }

    /// The first child with this local name (and namespace, when given).
    public func child(_ name: String, namespace: String? = nil) -> XMLElement? {
        children.first { $0.name == name && (namespace == nil || $0.namespace == namespace) }
    }

    /// Every child with this local name.
    public func children(named name: String) -> [XMLElement] {
        children.filter { $0.name == name }
    }

    /// Follows a path of local names from this element.
    public func path(_ names: String...) -> XMLElement? {
        var element: XMLElement? = self
        for name in names { element = element?.child(name) }
        return element
    }

    /// The first element with this local name anywhere below (depth first).
    public func descendant(_ name: String) -> XMLElement? {
        for child in children {
            if child.name == name { return child }
            if let found = child.descendant(name) { return found }
        }
        return nil
    }
}
