import Libvirt
import Synchronization

/// `virDomainGetInfo` answers kept between listings, for drivers whose bulk statistics lack
/// memory and vCPUs (the test driver reports state only) and so force one call per domain.
/// An answer is reused while the domain's state is the one it was read in and it is younger
/// than `lifetime`: vCPUs and memory change with a state change or a redefinition (whose
/// event re-reads the domain), CPU time may lag by up to `lifetime`. So a full listing of a
/// steady host costs the bulk calls only, and at most one per-domain call per `lifetime`.
final class DomainInfoCache: Sendable {
    private struct Kept {
        var info: LibvirtDomainInfo
        var at: ContinuousClock.Instant
    }

    let lifetime: Duration
    private let kept = Mutex<[String: Kept]>([:])

    init(lifetime: Duration = .seconds(30)) {
        self.lifetime = lifetime
    }

    /// The kept answer for `uuid` if it was read in `state` within `lifetime`.
    func info(uuid: String, state: Int32?) -> LibvirtDomainInfo? {
        kept.withLock { kept in
            guard let entry = kept[uuid], ContinuousClock.now - entry.at < lifetime, state == nil || entry.info.state == state else { return nil }
            return entry.info
        }
    }

    /// Keeps a fresh answer.
    func store(_ info: LibvirtDomainInfo, uuid: String) {
        kept.withLock { $0[uuid] = Kept(info: info, at: .now) }
    }

    /// Forgets domains no longer listed.
    func retain(only uuids: Set<String>) {
        kept.withLock { kept in kept = kept.filter { uuids.contains($0.key) } }
    }
}
