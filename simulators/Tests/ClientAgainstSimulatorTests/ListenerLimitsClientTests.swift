import Synchronization
import Testing
import Simulators
import WinRMSupport
import WSMan

/// The product's WS-Man client against a listener holding Windows' `MaxEnvelopeSizekb = 500`
/// and `MaxConcurrentOperationsPerUser`: a large listing comes back cut over many Pulls and is
/// read whole; a used-up quota is a readable `backend_unavailable`.
@Suite("WS-Man client and the listener's limits", .serialized)
struct ListenerLimitsClientTests {
    /// Passes envelopes to libcurl and keeps each answer's size.
    final class MeasuringTransport: WSManTransport {
        let inner: CurlTransport
        let sizes = Mutex<[Int]>([])
        init(_ inner: CurlTransport) { self.inner = inner }
        func post(_ envelope: [UInt8], repeatable: Bool) async throws(WSManError) -> WSManHTTPResponse {
            let answer = try await inner.post(envelope, repeatable: repeatable)
            sizes.withLock { $0.append(answer.body.count) }
            return answer
        }
    }

    static let root = "http://schemas.microsoft.com/wbem/wsman/1/wmi/root/virtualization/v2/*"
    static let computerSystem = "http://schemas.microsoft.com/wbem/wsman/1/wmi/root/virtualization/v2/Msvm_ComputerSystem"
    static let listAll = #"SELECT * FROM Msvm_ComputerSystem WHERE Description = "Microsoft Virtual Machine" "#

    func withSimulator(vmCount: Int, listener: WinRMListenerPolicy, _ body: (Int) async throws -> Void) async throws {
        // The client speaks Basic in the clear here: a Windows listener's two leniencies, on by
        // name; the size and quota limits stay as given.
        let simulator = HyperVSimulator(model: HyperVModel(inventory: .generated(vmCount: vmCount)),
                                        configuration: .init(credentials: .init(user: "administrator", password: "s3cret"), listener: listener))
        let port = try await simulator.start(host: "127.0.0.1", port: 0)
        do { try await body(port) } catch {
            await simulator.stop()
            throw error
        }
        await simulator.stop()
    }

    @Test("4,000 VMs: the client asks for 500 KiB envelopes and reads every cut Pull, each answer near the limit")
    func largeListingOverCutPulls() async throws {
        try await withSimulator(vmCount: 4000, listener: .lenient) { port in
            let endpoint = "http://127.0.0.1:\(port)/wsman"
            for (asked, limit) in [(WSManEnvelope.defaultMaxEnvelopeSize, 500 * 1024), (153_600, 153_600)] {
                let transport = MeasuringTransport(try CurlTransport(endpoint: endpoint, username: "administrator", password: "s3cret",
                                                                     authentication: .basic))
                let client = WSManClient(transport: transport, endpoint: endpoint, maxEnvelopeSize: asked)
                let systems = try await client.enumerate(resourceURI: Self.root, classURI: Self.computerSystem, wql: Self.listAll,
                                                         maxElements: 32000)
                let names = systems.compactMap { $0.wmiProperties["ElementName"] }
                #expect(names.count == 4000 && Set(names).count == 4000)
                let sizes = transport.sizes.withLock { $0 }
                #expect(sizes.count >= 4, "the listing needs several Pulls at \(asked)")
                #expect(sizes.allSatisfy { $0 <= limit })
                #expect(sizes.dropLast().allSatisfy { $0 > limit - 8192 }, "every answer but the last is filled near \(limit): \(sizes)")
            }
        }
    }

    @Test("A listener over its operations quota: backend_unavailable naming MaxConcurrentOperationsPerUser")
    func operationsQuota() async throws {
        var listener = WinRMListenerPolicy.lenient
        listener.maxConcurrentOperationsPerUser = 1
        try await withSimulator(vmCount: 10, listener: listener) { port in
            let endpoint = "http://127.0.0.1:\(port)/wsman"
            let transport = try CurlTransport(endpoint: endpoint, username: "administrator", password: "s3cret", authentication: .basic)
            let client = WSManClient(transport: transport, endpoint: endpoint)
            // Another client of the account holds an enumeration open (one item taken, nine left).
            _ = try await client.send(.enumerate(to: endpoint, resourceURI: Self.root, wql: Self.listAll, maxElements: 1))
            let refused = await failure { () async throws(WSManError) in
                try await client.enumerate(resourceURI: Self.root, classURI: Self.computerSystem, wql: Self.listAll)
            }
            let error = try #require(refused).backendError
            #expect(error.code == .backendUnavailable)
            #expect(error.message.contains("maximum number of 1 concurrent operations"))
            #expect(error.message.contains("Service/MaxConcurrentOperationsPerUser"))
        }
    }
}
