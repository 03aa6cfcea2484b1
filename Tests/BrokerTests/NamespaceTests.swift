import BrokerAPI
import BrokerCore
import InMemoryPlugin
import Testing
@testable import Broker

@Suite("The merged namespace")
struct NamespaceTests {
    let shared = "5a5a5a5a-5a5a-4a5a-8a5a-5a5a5a5a0001"

    func sources() -> [Namespace.Source] {
        [
            .init(backend: "kvm-a", routeKind: .direct, domains: [
                .vm("web-01", "00000000-0000-0000-0000-0000000000a1", id: 2),
                .vm("db", "00000000-0000-0000-0000-0000000000a2", id: 1),
                .vm("old", "00000000-0000-0000-0000-0000000000a3", .shutoff),
                .vm("shared", shared, .shutoff),
            ]),
            .init(backend: "kvm-b", routeKind: .direct, domains: [
                .vm("web-01", "00000000-0000-0000-0000-0000000000b1", id: 1),
                .vm("shared", shared, .running, id: 7),
            ]),
        ]
    }

    @Test func sameUUIDOnTwoBackendsIsOneEntryShownWhereItRuns() throws {
        let namespace = Namespace(sources: sources(), prefer: .direct)
        let merged = namespace.entries.filter { $0.record.uuid == shared }
        #expect(merged.count == 1)
        #expect(merged[0].record.name == "kvm-b/shared")
        #expect(merged[0].record.state == .running)
        #expect(merged[0].record.routes == ["kvm-b", "kvm-a"])
        #expect(namespace.entries.count == 5)
    }

    @Test func orderIsBackendThenRunningByIdThenInactiveByName() {
        let names = Namespace(sources: sources(), prefer: .direct).entries.map(\.record.name)
        #expect(names == ["kvm-a/db", "kvm-a/web-01", "kvm-a/old", "kvm-b/web-01", "kvm-b/shared"])
    }

    @Test func preferredRouteKindWinsWhenStatesAgree() {
        let sources: [Namespace.Source] = [
            .init(backend: "vmm", routeKind: .manager, domains: [.vm("x", shared, .shutoff)]),
            .init(backend: "hv01", routeKind: .direct, domains: [.vm("x", shared, .shutoff)]),
        ]
        #expect(Namespace(sources: sources, prefer: .direct).entries[0].record.routes == ["hv01", "vmm"])
        #expect(Namespace(sources: sources, prefer: .manager).entries[0].record.routes == ["vmm", "hv01"])
    }

    @Test func biosGuidMergesWhenUUIDsDiffer() {
        let sources: [Namespace.Source] = [
            .init(backend: "vmm", routeKind: .manager, domains: [.vm("x", "00000000-0000-0000-0000-000000000001", .shutoff, bios: "B1")]),
            .init(backend: "hv01", routeKind: .direct, domains: [.vm("x", "00000000-0000-0000-0000-000000000002", .shutoff, bios: "b1")]),
        ]
        let entries = Namespace(sources: sources, prefer: .direct).entries
        #expect(entries.count == 1)
        #expect(entries[0].record.routes == ["hv01", "vmm"])
    }

    @Test func lookupByFederatedNameUUIDAndBareName() throws {
        let namespace = Namespace(sources: sources(), prefer: .direct)
        #expect(try namespace.resolve("kvm-a/db").record.uuid == "00000000-0000-0000-0000-0000000000a2")
        #expect(try namespace.resolve("00000000-0000-0000-0000-0000000000A3").record.name == "kvm-a/old")
        #expect(try namespace.resolve("db").record.name == "kvm-a/db")
        // Either route's name finds a merged VM, and the named route is tried first.
        let viaA = try namespace.resolve("kvm-a/shared")
        #expect(viaA.record.name == "kvm-b/shared")
        #expect(viaA.routes.map(\.backend) == ["kvm-a", "kvm-b"])
        // A merged VM's bare name is not ambiguous: both routes are the same VM.
        #expect(try namespace.resolve("shared").record.uuid == shared)
    }

    @Test func ambiguousNameListsCandidates() {
        let namespace = Namespace(sources: sources(), prefer: .direct)
        #expect {
            try namespace.resolve("web-01")
        } throws: { error in
            let error = error as! BackendError
            return error.code == .ambiguous && error.message.contains("kvm-a/web-01") && error.message.contains("kvm-b/web-01")
        }
    }

    @Test func unknownNameIsNotFound() {
        #expect(throws: BackendError(.notFound, "domain not found: nope")) {
            try Namespace(sources: sources(), prefer: .direct).resolve("nope")
        }
    }

    @Test func twoVMsOfOneBackendWithOneUUIDStaySeparate() {
        let sources: [Namespace.Source] = [
            .init(backend: "a", routeKind: .direct, domains: [.vm("x", shared), .vm("y", shared, id: 2)]),
        ]
        #expect(Namespace(sources: sources, prefer: .direct).entries.count == 2)
    }
}
