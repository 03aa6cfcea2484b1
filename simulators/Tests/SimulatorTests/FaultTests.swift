import Foundation
import Simulators
import Testing
import XML

@Suite("SOAP faults, authentication and robustness")
struct FaultTests {
    @Test("Unknown class → DestinationUnreachable; syntax error and unknown property → CannotProcessFilter")
    func wqlFaults() async throws {
        let harness = try await SimulatorHarness.start()
        defer { Task { await harness.stop() } }
        let unknown = try harness.call(Envelopes.enumerate("SELECT * FROM Msvm_Bogus "))
        #expect(unknown.status == 500)
        #expect(unknown.envelope.faultSubcode == "DestinationUnreachable")
        #expect(unknown.envelope.path("Body", "Fault", "Code", "Value")?.text == "s:Sender")
        #expect(unknown.envelope.path("Body", "Fault", "Detail", "WSManFault")?.attributes["Code"] == "2147749904")
        #expect(unknown.envelope.path("Body", "Fault", "Reason", "Text")?.text.contains("Msvm_Bogus") == true)
        #expect(unknown.envelope.path("Header", "RelatesTo")?.text == "uuid:0AB58087-C2C3-0005-0000-000000010000")

        let wrongNamespace = try harness.call(Envelopes.enumerate("SELECT * FROM Win32_Processor", root: Envelopes.v2 + "*"))
        #expect(wrongNamespace.envelope.faultSubcode == "DestinationUnreachable")

        let syntax = try harness.call(Envelopes.enumerate("SELECT * FROM Msvm_ComputerSystem WHERE (Name = 'x'"))
        #expect(syntax.status == 500)
        #expect(syntax.envelope.faultSubcode == "CannotProcessFilter")
        let property = try harness.call(Envelopes.enumerate("SELECT * FROM Msvm_ComputerSystem WHERE Colour = 'red'"))
        #expect(property.envelope.faultSubcode == "CannotProcessFilter")

        let resource = try harness.call(Envelopes.get("Msvm_Nothing", selectors: [("Name", "x")]))
        #expect(resource.status == 500)
        #expect(resource.envelope.faultSubcode == "DestinationUnreachable")
    }

    @Test("Unknown VM or unknown selector names → InvalidSelectors")
    func badSelectors() async throws {
        let harness = try await SimulatorHarness.start()
        defer { Task { await harness.stop() } }
        let unknownVM = try harness.call(Envelopes.requestStateChange(guid: "00000000-0000-0000-0000-000000000000", state: 2))
        #expect(unknownVM.status == 500)
        #expect(unknownVM.envelope.faultSubcode == "InvalidSelectors")
        #expect(unknownVM.envelope.path("Body", "Fault", "Detail", "WSManFault")?.attributes["Code"] == "2150858843")
        let badName = try harness.call(Envelopes.get("Msvm_ComputerSystem", selectors: [("Colour", "red")]))
        #expect(badName.envelope.faultSubcode == "InvalidSelectors")
        let noSelectors = try harness.call(Envelopes.get("Msvm_ComputerSystem", selectors: []))
        #expect(noSelectors.envelope.faultSubcode == "InvalidSelectors")
    }

    @Test("Malformed XML, a missing Action, and an unknown action get faults; the server keeps serving")
    func malformedRequests() async throws {
        let harness = try await SimulatorHarness.start()
        defer { Task { await harness.stop() } }
        let broken = try harness.client.post("<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\"><s:Body>")
        #expect(broken.status == 500)
        let fault = try XMLParser.parse(broken.body)
        #expect(fault.path("Body", "Fault", "Code", "Value")?.text == "s:Sender")
        #expect(fault.faultSubcode == "InvalidMessageInformationHeader")

        let notSOAP = try harness.call("<hello/>")
        #expect(notSOAP.status == 500)
        #expect(notSOAP.envelope.faultSubcode == "InvalidMessageInformationHeader")

        let noAction = try harness.call(Envelopes.envelope(action: nil, resourceURI: Envelopes.v2 + "*", body: "<n:Enumerate/>"))
        #expect(noAction.envelope.faultSubcode == "MessageInformationHeaderRequired")

        let unknownAction = try harness.call(Envelopes.envelope(action: "http://example.org/Frobnicate", resourceURI: nil, body: ""))
        #expect(unknownAction.envelope.faultSubcode == "ActionNotSupported")

        let doctype = try harness.client.post("<!DOCTYPE x [<!ENTITY a \"b\">]><x>&a;</x>")
        #expect(doctype.status == 500)

        let garbage = try harness.client.exchange(Array("NOT HTTP AT ALL\r\n\r\n".utf8))
        #expect(garbage.status == 400)

        let afterwards = try harness.query(LibvirtWQL.all)
        #expect(afterwards.count == 6)
    }

