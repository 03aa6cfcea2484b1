import Testing
import WSMan
import XML

@Suite("Hostile replies and hostile values")
struct HostileReplyTests {
    func error(for body: String, status: Int = 200, maxResponseBytes: Int = 16 << 20) async -> WSManError? {
        let transport = RecordedTransport(answers: [WSManHTTPResponse(status: status, body: body)])
        let client = WSManClient(transport: transport, endpoint: Hyperv.endpoint, maxResponseBytes: maxResponseBytes)
        return await failure { () async throws(WSManError) in
            try await client.enumerate(resourceURI: Hyperv.root, classURI: Hyperv.computerSystem, wql: Hyperv.listAll)
        }
    }

    @Test func billionLaughsIsRefused() async {
        let entities = (1...9).map { level in
            #"<!ENTITY lol\#(level) "\#(String(repeating: "&lol\(level - 1);", count: 10))">"#
        }.joined()
        let bomb = #"<?xml version="1.0"?><!DOCTYPE s:Envelope [<!ENTITY lol0 "lol">\#(entities)]>"#
            + Hyperv.envelope(action: "x", body: "<n:EnumerateResponse><w:Items>&lol9;</w:Items></n:EnumerateResponse>")
        #expect(await error(for: bomb) == .malformed("XML with a document type declaration is refused"))
        #expect(await error(for: bomb, status: 500) == .httpStatus(500))
    }

    @Test func anExternalEntityIsNeverRead() async {
        let xxe = #"<?xml version="1.0"?><!DOCTYPE s:Envelope [<!ENTITY x SYSTEM "file:///etc/passwd">]>"#
            + Hyperv.envelope(action: "x", body: "<n:EnumerateResponse><n:EnumerationContext>&x;</n:EnumerationContext></n:EnumerateResponse>")
        let error = await error(for: xxe)
        #expect(error == .malformed("XML with a document type declaration is refused"))
        #expect(!(error?.description.contains("root:") ?? true))
        // An undeclared reference alone is refused too, not resolved.
        let bare = Hyperv.envelope(action: "x", body: "<n:EnumerateResponse><n:EnumerationContext>&x;</n:EnumerationContext></n:EnumerateResponse>")
        guard case .malformed = await self.error(for: bare) else { Issue.record("an entity reference must be refused"); return }
    }

    @Test func malformedNonSOAPAndIncompleteAnswers() async {
        guard case .malformed(let message) = await error(for: "<s:Envelope xmlns:s=\"\(WSManNamespace.soap)\"><s:Body>") else {
            Issue.record("truncated XML must be malformed"); return
        }
        #expect(message.hasPrefix("malformed XML"))
        #expect(await error(for: "<html><body>IIS</body></html>") == .malformed("the answer is not a SOAP 1.2 envelope"))
        #expect(await error(for: "") == .malformed("empty XML document"))
        #expect(await error(for: Hyperv.envelope(action: "x", body: "<n:PullResponse/>")) == .malformed("the answer has no EnumerateResponse"))
        let deep = String(repeating: "<a>", count: 200) + String(repeating: "</a>", count: 200)
        #expect(await error(for: Hyperv.envelope(action: "x", body: deep)) == .malformed("XML nested deeper than 64 levels"))
    }

    @Test func anOversizeAnswerIsRefusedBeforeParsing() async {
        let big = Hyperv.enumerateResponse(items: Array(repeating: Hyperv.vm("x", "y", state: 2), count: 20), context: nil, end: true)
        #expect(big.body.count > 4096)
        #expect(await error(for: String(decoding: big.body, as: UTF8.self), maxResponseBytes: 4096)
            == .tooLarge("answer of \(big.body.count) bytes exceeds the 4096-byte limit"))
    }

    @Test func hostileValuesAreEscapedInTheEnvelope() async throws {
        let transport = RecordedTransport(answers: [
            Hyperv.enumerateResponse(context: nil, end: true),
            WSManHTTPResponse(status: 200, body: Hyperv.envelope(action: "x", body: #"<p:M_OUTPUT xmlns:p="urn:c"><p:ReturnValue>0</p:ReturnValue></p:M_OUTPUT>"#)),
        ])
        let client = WSManClient(transport: transport, endpoint: "https://h:5986/wsman?a=1&b=<2>")
        let wql = #"SELECT * FROM Msvm_ComputerSystem WHERE ElementName = 'x'' OR "1"="1" </w:Filter><evil/> & more'"#
        _ = try await client.enumerate(resourceURI: Hyperv.root, classURI: Hyperv.computerSystem, wql: wql)
        let value = #"</p:Reason><p:Force>True</p:Force> & "quoted" 'single'"#
        _ = try await client.invoke(classURI: "urn:c", method: "M", selectors: [("Name\"><x", "a&b<c")], parameters: [("Reason", value)])

        #expect(transport.requestTexts[0].contains(
            "ElementName = &apos;x&apos;&apos; OR &quot;1&quot;=&quot;1&quot; &lt;/w:Filter&gt;&lt;evil/&gt; &amp; more&apos;</w:Filter>"))
        #expect(!transport.requestTexts[0].contains("<evil/>"))
        let enumerate = try SentEnvelope(transport.requests[0])
        #expect(enumerate.body?.path("Enumerate", "Filter")?.text == wql)
        #expect(enumerate.header("To")?.text == "https://h:5986/wsman?a=1&b=<2>")
        #expect(enumerate.body?.path("Enumerate")?.children.count == 3)

        let invoke = try SentEnvelope(transport.requests[1])
        #expect(invoke.selectors == [#"Name"><x=a&b<c"#])
        let input = try #require(invoke.body?.child("M_INPUT"))
        #expect(input.children.map(\.name) == ["Reason"])
        #expect(input.child("Reason")?.text == value)
    }
}
