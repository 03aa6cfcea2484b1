import BrokerCore
import Foundation
import Synchronization

/// Every backend's last known VMs, kept current by the backend monitors (events, or polling
/// and diffing) and by live listings. Each store says which lifecycle changes it saw.
final class InventoryCache: Sendable {
    struct Entry: Sendable {
        var domains: [Domain] = []
        var refreshed: ContinuousClock.Instant?
        var refreshedAt: Date?
        var lastRefresh: Duration?
        var stale = true
        var refreshErrors = 0
        /// When the backend's last own event arrived.
        var lastEvent: ContinuousClock.Instant?
        /// How long the latest periodic refresh waited for a refresh place.
        var lastLag: Duration?
        /// Moves whenever `domains` changes, by a refresh or by an event.
        var revision = 0
    }

    private let entries = Mutex<[String: Entry]>([:])
    private let changes = Atomic<Int>(0)
    private let shapeChanges = Atomic<Int>(0)

    /// A number that moves whenever anything in the cache changes.
    var generation: Int { changes.load(ordering: .acquiring) }

    /// A number that moves whenever anything but a VM's counters changes: a VM appears or goes,
    /// changes state, name or settings, or a backend's data goes stale. A load refresh that
    /// only finds CPU time and device counters moved leaves it where it is.
    var shapeGeneration: Int { shapeChanges.load(ordering: .acquiring) }

    /// Moves the generation without a change to the data (the configuration changed, so
    /// anything made from the cache is to be made again).
    func invalidate() {
        changed()
    }

    private func changed(shape: Bool = true) {
        if shape { shapeChanges.add(1, ordering: .releasing) }
        changes.add(1, ordering: .releasing)
    }

    /// Whether two listings of one backend differ in more than their VMs' counters.
    static func sameShape(_ left: [Domain], _ right: [Domain]) -> Bool {
        left.count == right.count && zip(left, right).allSatisfy { $0.withoutCounters == $1.withoutCounters }
    }

    /// Records a full listing of `backend` read in `duration`; returns the changes since the
    /// previous one (none for the first: nothing was known before it).
    /// A listing begun before the backend's latest event is older than what that event told:
    /// it is not stored (the next one will be), and it announces nothing.
    func store(_ domains: [Domain], of backend: String, startedAt started: ContinuousClock.Instant) -> [DomainEvent] {
        let duration = ContinuousClock.now - started
        return entries.withLock { entries in
            var entry = entries[backend] ?? Entry()
            if let lastEvent = entry.lastEvent, started < lastEvent { return [] }
            let events = entry.refreshed == nil ? [] : InventoryDiff.events(from: entry.domains, to: domains)
            let domains = Self.keepingLoad(domains, from: entry.domains)
            let moved = entry.domains != domains
            let reshaped = entry.stale || (moved && !Self.sameShape(entry.domains, domains))
            if moved { entry.revision += 1 }
            entry.domains = domains
            entry.refreshed = .now
            entry.refreshedAt = Date()
            entry.lastRefresh = duration
            entry.stale = false
            entries[backend] = entry
            // A re-read that found everything as it was leaves what was made from the cache valid.
            if moved || reshaped { changed(shape: reshaped) }
            return events
        }
    }

    /// A listing without load (a full live listing) keeps each VM's last measured load while the
    /// VM stays in the state it was measured in; the monitors' next load refresh replaces it.
    static func keepingLoad(_ domains: [Domain], from previous: [Domain]) -> [Domain] {
        guard domains.contains(where: { $0.stats == nil }), previous.contains(where: { $0.stats != nil }) else { return domains }
        let measured = Dictionary(previous.compactMap { domain in domain.stats.map { (domain.uuid, (domain.state, $0)) } },
                                  uniquingKeysWith: { first, _ in first })
        return domains.map { domain in
            guard domain.stats == nil, let (state, stats) = measured[domain.uuid], state == domain.state else { return domain }
            var kept = domain
            kept.stats = stats
            return kept
        }
    }

    /// Notes that the backend reported an event just now, about the VM `uuid`, which left it
    /// in `state` (nil: the event does not say). The cached VM takes that state at once, so a
    /// cached listing agrees with the announcement before the VM's re-read completes it.
    func eventArrived(from backend: String, uuid: String, state: DomainState?) {
        entries.withLock { entries in
            guard var entry = entries[backend] else { return }
            entry.lastEvent = .now
            if let state, let index = entry.domains.firstIndex(where: { $0.uuid == uuid }), entry.domains[index].state != state {
                entry.domains[index].state = state
                entry.revision += 1
                changed()
            }
            entries[backend] = entry
        }
    }

    /// Records one VM as re-read after an event (nil: it is gone). Returns the change the
    /// re-read shows since the cached state (which events keep as they announce it): the VM
    /// may have moved on again before it was read, and that event may never come.
    @discardableResult
    func update(_ domain: Domain?, uuid: String, of backend: String) -> [DomainEvent] {
        entries.withLock { entries in
            guard var entry = entries[backend], entry.refreshed != nil else { return [] }
            var events: [DomainEvent] = []
            var reshaped = true
            if let index = entry.domains.firstIndex(where: { $0.uuid == uuid }) {
                if let domain {
                    reshaped = entry.domains[index].withoutCounters != domain.withoutCounters
                    if let change = InventoryDiff.transition(from: entry.domains[index].state, to: domain.state) {
                        events.append(DomainEvent(time: Date(), uuid: uuid, name: domain.name, type: change.type, detail: change.detail))
                    }
                    entry.domains[index] = domain
                } else {
                    entry.domains.remove(at: index)
                }
            } else if let domain {
                entry.domains.append(domain)
            }
            entry.revision += 1
            entries[backend] = entry
            changed(shape: reshaped)
            return events
        }
    }

    /// Records how long a periodic refresh waited for its turn (the interval's stretch).
    func refreshLag(of backend: String, _ lag: Duration) {
        entries.withLock { $0[backend, default: Entry()].lastLag = lag }
    }

    /// Records a failed refresh: the data stays, marked stale.
    func failed(_ backend: String) {
        entries.withLock { entries in
            var entry = entries[backend] ?? Entry()
            entry.stale = true
            entry.refreshErrors += 1
            entries[backend] = entry
            changed()
        }
    }

    /// Forgets a backend that left the configuration.
    func remove(_ backend: String) {
        _ = entries.withLock { $0.removeValue(forKey: backend) }
        changed()
    }

    /// A backend's data if it is fresh (not stale) and at most `maxAge` old, with its age.
    func fresh(_ backend: String, maxAge: Duration) -> (domains: [Domain], age: Duration)? {
        guard let entry = self.entry(backend), !entry.stale, let refreshed = entry.refreshed else { return nil }
        let age = ContinuousClock.now - refreshed
        return age <= maxAge ? (entry.domains, age) : nil
    }

    /// A backend's entry as it stands.
    func entry(_ backend: String) -> Entry? { entries.withLock { $0[backend] } }
}
