import Simulators
import Testing
import XML

/// `MaxEnvelopeSizekb` and `MaxConcurrentOperationsPerUser` as a default Windows listener holds
/// them (MS-WSMV 3.1.4.1.7, 3.1.4.1.19), and the flags that relax them.
@Suite("Listener limits: envelope size and operations quota")
struct ListenerLimitsTests {
    static let query = "SELECT * FROM Msvm_ComputerSystem WHERE Description = \"Microsoft Virtual Machine\""

    /// Enumerate (optimized, MaxElements 32000) then Pull with MaxElements 32000 until the end:
    /// every reply's size and the VM names.
    static func walk(_ harness: SimulatorHarness, maxEnvelopeSize: Int?) throws -> (sizes: [Int], names: [String]) {
        var sizes: [Int] = []
        var names: [String] = []
        let first = try harness.client.post(Envelopes.enumerate(query, optimize: 32000, maxEnvelopeSize: maxEnvelopeSize))
        guard first.status == 200 else { throw TestFailure("enumerate: \(first.status) \(first.text.prefix(600))") }
        sizes.append(first.body.count)
        let envelope = try XMLParser.parse(first.body, maxBytes: 1 << 22)
        names += envelope.path("Body", "EnumerateResponse", "Items")?.children.compactMap { $0.property("ElementName") } ?? []
        var context = envelope.path("Body", "EnumerateResponse", "EnumerationContext")?.text
        while let current = context {
            let reply = try harness.client.post(Envelopes.pull(current, className: "Msvm_ComputerSystem", maxElements: 32000,
                                                               maxEnvelopeSize: maxEnvelopeSize))
            guard reply.status == 200 else { throw TestFailure("pull: \(reply.status) \(reply.text.prefix(600))") }
            sizes.append(reply.body.count)
            let pulled = try XMLParser.parse(reply.body, maxBytes: 1 << 22)
            names += pulled.path("Body", "PullResponse", "Items")?.children.compactMap { $0.property("ElementName") } ?? []
            context = pulled.path("Body", "PullResponse", "EndOfSequence") == nil
                ? pulled.path("Body", "PullResponse", "EnumerationContext")?.text : nil
            if sizes.count > 1000 { throw TestFailure("runaway pull loop") }
        }
        return (sizes, names)
    }

    @Test("3,000 VMs asked for in one batch come back cut to the request's MaxEnvelopeSize, over several Pulls, none lost")
    func cutToRequestedSize() async throws {
        let harness = try await SimulatorHarness.start(inventory: .generated(vmCount: 3000))
        defer { Task { await harness.stop() } }
        let (sizes, names) = try Self.walk(harness, maxEnvelopeSize: 153600)
        #expect(sizes.count > 3)
        #expect(sizes.allSatisfy { $0 <= 153600 })
        #expect(sizes.dropLast().allSatisfy { $0 > 153600 - 4096 }, "each cut reply is filled close to the limit")
        #expect(names.count == 3000 && Set(names).count == 3000)
    }

    @Test("A MaxEnvelopeSize above MaxEnvelopeSizekb is lowered to 500 KiB (not a fault); none is 500 KiB too")
    func clampedToListener() async throws {
        let harness = try await SimulatorHarness.start(inventory: .generated(vmCount: 3000))
        defer { Task { await harness.stop() } }
        for requested in [4_000_000, nil] as [Int?] {
            let (sizes, names) = try Self.walk(harness, maxEnvelopeSize: requested)
            #expect(sizes.allSatisfy { $0 <= 500 * 1024 })
            #expect(sizes.contains { $0 > 500 * 1024 - 4096 })
            #expect(names.count == 3000 && Set(names).count == 3000)
        }
    }

    @Test("--max-envelope-kb relaxes (or tightens) the listener's limit")
    func listenerSetting() async throws {
        var listener = WinRMListenerPolicy.lenient
        listener.maxEnvelopeSizeKB = 2048
        let large = try await SimulatorHarness.start(inventory: .generated(vmCount: 3000), listener: listener)
        defer { Task { await large.stop() } }
        let relaxed = try Self.walk(large, maxEnvelopeSize: 4_000_000)
        #expect(relaxed.sizes.contains { $0 > 500 * 1024 } && relaxed.sizes.allSatisfy { $0 <= 2048 * 1024 })
        #expect(relaxed.names.count == 3000)
        listener.maxEnvelopeSizeKB = 32
        let small = try await SimulatorHarness.start(inventory: .generated(vmCount: 300), listener: listener)
        defer { Task { await small.stop() } }
        let tight = try Self.walk(small, maxEnvelopeSize: 153600)
        #expect(tight.sizes.allSatisfy { $0 <= 32 * 1024 } && tight.names.count == 300)
    }

    @Test("A MaxEnvelopeSize under 8192 octets is w:EncodingLimit")
    func tooSmall() async throws {
        let harness = try await SimulatorHarness.start()
        defer { Task { await harness.stop() } }
        let (status, fault) = try harness.call(Envelopes.enumerate(Self.query, optimize: 10, maxEnvelopeSize: 4096))
        #expect(status == 500 && fault.faultSubcode == "EncodingLimit")
        #expect(fault.path("Body", "Fault", "Detail", "WSManFault")?.attributes["Code"] == "2150858862")
        #expect(try harness.call(Envelopes.enumerate(Self.query, optimize: 10, maxEnvelopeSize: 8192)).status == 200)
    }

    @Test("The 1,501st open enumeration gets Windows' quota fault; releasing one makes room")
    func operationsQuota() async throws {
        let harness = try await SimulatorHarness.start()
        defer { Task { await harness.stop() } }
        var contexts: [String] = []
        for _ in 0..<1500 {
            let (status, reply) = try harness.call(Envelopes.enumerate(Self.query))
            contexts.append(try #require(status == 200 ? reply.path("Body", "EnumerateResponse", "EnumerationContext")?.text : nil))
        }
        let (status, fault) = try harness.call(Envelopes.enumerate(Self.query, optimize: 10))
        #expect(status == 500 && fault.faultSubcode == "InternalError")
        #expect(fault.path("Body", "Fault", "Code", "Value")?.text == "s:Receiver")
        #expect(fault.path("Body", "Fault", "Detail", "WSManFault")?.attributes["Code"] == "2150859174")
        #expect(fault.path("Body", "Fault", "Reason", "Text")?.text.contains("The maximum number of concurrent operations for this user has been exceeded.") == true)
        #expect(fault.descendant("Message")?.text.contains("This user is allowed a maximum number of 1500 concurrent operations, which has been exceeded.") == true)
        #expect(try harness.call(Envelopes.release(contexts[0], className: "Msvm_ComputerSystem")).status == 200)
        #expect(try harness.call(Envelopes.enumerate(Self.query, optimize: 10)).status == 200)
    }

    @Test("--max-operations-per-user changes the quota")
    func operationsQuotaSetting() async throws {
        var listener = WinRMListenerPolicy.lenient
        listener.maxConcurrentOperationsPerUser = 2
        let harness = try await SimulatorHarness.start(listener: listener)
        defer { Task { await harness.stop() } }
        for _ in 0..<2 { #expect(try harness.call(Envelopes.enumerate(Self.query)).status == 200) }
        let (status, fault) = try harness.call(Envelopes.enumerate(Self.query))
        #expect(status == 500 && fault.descendant("Message")?.text.contains("maximum number of 2 concurrent operations") == true)
    }
}
