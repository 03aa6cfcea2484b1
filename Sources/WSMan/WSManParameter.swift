/// One input parameter of a WMI method invocation (`<p:Name>…</p:Name>` inside
/// `<Method>_INPUT`): a plain value, an endpoint reference to an instance, or an embedded
/// instance. Repeating a name makes an array parameter.
public enum WSManParameter: Sendable, Equatable {
    /// A value as text (`<p:RequestedState>2</p:RequestedState>`).
    case value(String, String)
    /// A reference to an instance (`<p:AffectedSystem><a:Address>…</a:Address><a:ReferenceParameters>…`).
    case reference(String, WSManEndpointReference)
    /// An embedded instance, written as WMI's CIM-XML text in a CDATA section
    /// (`<p:SystemSettings><![CDATA[<INSTANCE CLASSNAME="…">…</INSTANCE>]]></p:SystemSettings>`).
    case instance(String, WMIEmbeddedInstance)

    /// The parameter's name.
    public var name: String {
        switch self {
        case .value(let name, _), .reference(let name, _), .instance(let name, _): name
        }
    }

    /// The parameter element, `p:`-prefixed (the method's class URI is bound to `p`).
    var xml: String {
        switch self {
        case .value(let name, let value):
            "<p:\(name)>\(value.xmlEscaped)</p:\(name)>"
        case .reference(let name, let reference):
            "<p:\(name)>\(reference.xml)</p:\(name)>"
        case .instance(let name, let instance):
            "<p:\(name)><![CDATA[\(instance.cimXML)]]></p:\(name)>"
        }
    }
}
