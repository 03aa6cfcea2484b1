import XML

/// A WS-Addressing endpoint reference to a WMI instance, as WinRM writes and reads them in
/// method parameters (`AffectedSystem`, `Snapshot` …) and answers (`Job`, `ResultingSystem`):
/// `a:Address` (anonymous) and `a:ReferenceParameters` with `w:ResourceURI` and `w:SelectorSet`.
public struct WSManEndpointReference: Sendable, Equatable {
    /// `w:ResourceURI`: the instance's class URI.
    public var resourceURI: String
    /// `w:SelectorSet`: the instance's keys, in order.
    public var selectors: [Selector]
    /// `a:Address`.
    public var address: String

    /// One key of the instance.
    public struct Selector: Sendable, Equatable {
        /// The key property's name.
        public var name: String
        /// Its value.
        public var value: String

        /// Creates a selector.
        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    /// Creates a reference.
    public init(resourceURI: String, selectors: [Selector], address: String = WSManNamespace.anonymous) {
        self.resourceURI = resourceURI
        self.selectors = selectors
        self.address = address
    }

    /// Reads a reference element (e.g. an `_OUTPUT`'s `p:ResultingSystem`); nil when it has no
    /// `ReferenceParameters` (a `xsi:nil` output).
    public init?(_ element: XMLElement) {
        guard let parameters = element.child("ReferenceParameters"), let uri = parameters.child("ResourceURI")?.text.trimmed else { return nil }
        resourceURI = uri
        selectors = (parameters.child("SelectorSet")?.children(named: "Selector") ?? []).compactMap { selector in
            selector.attributes["Name"].map { Selector($0, selector.text.trimmed) }
        }
        address = element.child("Address")?.text.trimmed ?? WSManNamespace.anonymous
    }

    /// The value of the selector called `name`.
    public func selector(_ name: String) -> String? {
        selectors.first { $0.name == name }?.value
    }

    /// The two children of a reference element.
    var xml: String {
        var xml = "<a:Address>\(address.xmlEscaped)</a:Address><a:ReferenceParameters>"
        xml += "<w:ResourceURI>\(resourceURI.xmlEscaped)</w:ResourceURI><w:SelectorSet>"
        for selector in selectors {
            xml += #"<w:Selector Name="\#(selector.name.xmlEscaped)">\#(selector.value.xmlEscaped)</w:Selector>"#
        }
        return xml + "</w:SelectorSet></a:ReferenceParameters>"
    }
}
