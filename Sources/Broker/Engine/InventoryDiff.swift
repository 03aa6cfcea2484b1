import BrokerCore
import Foundation

/// The lifecycle events that turn one listing of a backend into the next: how a poller sees
/// changes on a backend that has no events of its own, and how missed events are recovered
/// after a reconnect. Pure logic.
enum InventoryDiff {
    /// The events between `old` and `new` (both one backend's full listing), in `new`'s order,
    /// then the VMs that went away.
    static func events(from old: [Domain], to new: [Domain], at time: Date = Date()) -> [DomainEvent] {
        var before: [String: Domain] = [:]
        for domain in old { before[domain.uuid] = domain }
        var events: [DomainEvent] = []
        var seen = Set<String>()
        for domain in new {
            seen.insert(domain.uuid)
            guard let previous = before[domain.uuid] else {
                events.append(DomainEvent(time: time, uuid: domain.uuid, name: domain.name, type: .defined, detail: "added"))
                if domain.state.isActive {
                    events.append(DomainEvent(time: time, uuid: domain.uuid, name: domain.name, type: .started, detail: "booted"))
                }
                continue
            }
            if let change = transition(from: previous.state, to: domain.state) {
                events.append(DomainEvent(time: time, uuid: domain.uuid, name: domain.name, type: change.type, detail: change.detail))
            }
        }
        for domain in old where !seen.contains(domain.uuid) {
            events.append(DomainEvent(time: time, uuid: domain.uuid, name: domain.name, type: .undefined, detail: "removed"))
        }
        return events
    }

    /// The event a state change means, in libvirt's words; nil when nothing a client would
    /// call a lifecycle change happened (e.g. running ↔ blocked).
    static func transition(from old: DomainState, to new: DomainState) -> (type: DomainEventType, detail: String)? {
        guard old != new else { return nil }
        switch new {
        case .running, .blocked:
            switch old {
            case .paused: return (.resumed, "unpaused")
            case .saved: return (.started, "restored")
            case .pmsuspended: return (.started, "wakeup")
            case .running, .blocked: return nil
            default: return (.started, "booted")
            }
        case .paused: return (.suspended, "paused")
        case .shuttingDown: return (.shutdown, "guest")
        case .shutoff: return old == .saved ? nil : (.stopped, old == .crashed ? "crashed" : "shutdown")
        case .saved: return (.saved, "saved")
        case .crashed: return (.crashed, "panicked")
        case .pmsuspended: return (.pmsuspended, "memory")
        case .starting, .stopping, .unknown: return nil
        }
    }

    /// The state a VM is in once a lifecycle event has happened to it; nil when the event says
    /// nothing of the state (defined, undefined).
    static func state(after event: DomainEventType) -> DomainState? {
        switch event {
        case .started, .resumed: .running
        case .suspended: .paused
        case .stopped: .shutoff
        case .saved: .saved
        case .shutdown: .shuttingDown
        case .crashed: .crashed
        case .pmsuspended: .pmsuspended
        case .defined, .undefined: nil
        }
    }
}
