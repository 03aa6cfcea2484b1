import XML

/// A SOAP 1.2 fault as WinRM sends it: `s:Code/s:Value`, `s:Code/s:Subcode/s:Value` (the
/// WS-Management fault, e.g. `w:TimedOut`), `s:Reason/s:Text`, and in `s:Detail` Microsoft's
/// `f:WSManFault Code="…"` (e.g. 2150858793).
public struct WSManFault: Sendable, Equatable, CustomStringConvertible {
    /// The SOAP code as written, e.g. `s:Receiver`.
    public var code: String
    /// The subcode as written, e.g. `w:TimedOut` or `wsa:DestinationUnreachable`.
    public var subcode: String?
    /// The WS-Management error number from `f:WSManFault/@Code`, if present.
    public var detailCode: Int?
    /// The reason text (or the detail message when there is no reason).
    public var text: String
    /// `f:WSManFault/f:Message` when it says more than the reason (Windows' quota faults name
    /// the limit only there).
    public var detailMessage: String?

    /// Creates a fault.
    public init(code: String, subcode: String? = nil, detailCode: Int? = nil, text: String, detailMessage: String? = nil) {
        self.code = code
        self.subcode = subcode
        self.detailCode = detailCode
        self.text = text
        self.detailMessage = detailMessage
    }

    /// Reads an `s:Fault` element.
    public init(_ fault: XMLElement) {
        code = fault.path("Code", "Value")?.text.trimmed ?? ""
        subcode = fault.path("Code", "Subcode", "Value")?.text.trimmed
        let detail = fault.child("Detail")?.descendant("WSManFault")
        detailCode = detail?.attributes["Code"].flatMap { Int($0) }
        let reason = fault.path("Reason", "Text")?.text.trimmed ?? ""
        let message = detail?.child("Message")?.text.trimmed ?? ""
        text = reason.isEmpty ? message : reason
        detailMessage = message.isEmpty || message == text ? nil : message
    }

    /// The listener setting a Windows administrator raises to lift this fault, when it is one
    /// of WinRM's quota or size limits.
    public var limit: WSManListenerLimit? { WSManListenerLimit(fault: self) }

    /// The subcode without its prefix (`TimedOut`), or the code's when there is no subcode.
    public var subcodeName: String {
        let qualified = subcode ?? code
        return qualified.split(separator: ":").last.map(String.init) ?? qualified
    }

    public var description: String {
        var label = subcode ?? code
        if let detailCode { label += ", \(detailCode)" }
        var words = "WS-Management fault (\(label)): \(text)"
        if let detailMessage, !text.contains(detailMessage) { words += " (\(detailMessage))" }
        if let limit { words += " — \(limit.advice)" }
        return words
    }
}

extension String {
    var trimmed: String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
