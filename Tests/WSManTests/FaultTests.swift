import BrokerCore
import Testing
import WinRMSupport
import WSMan

@Suite("Faults and HTTP statuses")
struct FaultTests {
    func error(for answer: WSManHTTPResponse) async -> WSManError? {
        let client = WSManClient(transport: RecordedTransport(answers: [answer]), endpoint: Hyperv.endpoint)
        return await failure { () async throws(WSManError) in
            try await client.enumerate(resourceURI: Hyperv.root, classURI: Hyperv.computerSystem, wql: Hyperv.listAll)
        }
    }

    @Test func aTimedOutFaultKeepsCodeSubcodeDetailAndText() async throws {
        let error = await error(for: Hyperv.timedOut)
        let text = "The WS-Management service cannot complete the operation within the time specified in OperationTimeout."
        #expect(error == .fault(WSManFault(code: "s:Receiver", subcode: "w:TimedOut", detailCode: 2150858793, text: text)))
        guard case .fault(let fault) = error else { return }
        #expect(fault.subcodeName == "TimedOut")
        #expect(fault.description == "WS-Management fault (w:TimedOut, 2150858793): \(text)")
        #expect(error?.backendError == BackendError(.timeout, "WS-Management fault (w:TimedOut, 2150858793): \(text)"))
    }

    @Test func faultsMapToStableCodes() async throws {
        let cases: [(WSManHTTPResponse, ErrorCode)] = [
            (Hyperv.fault(code: "s:Sender", subcode: "w:InvalidSelectors", detailCode: 2150858843,
                          text: "The WS-Management service cannot process the request because the request contained invalid selectors for the resource."),
             .notFound),
            (Hyperv.fault(code: "s:Sender", subcode: "a:DestinationUnreachable", detailCode: 2150858752,
                          text: "The WS-Management service cannot process the request. The resource URI is not valid."), .notFound),
            (Hyperv.fault(code: "s:Sender", subcode: "w:AccessDenied", detailCode: 5, text: "Access is denied."), .permissionDenied),
            (Hyperv.fault(subcode: "w:InternalError", detailCode: 2147749889, text: "Generic failure"), .internal),
        ]
        for (answer, code) in cases {
            let error = await error(for: answer)
            #expect(error?.backendError.code == code)
            guard case .fault(let fault) = error else { Issue.record("expected a fault"); continue }
            #expect(error?.backendError.message.hasSuffix(fault.text) == true && !fault.text.isEmpty)
        }
    }

    @Test func aFaultIsAFaultWhateverTheStatus() async throws {
        for status in [200, 400, 500] {
            let error = await error(for: Hyperv.fault(subcode: "w:TimedOut", detailCode: 2150858793, text: "late", status: status))
            #expect(error == .fault(WSManFault(code: "s:Receiver", subcode: "w:TimedOut", detailCode: 2150858793, text: "late")))
        }
    }

    @Test func aFaultWithoutReasonFallsBackToTheDetailMessage() {
        let fault = WSManFault(.init(name: "Fault", children: [
            .init(name: "Code", children: [.init(name: "Value", text: "s:Sender")]),
            .init(name: "Detail", children: [.init(name: "WSManFault", attributes: ["Code": "not a number"], children: [.init(name: "Message", text: " gone ")])]),
        ]))
        #expect(fault == WSManFault(code: "s:Sender", subcode: nil, detailCode: nil, text: "gone"))
        #expect(fault.subcodeName == "Sender")
    }

    @Test func unauthorizedAndOtherStatuses() async throws {
        #expect(await error(for: WSManHTTPResponse(status: 401, body: "")) == .unauthorized)
        #expect(await error(for: WSManHTTPResponse(status: 401, body: "")).map(\.backendError.code) == .authFailed)
        #expect(await error(for: WSManHTTPResponse(status: 503, body: "Service Unavailable")) == .httpStatus(503))
        #expect(await error(for: WSManHTTPResponse(status: 503, body: "")).map(\.backendError.code) == .backendUnavailable)
        // 400/500 without a fault, and a well-formed non-fault body on an unexpected status.
        #expect(await error(for: WSManHTTPResponse(status: 500, body: "")) == .httpStatus(500))
        let enumerated = Hyperv.enumerateResponse(context: nil, end: true).body
        #expect(await error(for: WSManHTTPResponse(status: 400, body: enumerated)) == .httpStatus(400))
        #expect(await error(for: WSManHTTPResponse(status: 302, body: enumerated)).map(\.backendError.code) == .internal)
    }

    @Test func transportFailuresMapToStableCodes() async throws {
        let cases: [(WSManError, ErrorCode)] = [
            (.unavailable("Could not connect to server"), .backendUnavailable), (.timeout("Timeout was reached"), .timeout),
            (.tls("SSL peer certificate or SSH remote key was not OK"), .backendUnavailable), (.tooLarge("big"), .internal),
        ]
        for (thrown, code) in cases {
            let client = WSManClient(transport: RecordedTransport { (_, _) throws(WSManError) in throw thrown }, endpoint: Hyperv.endpoint)
            let error = await failure { () async throws(WSManError) in try await client.identify() }
            #expect(error == thrown)
            #expect(error?.backendError.code == code)
            #expect(error?.backendError.message == thrown.description)
        }
    }
}
