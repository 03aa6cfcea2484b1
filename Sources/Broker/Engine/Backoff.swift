/// Exponential backoff with full jitter for reconnect attempts.
struct Backoff: Sendable {
    let initial: Duration
    let maximum: Duration
    private(set) var attempt = 0

    init(initial: Duration = .milliseconds(200), maximum: Duration = .seconds(30)) {
        self.initial = initial
        self.maximum = maximum
    }

    /// The wait before the next attempt: a random share of min(max, initial·2ⁿ), never less
    /// than half of it, so attempts spread out without collapsing to zero.
    mutating func next() -> Duration {
        let ceiling = min(maximum, initial * (1 << min(attempt, 20)))
        attempt += 1
        return ceiling * Double.random(in: 0.5...1.0)
    }

    mutating func reset() { attempt = 0 }
}
