import BlockingWork
import Dispatch
import Synchronization
import Testing

@Suite("The blocking pool: bounded threads, serial queues")
struct BlockingPoolTests {
    @Test func manyQueuesShareAFewThreadsAndEachStaysInOrder() async throws {
        let pool = BlockingPool(name: "test-pool", threads: 3)
        let queues = (0..<200).map { BlockingQueue(label: "q\($0)", pool: pool) }
        let running = Atomic<Int>(0), peak = Atomic<Int>(0)
        let order = Mutex<[Int: [Int]]>([:])
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, queue) in queues.enumerated() {
                for step in 0..<5 {
                    queue.submit {
                        let now = running.add(1, ordering: .relaxed).newValue
                        peak.max(now, ordering: .relaxed)
                        order.withLock { $0[index, default: []].append(step) }
                        running.subtract(1, ordering: .relaxed)
                    }
                }
                group.addTask { _ = try await queue.run { () throws(Never) in 0 } }
            }
            try await group.waitForAll()
        }
        #expect(peak.load(ordering: .relaxed) <= 3)
        let seen = order.withLock { $0 }
        #expect(seen.count == 200 && seen.values.allSatisfy { $0 == [0, 1, 2, 3, 4] })
    }

    @Test func aStuckQueueHoldsOneThreadAndTheOthersGoOn() async throws {
        let pool = BlockingPool(name: "test-stuck", threads: 2)
        let stuck = BlockingQueue(label: "stuck", pool: pool)
        let release = DispatchSemaphore(value: 0)
        stuck.submit { release.wait() }
        let others = (0..<20).map { BlockingQueue(label: "other\($0)", pool: pool) }
        var sum = 0
        for (index, queue) in others.enumerated() { sum += try await queue.run { () throws(Never) in index } }
        #expect(sum == 190)
        release.signal()
        #expect(try await stuck.run { () throws(Never) in 1 } == 1)
    }
}
