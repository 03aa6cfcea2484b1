import BlockingWork
import BrokerCore
import Dispatch
import Testing

@Suite("Deadlines and the blocking queue")
struct DeadlineTests {
    @Test func returnsTheResultWhenInTime() async throws {
        let value = try await withDeadline(milliseconds: 5000, what: "x") { () async throws(BackendError) -> Int in 42 }
        #expect(value == 42)
    }

    @Test func passesTheOperationsErrorThrough() async {
        await #expect(throws: BackendError(.notFound, "gone")) {
            try await withDeadline(milliseconds: 5000, what: "x") { () async throws(BackendError) -> Int in
                throw BackendError(.notFound, "gone")
            }
        }
    }

    @Test func abandonsABlockedCCallAtTheDeadline() async throws {
        // A blocking call that ignores cancellation, as a stuck libvirt call would.
        let queue = BlockingQueue(label: "test.blocked", pool: BlockingPool(name: "test", threads: 1))
        let release = DispatchSemaphore(value: 0)
        await #expect(throws: BackendError(.timeout, "stuck call did not answer within 100 ms")) {
            try await withDeadline(milliseconds: 100, what: "stuck call") { () async throws(BackendError) -> Int in
                try await queue.run { release.wait(); return 1 }
            }
        }
        release.signal()
        // The queue is usable again once the stuck call returns.
        #expect(try await queue.run { 7 } == 7)
    }
}
