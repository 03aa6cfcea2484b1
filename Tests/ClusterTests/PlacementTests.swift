import Cluster
import Testing

@Suite("which node holds which backend")
struct PlacementTests {
    let backends = (1...600).map { "backend-\($0)" }

    func owners(_ placement: Placement, site: (String) -> String? = { _ in nil }) -> [String: String] {
        Dictionary(uniqueKeysWithValues: backends.map { ($0, placement.owner(of: $0, site: site($0)) ?? "-") })
    }

    @Test func backendsSpreadEvenlyOverTheLiveNodes() {
        let placement = Placement(nodes: ["a", "b", "c"].map { Placement.Node(name: $0) })
        let counts = Dictionary(grouping: owners(placement).values, by: { $0 }).mapValues(\.count)
        #expect(counts.keys.sorted() == ["a", "b", "c"])
        #expect(counts.values.allSatisfy { (150...250).contains($0) }, "\(counts)")
        #expect(Placement(nodes: []).owner(of: "x", site: nil) == nil)
    }

    @Test func aNodeJoiningTakesAShareAndNothingElseMoves() {
        let before = owners(Placement(nodes: ["a", "b", "c"].map { Placement.Node(name: $0) }))
        let after = owners(Placement(nodes: ["a", "b", "c", "d"].map { Placement.Node(name: $0) }))
        let moved = backends.filter { before[$0] != after[$0] }
        #expect(moved.allSatisfy { after[$0] == "d" }, "only to the new node")
        #expect((100...200).contains(moved.count), "about a quarter: \(moved.count)")
        // …and a node leaving gives back exactly what it held.
        let without = owners(Placement(nodes: ["a", "c", "d"].map { Placement.Node(name: $0) }))
        #expect(backends.filter { after[$0] != without[$0] }.allSatisfy { after[$0] == "b" })
    }

    @Test func aBackendStaysInItsSiteWhileANodeThereIsAlive() {
        let nodes = [Placement.Node(name: "bos-1", site: "bos"), Placement.Node(name: "bos-2", site: "bos"), Placement.Node(name: "brq-1", site: "brq")]
        let site: (String) -> String? = { $0.hasSuffix("0") ? "brq" : "bos" }
        let placed = owners(Placement(nodes: nodes), site: site)
        #expect(backends.allSatisfy { name in placed[name]!.hasPrefix(site(name)!) })
        // No node of brq alive: its backends go anywhere rather than nowhere.
        let orphaned = owners(Placement(nodes: Array(nodes.prefix(2))), site: site)
        #expect(backends.filter { $0.hasSuffix("0") }.allSatisfy { orphaned[$0]!.hasPrefix("bos") })
        // A site no node has: any node.
        #expect(Placement(nodes: nodes).owner(of: "x", site: "nyc") != nil)
    }
}
