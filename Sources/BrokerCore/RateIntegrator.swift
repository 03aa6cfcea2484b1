import Synchronization

/// Turns a backend's rates into monotonic totals, for consumers that expect counters
/// (virt-manager computes CPU % from successive CPU times; Prometheus takes `rate()` of
/// `_total` series). Each sample adds the mean of the previous and the current rate times the
/// time between them; the first sample of a key starts its total at 0. A plugin keeps one
/// integrator per session, so totals restart with a new session or when the VM stops (`forget`)
/// — the counter reset Prometheus expects, never a step backwards otherwise.
public final class RateIntegrator: Sendable {
    /// What is being integrated: a VM and one of its figures.
    public struct Key: Hashable, Sendable {
        /// The VM.
        public var uuid: String
        /// The figure (`cpu`, `disk0.read`, `nic1.rx`, …).
        public var figure: String

        /// Creates a key.
        public init(uuid: String, figure: String) {
            self.uuid = uuid
            self.figure = figure
        }
    }

    private struct Sample {
        var total: Double
        var rate: Double
        var at: ContinuousClock.Instant
    }

    private let samples = Mutex<[Key: Sample]>([:])

    /// Creates an integrator with no history.
    public init() {}

    /// The total of `key` after the backend reported `rate` (units per second) at `now`.
    public func total(_ key: Key, rate: Double, now: ContinuousClock.Instant = .now) -> UInt64 {
        let rate = rate.isFinite ? max(0, rate) : 0
        return samples.withLock { samples in
            var sample = samples[key] ?? Sample(total: 0, rate: rate, at: now)
            let elapsed = now - sample.at
            let seconds = elapsed.inSeconds
            if seconds > 0 { sample.total += (sample.rate + rate) / 2 * seconds }
            sample.rate = rate
            sample.at = max(now, sample.at)
            samples[key] = sample
            return UInt64(saturating: sample.total)
        }
    }

    /// Drops every total of the VMs not in `uuids` (they are gone or stopped: their counters
    /// restart from 0 when they run again).
    public func retain(only uuids: Set<String>) {
        samples.withLock { samples in samples = samples.filter { uuids.contains($0.key.uuid) } }
    }
}
