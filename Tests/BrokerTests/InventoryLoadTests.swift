import BrokerCore
import InMemoryPlugin
import Testing
@testable import Broker

@Suite("The inventory cache keeps the VMs' load across listings without it")
struct InventoryLoadTests {
    static let measured = DomainStats(disks: [DomainDisk(target: "vda", readBytes: 1)], source: "test")

    static func vm(_ state: DomainState, stats: DomainStats? = nil) -> Domain {
        var domain = Domain.vm("web", "00000000-0000-0000-0000-0000000000a1", state)
        domain.stats = stats
        return domain
    }

    @Test func aFullListingKeepsTheLastLoadWhileTheStateHolds() {
        let kept = InventoryCache.keepingLoad([Self.vm(.running)], from: [Self.vm(.running, stats: Self.measured)])
        #expect(kept.first?.stats == Self.measured)
        // A VM that stopped since has no load to keep.
        let stopped = InventoryCache.keepingLoad([Self.vm(.shutoff)], from: [Self.vm(.running, stats: Self.measured)])
        #expect(stopped.first?.stats == nil)
        // A listing with load replaces it.
        let fresh = DomainStats(source: "fresh")
        #expect(InventoryCache.keepingLoad([Self.vm(.running, stats: fresh)], from: [Self.vm(.running, stats: Self.measured)]).first?.stats == fresh)
    }

    @Test func storingAFullListingDoesNotWipeTheCachedLoad() {
        let cache = InventoryCache()
        _ = cache.store([Self.vm(.running, stats: Self.measured)], of: "a", startedAt: .now)
        _ = cache.store([Self.vm(.running)], of: "a", startedAt: .now)
        #expect(cache.entry("a")?.domains.first?.stats == Self.measured)
    }

    @Test func countersThatMoveLeaveTheShapeWhereItWas() {
        let cache = InventoryCache()
        _ = cache.store([Self.vm(.running)], of: "a", startedAt: .now)
        let (generation, shape) = (cache.generation, cache.shapeGeneration)
        var later = Self.vm(.running, stats: Self.measured)
        later.cpuTimeNs = 7_000
        _ = cache.store([later], of: "a", startedAt: .now)
        #expect(cache.generation > generation && cache.shapeGeneration == shape)
        // A VM re-read after an event with only its counters moved: the same.
        later.cpuTimeNs = 8_000
        cache.update(later, uuid: later.uuid, of: "a")
        #expect(cache.shapeGeneration == shape)
        // A new state, a VM gone, a refresh that failed: each a new shape.
        _ = cache.store([Self.vm(.paused)], of: "a", startedAt: .now)
        #expect(cache.shapeGeneration == shape + 1)
        cache.update(nil, uuid: later.uuid, of: "a")
        #expect(cache.shapeGeneration == shape + 2)
        cache.failed("a")
        #expect(cache.shapeGeneration == shape + 3)
    }
}
