import Foundation
import Simulators
import XML

/// A simulator on an ephemeral loopback port plus a client for it.
struct SimulatorHarness {
    let simulator: HyperVSimulator
    let client: RawHTTPClient

    /// The demo inventory in the product's config/hv01.json (simulators/ is one level below it).
    static func demoInventory() throws -> HyperVInventory {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("config/hv01.json").path
        return try HyperVInventory.load(path: path)
    }

    static func start(jobMilliseconds: Int = 100, faults: SimulatorFaults = .none,
                      inventory: HyperVInventory? = nil, listener: WinRMListenerPolicy = .lenient) async throws -> SimulatorHarness {
        let model = HyperVModel(inventory: try inventory ?? demoInventory(), jobDuration: .milliseconds(jobMilliseconds))
        let simulator = HyperVSimulator(model: model, configuration: HyperVSimulatorConfiguration(
            credentials: BasicCredentials(user: "administrator", password: "secret"), faults: faults, listener: listener))
        let port = try await simulator.start(host: "127.0.0.1", port: 0)
        return SimulatorHarness(simulator: simulator, client: RawHTTPClient(port: port))
    }

    func stop() async { await simulator.stop() }

    /// POSTs and parses the reply envelope.
    func call(_ body: String) throws -> (status: Int, envelope: XMLElement) {
        let response = try client.post(body)
        return (response.status, try XMLParser.parse(response.body))
    }

    /// Enumerate (optimized, all at once) and return the instances' property maps.
    func query(_ wql: String, root: String = Envelopes.v2 + "*") throws -> [XMLElement] {
        let (status, envelope) = try call(Envelopes.enumerate(wql, root: root, optimize: 32000))
        guard status == 200 else { throw TestFailure("status \(status): \(envelope)") }
        return envelope.path("Body", "EnumerateResponse", "Items")?.children ?? []
    }

    /// Enumerate then Pull one at a time, as libvirt does.
    func enumerateAndPull(_ wql: String, className: String, maxElements: Int? = nil) throws -> (items: [XMLElement], pulls: Int) {
        let (status, envelope) = try call(Envelopes.enumerate(wql))
        guard status == 200, var context = envelope.path("Body", "EnumerateResponse", "EnumerationContext")?.text else {
            throw TestFailure("enumerate failed: \(status)")
        }
        var items: [XMLElement] = []
        var pulls = 0
        while true {
            let (pullStatus, reply) = try call(Envelopes.pull(context, className: className, maxElements: maxElements))
            pulls += 1
            guard pullStatus == 200, let response = reply.path("Body", "PullResponse") else { throw TestFailure("pull failed: \(pullStatus)") }
            items += response.child("Items")?.children ?? []
            if response.child("EndOfSequence") != nil {
                if response.child("EnumerationContext") != nil { throw TestFailure("context after EndOfSequence") }
                return (items, pulls)
            }
            guard let next = response.child("EnumerationContext")?.text else { throw TestFailure("no context and no EndOfSequence") }
            context = next
            if pulls > 10_000 { throw TestFailure("runaway pull loop") }
        }
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension XMLElement {
    /// A property's text, or nil when absent or `xsi:nil`.
    func property(_ name: String) -> String? {
        guard let element = child(name), element.attributes["nil"] != "true" else { return nil }
        return element.children.first?.text ?? element.text
    }

    /// Every value of a repeated property.
    func propertyArray(_ name: String) -> [String] {
        children(named: name).filter { $0.attributes["nil"] != "true" }.map(\.text)
    }

    /// The fault subcode's local name, e.g. `InvalidSelectors`.
    var faultSubcode: String? {
        path("Body", "Fault", "Code", "Subcode", "Value")?.text.split(separator: ":").last.map(String.init)
    }
}
