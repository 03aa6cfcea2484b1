import Synchronization

/// Answers about domains kept between listings, for what a driver gives only per domain: an
/// answer is reused while it is younger than `lifetime` and still `valid` for the domain as
/// it is now (e.g. read in the state the domain is in). So a steady host's full listing
/// makes each per-domain call at most once per `lifetime`, whatever the refresh interval.
final class PerDomainCache<Value: Sendable>: Sendable {
    private struct Kept {
        var value: Value
        var at: ContinuousClock.Instant
    }

    let lifetime: Duration
    private let kept = Mutex<[String: Kept]>([:])

    init(lifetime: Duration) {
        self.lifetime = lifetime
    }

    /// The kept answer for `uuid` if it is younger than `lifetime` and `valid`.
    func value(uuid: String, valid: (Value) -> Bool = { _ in true }) -> Value? {
        kept.withLock { kept in
            guard let entry = kept[uuid], ContinuousClock.now - entry.at < lifetime, valid(entry.value) else { return nil }
            return entry.value
        }
    }

    /// The kept answer, or a fresh one from `read` (kept in turn).
    func value<E: Error>(uuid: String, valid: (Value) -> Bool = { _ in true }, read: () throws(E) -> Value) throws(E) -> Value {
        if let value = value(uuid: uuid, valid: valid) { return value }
        let fresh = try read()
        store(fresh, uuid: uuid)
        return fresh
    }

    /// Keeps a fresh answer.
    func store(_ value: Value, uuid: String) {
        kept.withLock { $0[uuid] = Kept(value: value, at: .now) }
    }

    /// Forgets an answer (the domain changed).
    func forget(uuid: String) {
        _ = kept.withLock { $0.removeValue(forKey: uuid) }
    }

    /// Forgets domains no longer listed.
    func retain(only uuids: Set<String>) {
        kept.withLock { kept in kept = kept.filter { uuids.contains($0.key) } }
    }
}
