import Broker
import Synchronization
import Testing
import VirtfedMetrics

@Suite("Scrapes: one at a time, concurrent requests share it")
struct MetricsScraperTests {
    final class Reads: Sendable {
        let count = Mutex(0)
    }

    @Test("five scrapes at once read the inventory once and get the same exposition")
    func coalesced() async throws {
        let reads = Reads()
        let inventory = [Fixtures.backend("kvm-a", domains: [Fixtures.domain("web", .running, uuid: Fixtures.uuid(1))])]
        let scraper = MetricsScraper(registry: MetricsRegistry()) {
            reads.count.withLock { $0 += 1 }
            try? await Task.sleep(for: .milliseconds(300))
            return (inventory, ["rw": 1], JobCounts(), nil)
        }
        let results = await withTaskGroup(of: [UInt8].self) { group in
            for _ in 0..<5 { group.addTask { await scraper.scrape() } }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(reads.count.withLock { $0 } == 1)
        #expect(Set(results).count == 1)
        let text = try Exposition(results[0])
        #expect(text.value("virtfed_domain_running", ["domain": "web"]) == 1)
        _ = await scraper.scrape()
        #expect(reads.count.withLock { $0 } == 2, "a later scrape reads afresh")
    }
}
