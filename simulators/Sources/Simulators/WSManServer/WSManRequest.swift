import XML

/// The parts of a WS-Management request the service acts on.
public struct WSManRequest: Sendable {
    /// `a:Action` (nil for Identify, which has none).
    public var action: String?
    /// `a:MessageID`.
    public var messageID: String?
    /// `w:ResourceURI`.
    public var resourceURI: String?
    /// `w:SelectorSet/w:Selector` name/value pairs, in order.
    public var selectors: [(name: String, value: String)]
    /// The first element inside `s:Body`, if any.
    public var payload: XMLElement?
    /// `w:OperationTimeout` (an xs:duration such as `PT20S`), as sent.
    public var operationTimeout: String?
    /// `a:To`, as sent.
    public var to: String?
    /// `w:MaxEnvelopeSize` in octets, as sent (nil when absent or not a number).
    public var maxEnvelopeSize: Int?

    /// Reads a parsed envelope; throws a fault when it is not a SOAP 1.2 envelope.
    public init(envelope: XMLElement) throws(WSManFaultReply) {
        guard envelope.name == "Envelope", envelope.namespace == WSManURI.soap else {
            throw .invalidHeader("The request is not a SOAP 1.2 envelope.")
        }
        guard let body = envelope.child("Body", namespace: WSManURI.soap) else {
            throw .invalidHeader("The SOAP envelope has no Body.")
        }
        let header = envelope.child("Header", namespace: WSManURI.soap)
        action = header?.child("Action", namespace: WSManURI.addressing)?.text.trimmingSpaces
        messageID = header?.child("MessageID", namespace: WSManURI.addressing)?.text.trimmingSpaces
        resourceURI = header?.child("ResourceURI", namespace: WSManURI.wsman)?.text.trimmingSpaces
        selectors = (header?.child("SelectorSet", namespace: WSManURI.wsman)?.children(named: "Selector") ?? []).compactMap { selector in
            selector.attributes["Name"].map { ($0, selector.text.trimmingSpaces) }
        }
        payload = body.children.first
        operationTimeout = header?.child("OperationTimeout", namespace: WSManURI.wsman)?.text.trimmingSpaces
        to = header?.child("To", namespace: WSManURI.addressing)?.text.trimmingSpaces
        maxEnvelopeSize = (header?.child("MaxEnvelopeSize", namespace: WSManURI.wsman)?.text.trimmingSpaces).flatMap { Int($0) }
        if action?.isEmpty == true { action = nil }
    }
}
