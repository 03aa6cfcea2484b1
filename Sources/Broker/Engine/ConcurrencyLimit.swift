/// At most `limit` holders at once; the rest wait their turn in order. Counts what it did,
/// for tests and `/metrics`.
actor ConcurrencyLimit {
    let limit: Int
    private var holders = 0
    private var waiters: [CheckedContinuation<Void, Never>] = []
    /// The most holders ever seen at once, and how many acquired in all.
    private(set) var peak = 0
    private(set) var acquired = 0

    init(_ limit: Int) {
        self.limit = max(1, limit)
    }

    /// Waits for a place.
    func acquire() async {
        if holders < limit {
            holders += 1
        } else {
            await withCheckedContinuation { waiters.append($0) }
        }
        acquired += 1
        peak = max(peak, holders)
    }

    /// Gives the place to the next waiter, or frees it.
    func release() {
        if waiters.isEmpty {
            holders -= 1
        } else {
            waiters.removeFirst().resume()
        }
    }

    /// Runs `body` holding a place.
    func run<T: Sendable>(_ body: @Sendable () async -> T) async -> T {
        await acquire()
        let result = await body()
        release()
        return result
    }

    /// Callers waiting now.
    var waiting: Int { waiters.count }
}
