import XML

/// One request: a SOAP 1.2 envelope with the WS-Addressing and WS-Management headers that
/// pywinrm and openwsman send (To, ReplyTo anonymous, Action, MessageID, ResourceURI,
/// MaxEnvelopeSize, OperationTimeout, Locale, optional SelectorSet) and a body built by
/// one of the constructors. Every value is XML-escaped when rendered.
public struct WSManEnvelope: Sendable {
    /// The endpoint URL (`a:To`); empty for Identify, which carries no headers.
    public var to: String
    /// `a:Action`; empty for Identify.
    public var action: String
    /// `w:ResourceURI`.
    public var resourceURI: String
    /// `w:SelectorSet`, in order.
    public var selectors: [(name: String, value: String)]
    /// `a:MessageID`, `uuid:<UUID>` in upper case.
    public var messageID: String
    /// `w:OperationTimeout`, in seconds.
    public var operationTimeoutSeconds: Int
    /// `w:MaxEnvelopeSize` in octets: the largest answer wanted. A listener lowers a larger
    /// value to its `MaxEnvelopeSizekb` (MS-WSMV 3.1.4.1.7) and cuts an enumeration's items over
    /// more Pulls to stay under it; below 8192 it refuses the request.
    public var maxEnvelopeSize: Int = WSManEnvelope.defaultMaxEnvelopeSize

    /// 512000 octets, a default Windows listener's `MaxEnvelopeSizekb = 500`: the fewest Pulls
    /// such a listener allows (pywinrm asks for 153600, the old 150 KiB default).
    public static let defaultMaxEnvelopeSize = 500 * 1024
    /// `w:OptionSet`, in order (WinRM shell options such as `WINRS_CODEPAGE`).
    public var options: [(name: String, value: String)] = []
    /// The body's content, already XML.
    public private(set) var body: String

    /// An Invoke of a method that only reads (`GetSummaryInformation`), as its caller says.
    public var readsOnly = false

    /// Whether sending it twice does no harm: the reads (Identify, Enumerate, Pull, Get, a
    /// shell's Receive, a read-only method). An Invoke, a shell Command or Signal changes something.
    public var isRepeatable: Bool {
        readsOnly || action.isEmpty || [WSManNamespace.enumerateAction, WSManNamespace.pullAction, WSManNamespace.getAction,
                           WSManNamespace.receiveAction].contains(action)
    }

    init(to: String, action: String, resourceURI: String, selectors: [(name: String, value: String)] = [], body: String) {
        self.to = to
        self.action = action
        self.resourceURI = resourceURI
        self.selectors = selectors
        self.messageID = Self.newMessageID()
        self.operationTimeoutSeconds = 60
        self.body = body
    }

