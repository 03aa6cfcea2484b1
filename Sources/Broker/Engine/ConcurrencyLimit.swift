/// At most `limit` holders at once; the rest wait their turn in order.
actor ConcurrencyLimit {
    let limit: Int
    private var holders = 0
    private var waiters: [CheckedContinuation<Void, Never>] = []

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
    }

    /// Gives the place to the next waiter, or frees it.
    func release() {
        if waiters.isEmpty {
            holders -= 1
        } else {
            waiters.removeFirst().resume()
        }
    }
}
