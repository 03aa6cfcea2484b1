/// The daemon-wide bound on session opens, so that many backends failing at once cannot turn
/// into a reconnect storm: at most `concurrent` opens at a time, and `perSecond` started a
/// second on average (a token bucket holding one second's worth, so a burst after a quiet
/// spell is at most that many more). Each backend's own
/// jittered backoff still decides when it tries; this decides how many may.
actor ReconnectLimiter {
    private let concurrency: ConcurrencyLimit
    private let perSecond: Int
    private var tokens: Double
    private var refilled = ContinuousClock.now

    init(concurrent: Int, perSecond: Int) {
        concurrency = ConcurrencyLimit(concurrent)
        self.perSecond = max(1, perSecond)
        tokens = Double(self.perSecond)
    }

    /// Waits for a token and a place; the caller opens, then calls `release()`.
    func acquire() async {
        await takeToken()
        await concurrency.acquire()
    }

    /// Frees the place taken by `acquire()`.
    func release() async {
        await concurrency.release()
    }

    private func takeToken() async {
        while true {
            let now = ContinuousClock.now
            let elapsed = now - refilled
            let seconds = elapsed.inSeconds
            tokens = min(Double(perSecond), tokens + seconds * Double(perSecond))
            refilled = now
            if tokens >= 1 {
                tokens -= 1
                return
            }
            let wait = (1 - tokens) / Double(perSecond)
            try? await Task.sleep(for: .milliseconds(max(1, Int(wait * 1000))))
        }
    }
}
