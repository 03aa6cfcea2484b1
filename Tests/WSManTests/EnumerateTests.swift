import Testing
import WinRMSupport
import WSMan
import XML

@Suite("Enumerate and Pull")
struct EnumerateTests {
    let web = Hyperv.vm("web01", "5c5e3d4a-1b2c-4d3e-8f90-a1b2c3d4e5f6", state: 2)
    let db = Hyperv.vm("db01", "0f4e6a2b-7c8d-4e9f-a0b1-c2d3e4f5a6b7", state: 3)
    let build = Hyperv.vm("build &amp; test", "11111111-2222-4333-8444-555555555555", state: 32769)
    let mail = Hyperv.vm("mail", "99999999-8888-4777-8666-555555555555", state: 9)

    @Test func pullsUntilEndOfSequenceEchoingEachContext() async throws {
        let transport = RecordedTransport(answers: [
            Hyperv.enumerateResponse(context: "uuid:CTX-1"),
            Hyperv.pullResponse(items: [web, db], context: "uuid:CTX-2"),
            Hyperv.pullResponse(items: [build], context: "uuid:CTX-3"),
            Hyperv.pullResponse(items: [mail], context: nil, end: true),
        ])
        let client = WSManClient(transport: transport, endpoint: Hyperv.endpoint)
        let items = try await client.enumerate(resourceURI: Hyperv.root, classURI: Hyperv.computerSystem, wql: Hyperv.listAll, maxElements: 2)

        #expect(items.map { $0.wmiProperties["ElementName"] } == ["web01", "db01", "build & test", "mail"])
        #expect(items.map(\.name) == Array(repeating: "Msvm_ComputerSystem", count: 4))
        #expect(items.allSatisfy { $0.namespace == Hyperv.computerSystem })
        #expect(client.roundTrips == 4)
        #expect(transport.requests.count == 4)

        let sent = try transport.requests.map(SentEnvelope.init)
        #expect(sent[0].action == "http://schemas.xmlsoap.org/ws/2004/09/enumeration/Enumerate")
        #expect(sent[0].resourceURI == Hyperv.root)
        #expect(sent.dropFirst().map(\.action) == Array(repeating: "http://schemas.xmlsoap.org/ws/2004/09/enumeration/Pull", count: 3))
        #expect(sent.dropFirst().map(\.resourceURI) == Array(repeating: Hyperv.computerSystem, count: 3))
        #expect(sent.dropFirst().map { $0.body?.path("Pull", "EnumerationContext")?.text } == ["uuid:CTX-1", "uuid:CTX-2", "uuid:CTX-3"])
        #expect(sent.dropFirst().map { $0.body?.path("Pull", "MaxElements")?.text } == ["2", "2", "2"])
        let pull = try #require(sent[1].body?.child("Pull"))
        #expect(pull.namespace == WSManNamespace.enumeration)
        #expect(Set(sent.map { $0.header("MessageID")?.text }).count == 4)
    }

