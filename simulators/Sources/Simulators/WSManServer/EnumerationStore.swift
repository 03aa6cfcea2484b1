import Foundation

/// Open enumeration contexts: the items still to be pulled, by context id. Contexts expire
/// after `timeout` without use; at most `capacity` are kept (the least recently used go first).
final class EnumerationStore: Sendable {
    /// How an enumeration renders its items.
    enum Mode: Sendable { case objects, endpointReferences, objectsAndReferences }

    struct Entry: Sendable {
        var items: [WMIInstance]
        var position: Int
        var mode: Mode
        var lastUsed: ContinuousClock.Instant
    }

    private let entries = Locked<[String: Entry]>([:])
    let timeout: Duration
    let capacity: Int

    init(timeout: Duration, capacity: Int = 4096) {
        self.timeout = timeout
        self.capacity = capacity
    }

    /// Opens a context over `items`, starting at `position`.
    func open(_ items: [WMIInstance], position: Int, mode: Mode) -> String {
        let id = "uuid:" + UUID().uuidString.uppercased()
        let now = ContinuousClock.now
        let timeout = self.timeout, capacity = self.capacity
        entries.withLock { entries in
            entries = entries.filter { now - $0.value.lastUsed < timeout }
            if entries.count >= capacity, let oldest = entries.min(by: { $0.value.lastUsed < $1.value.lastUsed })?.key {
                entries[oldest] = nil
            }
            entries[id] = Entry(items: items, position: position, mode: mode, lastUsed: now)
        }
        return id
    }

    /// Takes up to `count` items, in order, while `fits` accepts each (it sees the context's
    /// mode and the next item; the first item it refuses stays for the next Pull); `finished`
    /// is true when none remain (the context is then gone). `items` is empty when the first
    /// item did not fit.
    func pull(_ id: String, count: Int, fits: (Mode, WMIInstance) -> Bool = { _, _ in true })
        -> (items: [WMIInstance], mode: Mode, finished: Bool)? {
        let now = ContinuousClock.now
        let timeout = self.timeout
        return entries.withLock { entries in
            guard var entry = entries[id] else { return nil }
            guard now - entry.lastUsed < timeout else {
                entries[id] = nil
                return nil
            }
            var end = entry.position
            let last = min(entry.items.count, entry.position + max(1, count))
            while end < last, fits(entry.mode, entry.items[end]) { end += 1 }
            let slice = Array(entry.items[entry.position..<end])
            entry.position = end
            entry.lastUsed = now
            let finished = end >= entry.items.count
            entries[id] = finished ? nil : entry
            return (slice, entry.mode, finished)
        }
    }

    /// Drops a context; false when it was not open.
    func release(_ id: String) -> Bool {
        entries.withLock { $0.removeValue(forKey: id) != nil }
    }

    /// Contexts open now (expired ones are dropped first).
    var count: Int {
        let now = ContinuousClock.now
        let timeout = self.timeout
        return entries.withLock { entries in
            entries = entries.filter { now - $0.value.lastUsed < timeout }
            return entries.count
        }
    }
}