    @Test("401 with Negotiate and Basic realm=WSMAN for a wrong or missing password")
    func authentication() async throws {
        let harness = try await SimulatorHarness.start()
        defer { Task { await harness.stop() } }
        var wrong = harness.client
        wrong.password = "nope"
        let denied = try wrong.post(Envelopes.enumerate(LibvirtWQL.all))
        #expect(denied.status == 401)
        #expect(denied.header("WWW-Authenticate") == ["Negotiate", "Basic realm=\"WSMAN\""])
        #expect(denied.body.isEmpty)
        var anonymous = harness.client
        anonymous.user = nil
        #expect(try anonymous.post(Envelopes.enumerate(LibvirtWQL.all)).status == 401)
        #expect(try harness.client.post(Envelopes.enumerate(LibvirtWQL.all)).status == 200)
        #expect(try harness.client.post(Envelopes.enumerate(LibvirtWQL.all), path: "/other").status == 404)
        #expect(try harness.client.post(Envelopes.enumerate(LibvirtWQL.all), contentType: "text/plain").status == 415)
    }

    @Test("Fault knobs: HTTP 500, malformed XML, truncation, reset, hang, latency")
    func faultKnobs() async throws {
        let request = Envelopes.enumerate(LibvirtWQL.all, optimize: 100)

        let failing = try await SimulatorHarness.start(faults: SimulatorFaults(failFraction: 1))
        let failed = try failing.call(request)
        #expect(failed.status == 500)
        #expect(failed.envelope.faultSubcode == "InternalError")
        await failing.stop()

        let malformed = try await SimulatorHarness.start(faults: SimulatorFaults(malformedFraction: 1))
        let garbled = try malformed.client.post(request)
        #expect(garbled.status == 200)
        #expect(throws: XMLError.self) { try XMLParser.parse(garbled.body) }
        await malformed.stop()

        let truncating = try await SimulatorHarness.start(faults: SimulatorFaults(truncateFraction: 1))
        let cut = try truncating.client.post(request)
        let declared = Int(cut.header("Content-Length").first ?? "") ?? 0
        #expect(declared > 0)
        #expect(cut.body.count == declared / 2)
        await truncating.stop()

        let resetting = try await SimulatorHarness.start(faults: SimulatorFaults(resetFraction: 1))
        #expect(throws: RawHTTPClient.Failure.reset) { try resetting.client.post(request) }
        await resetting.stop()

        let hanging = try await SimulatorHarness.start(faults: SimulatorFaults(hangFraction: 1))
        var impatient = hanging.client
        impatient.timeoutMilliseconds = 300
        #expect(throws: RawHTTPClient.Failure.timeout) { try impatient.post(request) }
        await hanging.stop()
        #expect(hanging.simulator.openConnections == 0)

        let slow = try await SimulatorHarness.start(faults: SimulatorFaults(latencyMilliseconds: 150))
        let clock = ContinuousClock()
        let started = clock.now
        #expect(try slow.client.post(request).status == 200)
        #expect(clock.now - started >= .milliseconds(150))
        await slow.stop()
    }

    @Test("Only loopback addresses are accepted")
    func loopbackOnly() async throws {
        let simulator = HyperVSimulator(model: HyperVModel(inventory: HyperVInventory.generated(vmCount: 1)))
        await #expect(throws: SimulatorError.self) { _ = try await simulator.start(host: "0.0.0.0", port: 0) }
    }
}

@Suite("Identify without credentials")
struct IdentifyTests {
    @Test("WSMANIDENTIFY: unauthenticated lets Identify (only) through without credentials")
    func unauthenticatedIdentify() async throws {
        let harness = try await SimulatorHarness.start()
        defer { Task { await harness.stop() } }
        func raw(_ body: String) throws -> RawHTTPClient.Response {
            let head = "POST /wsman HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: application/soap+xml;charset=UTF-8\r\n"
                + "WSMANIDENTIFY: unauthenticated\r\nContent-Length: \(body.utf8.count)\r\n\r\n"
            return try harness.client.exchange(Array((head + body).utf8))
        }
        let identify = try raw(Envelopes.identify())
        #expect(identify.status == 200)
        #expect(identify.text.contains("<wsmid:ProtocolVersion>http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd</wsmid:ProtocolVersion>"))
        #expect(try raw(Envelopes.enumerate(LibvirtWQL.all)).status == 401)
    }
}