    @Test func optimizedEnumerationAnswersInOneRoundTrip() async throws {
        let transport = RecordedTransport(answers: [Hyperv.enumerateResponse(items: [web, db, build], context: nil, end: true)])
        let client = WSManClient(transport: transport, endpoint: Hyperv.endpoint)
        let items = try await client.enumerate(resourceURI: Hyperv.root, classURI: Hyperv.computerSystem, wql: Hyperv.listAll)
        #expect(items.map { $0.wmiProperties["Name"] } == [
            "5c5e3d4a-1b2c-4d3e-8f90-a1b2c3d4e5f6", "0f4e6a2b-7c8d-4e9f-a0b1-c2d3e4f5a6b7", "11111111-2222-4333-8444-555555555555",
        ])
        #expect(client.roundTrips == 1)
    }

    @Test func optimizedItemsThenTheRestByPull() async throws {
        let transport = RecordedTransport(answers: [
            Hyperv.enumerateResponse(items: [web], context: "uuid:B7A1C0DE-0001"),
            Hyperv.pullResponse(items: [db, mail], context: "", end: true),
        ])
        let client = WSManClient(transport: transport, endpoint: Hyperv.endpoint)
        let items = try await client.enumerate(resourceURI: Hyperv.root, classURI: Hyperv.computerSystem, wql: Hyperv.listAll, maxElements: 1)
        #expect(items.map { $0.wmiProperties["EnabledState"] } == ["2", "3", "9"])
        #expect(client.roundTrips == 2)
        #expect(try SentEnvelope(transport.requests[1]).body?.path("Pull", "EnumerationContext")?.text == "uuid:B7A1C0DE-0001")
    }

    @Test func theEnumerateEnvelopeCarriesEveryHeaderAndTheWQLFilter() async throws {
        let transport = RecordedTransport(answers: [Hyperv.enumerateResponse(context: nil, end: true)])
        let client = WSManClient(transport: transport, endpoint: Hyperv.endpoint)
        #expect(try await client.enumerate(resourceURI: Hyperv.root, classURI: Hyperv.computerSystem, wql: Hyperv.listAll, maxElements: 32000).isEmpty)

        let sent = try SentEnvelope(try #require(transport.requests.first))
        #expect(sent.root.name == "Envelope" && sent.root.namespace == WSManNamespace.soap)
        #expect(sent.header("To")?.text == Hyperv.endpoint)
        #expect(sent.header("To")?.namespace == WSManNamespace.addressing)
        #expect(sent.header("ReplyTo")?.child("Address")?.text == WSManNamespace.anonymous)
        #expect(sent.header("ReplyTo")?.child("Address")?.attributes["mustUnderstand"] == "true")
        #expect(sent.header("Action")?.attributes["mustUnderstand"] == "true")
        #expect(sent.header("ResourceURI")?.namespace == WSManNamespace.wsman)
        #expect(sent.header("ResourceURI")?.attributes["mustUnderstand"] == "true")
        #expect(sent.header("MaxEnvelopeSize")?.text == "512000")
        #expect(sent.header("OperationTimeout")?.text == "PT60S")
        #expect(sent.header("Locale")?.attributes["lang"] == "en-US")
        #expect(sent.header("SelectorSet") == nil)

        let messageID = try #require(sent.header("MessageID")?.text)
        let uuid = messageID.dropFirst(5)
        #expect(messageID.hasPrefix("uuid:") && uuid.count == 36)
        #expect(uuid.split(separator: "-").map(\.count) == [8, 4, 4, 4, 12])
        #expect(uuid.allSatisfy { "0123456789ABCDEF-".contains($0) })

        let enumerate = try #require(sent.body?.child("Enumerate", namespace: WSManNamespace.enumeration))
        #expect(enumerate.children.map(\.name) == ["OptimizeEnumeration", "MaxElements", "Filter"])
        #expect(enumerate.child("OptimizeEnumeration")?.namespace == WSManNamespace.wsman)
        #expect(enumerate.child("MaxElements")?.text == "32000")
        #expect(enumerate.child("Filter")?.attributes["Dialect"] == "http://schemas.microsoft.com/wbem/wsman/1/WQL")
        #expect(enumerate.child("Filter")?.text == Hyperv.listAll)
        // The raw text, as §1.9 shows it (trailing space of libvirt's WQL kept).
        #expect(transport.requestTexts[0].contains(
            #"<w:Filter Dialect="http://schemas.microsoft.com/wbem/wsman/1/WQL">SELECT * FROM Msvm_ComputerSystem WHERE Description = &quot;Microsoft Virtual Machine&quot; </w:Filter>"#))
    }

    @Test func aPeerThatNeverEndsIsCutOff() async throws {
        let transport = RecordedTransport { (_, index) throws(WSManError) in
            index == 0 ? Hyperv.enumerateResponse(context: "uuid:AGAIN") : Hyperv.pullResponse(items: [], context: "uuid:AGAIN")
        }
        let client = WSManClient(transport: transport, endpoint: Hyperv.endpoint, maxPulls: 3)
        let error = await failure { () async throws(WSManError) in
            try await client.enumerate(resourceURI: Hyperv.root, classURI: Hyperv.computerSystem, wql: Hyperv.listAll)
        }
        #expect(error == .malformed("the enumeration did not end after 3 pulls"))
        #expect(client.roundTrips == 4)
    }

    @Test func aTransportFailureMidEnumerationSurfaces() async throws {
        let transport = RecordedTransport(answers: [Hyperv.enumerateResponse(items: [web], context: "uuid:CTX"), Hyperv.timedOut])
        let client = WSManClient(transport: transport, endpoint: Hyperv.endpoint)
        let error = await failure { () async throws(WSManError) in
            try await client.enumerate(resourceURI: Hyperv.root, classURI: Hyperv.computerSystem, wql: Hyperv.listAll)
        }
        guard case .fault(let fault) = error else { Issue.record("expected a fault, got \(String(describing: error))"); return }
        #expect(fault.subcode == "w:TimedOut")
        #expect(error?.backendError.code == .timeout)
    }
}
