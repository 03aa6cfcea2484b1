import Testing
import WSMan
import XML

/// Answers written the way WinRM on a Hyper-V host writes them, and helpers to read back what
/// the client sent.
enum Hyperv {
    static let endpoint = "https://hyperv01.lab.example:5986/wsman"
    static let root = "http://schemas.microsoft.com/wbem/wsman/1/wmi/root/virtualization/v2/*"
    static let computerSystem = "http://schemas.microsoft.com/wbem/wsman/1/wmi/root/virtualization/v2/Msvm_ComputerSystem"
    static let concreteJob = "http://schemas.microsoft.com/wbem/wsman/1/wmi/root/virtualization/v2/Msvm_ConcreteJob"
    static let listAll = #"SELECT * FROM Msvm_ComputerSystem WHERE Description = "Microsoft Virtual Machine" "#

    /// A whole answer envelope with WinRM's usual header.
    static func envelope(action: String, body: String) -> String {
        """
        <s:Envelope xml:lang="en-US" xmlns:s="http://www.w3.org/2003/05/soap-envelope" \
        xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:n="http://schemas.xmlsoap.org/ws/2004/09/enumeration" \
        xmlns:w="http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
        <s:Header><a:To>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</a:To>\
        <a:Action>\(action)</a:Action><a:MessageID>uuid:6E1B2C8A-0D5E-4B62-9B43-1F0A9C2D7E11</a:MessageID>\
        <a:RelatesTo>uuid:00000000-0000-0000-0000-000000000000</a:RelatesTo></s:Header>
        <s:Body>\(body)</s:Body></s:Envelope>
        """
    }

    /// One `p:Msvm_ComputerSystem` item.
    static func vm(_ name: String, _ uuid: String, state: Int) -> String {
        """
        <p:Msvm_ComputerSystem xmlns:p="\(computerSystem)" xmlns:cim="http://schemas.dmtf.org/wbem/wscim/1/common" \
        xsi:type="p:Msvm_ComputerSystem_Type">
          <p:AvailableRequestedStates>2</p:AvailableRequestedStates><p:AvailableRequestedStates>3</p:AvailableRequestedStates>
          <p:Caption>Virtual Machine</p:Caption><p:CreationClassName>Msvm_ComputerSystem</p:CreationClassName>
          <p:Description>Microsoft Virtual Machine</p:Description><p:ElementName>\(name)</p:ElementName>
          <p:EnabledState>\(state)</p:EnabledState><p:InstallDate xsi:nil="true"/><p:Name>\(uuid)</p:Name>
          <p:OperationalStatus>2</p:OperationalStatus><p:ProcessID xsi:nil="true"/>
          <p:TimeOfLastStateChange><cim:Datetime>2024-03-01T09:15:02.123456Z</cim:Datetime></p:TimeOfLastStateChange>
        </p:Msvm_ComputerSystem>
        """
    }

    /// An EnumerateResponse with `OptimizeEnumeration` items (`w:Items`, `w:EndOfSequence`).
    static func enumerateResponse(items: [String] = [], context: String?, end: Bool = false) -> WSManHTTPResponse {
        var body = "<n:EnumerateResponse>"
        if let context { body += "<n:EnumerationContext>\(context)</n:EnumerationContext>" }
        if !items.isEmpty { body += "<w:Items>\(items.joined())</w:Items>" }
        if end { body += "<w:EndOfSequence/>" }
        body += "</n:EnumerateResponse>"
        return WSManHTTPResponse(status: 200, body: envelope(action: "http://schemas.xmlsoap.org/ws/2004/09/enumeration/EnumerateResponse", body: body))
    }

    /// A PullResponse (`n:Items`, `n:EndOfSequence`).
    static func pullResponse(items: [String], context: String?, end: Bool = false) -> WSManHTTPResponse {
        var body = "<n:PullResponse>"
        if let context { body += "<n:EnumerationContext>\(context)</n:EnumerationContext>" }
        body += "<n:Items>\(items.joined())</n:Items>"
        if end { body += "<n:EndOfSequence/>" }
        body += "</n:PullResponse>"
        return WSManHTTPResponse(status: 200, body: envelope(action: "http://schemas.xmlsoap.org/ws/2004/09/enumeration/PullResponse", body: body))
    }

    /// A fault as WinRM sends it, with Microsoft's `f:WSManFault` detail.
    static func fault(code: String = "s:Receiver", subcode: String, detailCode: Int, text: String, status: Int = 500) -> WSManHTTPResponse {
        WSManHTTPResponse(status: status, body: envelope(action: "http://schemas.dmtf.org/wbem/wsman/1/wsman/fault", body: """
            <s:Fault><s:Code><s:Value>\(code)</s:Value><s:Subcode><s:Value>\(subcode)</s:Value></s:Subcode></s:Code>\
            <s:Reason><s:Text xml:lang="en-US">\(text) </s:Text></s:Reason>\
            <s:Detail><f:WSManFault xmlns:f="http://schemas.microsoft.com/wbem/wsmanfault" Code="\(detailCode)" Machine="hyperv01.lab.example">\
            <f:Message>\(text) </f:Message></f:WSManFault></s:Detail></s:Fault>
            """))
    }

    static let timedOut = fault(
        subcode: "w:TimedOut", detailCode: 2150858793,
        text: "The WS-Management service cannot complete the operation within the time specified in OperationTimeout.")
}

/// A request the client sent, parsed.
struct SentEnvelope {
    let root: XMLElement

    init(_ bytes: [UInt8]) throws {
        root = try XMLParser.parse(bytes)
    }

    func header(_ name: String) -> XMLElement? { root.path("Header", name) }
    var action: String? { header("Action")?.text }
    var resourceURI: String? { header("ResourceURI")?.text }
    var body: XMLElement? { root.child("Body") }
    var selectors: [String] {
        (header("SelectorSet")?.children ?? []).map { "\($0.attributes["Name"] ?? "")=\($0.text)" }
    }
}

/// The error an async call threw, or an issue recorded if it did not throw.
func failure<T>(_ call: () async throws(WSManError) -> T, sourceLocation: SourceLocation = #_sourceLocation) async -> WSManError? {
    do {
        _ = try await call()
        Issue.record("expected a WSManError", sourceLocation: sourceLocation)
        return nil
    } catch {
        return error
    }
}
