import BrokerCore
import Testing
import WinRMSupport
import WSMan

/// Listener quota and size faults become `backend_unavailable` (quotas) with a message that
/// names the Windows setting to raise and keeps the limit Windows states.
@Suite("Listener quota faults")
struct QuotaFaultTests {
    /// The fault a Windows listener sent when MaxConcurrentOperationsPerUser (15 there) was used
    /// up, as captured in zenoss/txwinrm's `test/data_error/max_concurrent.xml` (whitespace and
    /// the Machine attribute as there).
    static let capturedOperationsQuota = WSManHTTPResponse(status: 500, body: """
        <?xml version="1.0" ?>
        <s:Envelope xml:lang="en-US" xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:w="http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd">
        <s:Header><a:Action>http://schemas.dmtf.org/wbem/wsman/1/wsman/fault</a:Action></s:Header>
        <s:Body><s:Fault>
        <s:Code><s:Value>s:Receiver</s:Value><s:Subcode><s:Value>w:InternalError</s:Value></s:Subcode></s:Code>
        <s:Reason><s:Text xml:lang="">
            The WS-Management service cannot process the request. The maximum number of concurrent operations for this user has been exceeded. Close existing operations for this user, or raise the quota for this user.
        </s:Text></s:Reason>
        <s:Detail><f:WSManFault Code="2150859174" Machine="103040106" xmlns:f="http://schemas.microsoft.com/wbem/wsman/1/wsmanfault">
        <f:Message>
            The WS-Management service cannot process the request. This user is allowed a maximum number of 15 concurrent operations, which has been exceeded. Close existing operations for this user, or raise the quota for this user.
        </f:Message></f:WSManFault></s:Detail>
        </s:Fault></s:Body></s:Envelope>
        """)

    func error(for answer: WSManHTTPResponse) async -> WSManError? {
        let client = WSManClient(transport: RecordedTransport(answers: [answer]), endpoint: Hyperv.endpoint)
        return await failure { () async throws(WSManError) in
            try await client.enumerate(resourceURI: Hyperv.root, classURI: Hyperv.computerSystem, wql: Hyperv.listAll)
        }
    }

    @Test func theOperationsQuotaIsBackendUnavailableNamingTheSettingAndTheLimit() async throws {
        let error = try #require(await error(for: Self.capturedOperationsQuota))
        guard case .fault(let fault) = error else { Issue.record("not a fault: \(error)"); return }
        #expect(fault.limit == .concurrentOperationsPerUser)
        let mapped = error.backendError
        #expect(mapped.code == .backendUnavailable)
        #expect(mapped.message.contains("maximum number of 15 concurrent operations"))
        #expect(mapped.message.contains("Service/MaxConcurrentOperationsPerUser"))
    }

    @Test func theShellQuotaNamesMaxShellsPerUserWhateverTheCode() async throws {
        for code in [2150859173, 2150859174] {
            let answer = Hyperv.fault(code: "s:Receiver", subcode: "w:QuotaLimit", detailCode: code,
                                      text: "The WS-Management service cannot process the request. This user is allowed a maximum number of 30 concurrent shells, which has been exceeded. Close existing shells or raise the quota for this user.")
            let error = try #require(await error(for: answer))
            #expect(error.backendError.code == .backendUnavailable)
            #expect(error.backendError.message.contains(code == 2150859173 ? "Winrs/MaxShellsPerUser" : "MaxConcurrentOperationsPerUser"))
        }
    }

    @Test func anEnvelopeSizeFaultNamesMaxEnvelopeSizekbButIsNoQuota() async throws {
        let answer = Hyperv.fault(code: "s:Sender", subcode: "w:EncodingLimit", detailCode: 2150858862, text: "The MaxEnvelopeSize is too small.")
        let error = try #require(await error(for: answer))
        #expect(error.backendError.code == .internal)
        #expect(error.backendError.message.contains("MaxEnvelopeSizekb"))
    }

    @Test func otherFaultsCarryNoAdvice() async throws {
        let error = try #require(await error(for: Hyperv.timedOut))
        guard case .fault(let fault) = error else { return }
        #expect(fault.limit == nil && !error.description.contains(" — "))
    }
}