    /// WS-Management Identify (no headers; the answer is `wsmid:IdentifyResponse`).
    public static func identify() -> WSManEnvelope {
        WSManEnvelope(to: "", action: "", resourceURI: "", body: #"<wsmid:Identify xmlns:wsmid="\#(WSManNamespace.identity)"/>"#)
    }

    /// Enumerate with a WQL filter and `OptimizeEnumeration` (the first items come in the answer).
    /// `resourceURI` is the namespace's root URI, e.g. `…/root/virtualization/v2/*`.
    public static func enumerate(to: String, resourceURI: String, wql: String, maxElements: Int) -> WSManEnvelope {
        WSManEnvelope(to: to, action: WSManNamespace.enumerateAction, resourceURI: resourceURI, body:
            "<n:Enumerate><w:OptimizeEnumeration/><w:MaxElements>\(max(1, maxElements))</w:MaxElements>"
            + #"<w:Filter Dialect="\#(WSManNamespace.wqlDialect)">\#(wql.xmlEscaped)</w:Filter></n:Enumerate>"#)
    }

    /// Pull the next items of an enumeration; `resourceURI` is the class URI.
    public static func pull(to: String, resourceURI: String, context: String, maxElements: Int) -> WSManEnvelope {
        WSManEnvelope(to: to, action: WSManNamespace.pullAction, resourceURI: resourceURI, body:
            "<n:Pull><n:EnumerationContext>\(context.xmlEscaped)</n:EnumerationContext>"
            + "<n:MaxElements>\(max(1, maxElements))</n:MaxElements></n:Pull>")
    }

    /// WS-Transfer Get of one instance.
    public static func get(to: String, resourceURI: String, selectors: [(name: String, value: String)]) -> WSManEnvelope {
        WSManEnvelope(to: to, action: WSManNamespace.getAction, resourceURI: resourceURI, selectors: selectors, body: "")
    }

    /// A method invocation: action `<classURI>/<method>`, body
    /// `<p:<method>_INPUT xmlns:p="<classURI>"><p:Name>value</p:Name>…</p:<method>_INPUT>`.
    public static func invoke(
        to: String, classURI: String, method: String, selectors: [(name: String, value: String)],
        parameters: [(name: String, value: String)]
    ) throws(WSManError) -> WSManEnvelope {
        try invoke(to: to, classURI: classURI, method: method, selectors: selectors, parameters: parameters.map { .value($0.name, $0.value) })
    }

    /// A method invocation with typed parameters: values, endpoint references (`a:Address` +
    /// `a:ReferenceParameters`) and embedded instances (CIM-XML in CDATA), in order.
    public static func invoke(
        to: String, classURI: String, method: String, selectors: [(name: String, value: String)],
        parameters: [WSManParameter]
    ) throws(WSManError) -> WSManEnvelope {
        for name in [method] + parameters.map(\.name) where !isXMLName(name) {
            throw .invalidRequest("'\(name)' is not a valid method or parameter name")
        }
        for case .instance(_, let instance) in parameters {
            for name in [instance.className] + instance.properties.map(\.name) where !isXMLName(name) {
                throw .invalidRequest("'\(name)' is not a valid class or property name")
            }
        }
        var body = #"<p:\#(method)_INPUT xmlns:p="\#(classURI.xmlEscaped)">"#
        for parameter in parameters { body += parameter.xml }
        body += "</p:\(method)_INPUT>"
        return WSManEnvelope(to: to, action: "\(classURI)/\(method)", resourceURI: classURI, selectors: selectors, body: body)
    }

    /// The envelope as UTF-8 text.
    public var text: String {
        var xml = #"<s:Envelope xmlns:s="\#(WSManNamespace.soap)" xmlns:a="\#(WSManNamespace.addressing)""#
            + #" xmlns:n="\#(WSManNamespace.enumeration)" xmlns:w="\#(WSManNamespace.wsman)""#
            + #" xmlns:p="\#(WSManNamespace.wsmanMicrosoft)">"#
        if action.isEmpty {
            xml += "<s:Header/>"
        } else {
            xml += "<s:Header><a:To>\(to.xmlEscaped)</a:To>"
            xml += #"<a:ReplyTo><a:Address s:mustUnderstand="true">\#(WSManNamespace.anonymous)</a:Address></a:ReplyTo>"#
            xml += #"<a:Action s:mustUnderstand="true">\#(action.xmlEscaped)</a:Action>"#
            xml += "<a:MessageID>\(messageID.xmlEscaped)</a:MessageID>"
            xml += #"<w:ResourceURI s:mustUnderstand="true">\#(resourceURI.xmlEscaped)</w:ResourceURI>"#
            xml += #"<w:MaxEnvelopeSize s:mustUnderstand="true">\#(maxEnvelopeSize)</w:MaxEnvelopeSize>"#
            xml += "<w:OperationTimeout>PT\(operationTimeoutSeconds)S</w:OperationTimeout>"
            xml += #"<w:Locale xml:lang="en-US" s:mustUnderstand="false"/>"#
            xml += #"<p:DataLocale xml:lang="en-US" s:mustUnderstand="false"/>"#
            if !selectors.isEmpty {
                xml += "<w:SelectorSet>"
                for (name, value) in selectors { xml += #"<w:Selector Name="\#(name.xmlEscaped)">\#(value.xmlEscaped)</w:Selector>"# }
                xml += "</w:SelectorSet>"
            }
            if !options.isEmpty {
                xml += "<w:OptionSet>"
                for (name, value) in options { xml += #"<w:Option Name="\#(name.xmlEscaped)">\#(value.xmlEscaped)</w:Option>"# }
                xml += "</w:OptionSet>"
            }
            xml += "</s:Header>"
        }
        return xml + "<s:Body>\(body)</s:Body></s:Envelope>"
    }

    /// The envelope as bytes to post.
    public var bytes: [UInt8] {
        Array(text.utf8)
    }

    /// A fresh `uuid:<UUID>` (random, version 4, upper case).
    public static func newMessageID() -> String {
        var generator = SystemRandomNumberGenerator()
        var bytes = (0..<16).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let digits = Array("0123456789ABCDEF")
        var out = "uuid:"
        for (index, byte) in bytes.enumerated() {
            if [4, 6, 8, 10].contains(index) { out.append("-") }
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return out
    }

    /// ASCII letters, digits and `_`, not starting with a digit: safe as an element name.
    static func isXMLName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, !("0"..."9").contains(first) else { return false }
        return name.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_") }
    }
}
