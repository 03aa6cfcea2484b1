import Synchronization

/// Domain ids for the libvirt facade: unique across the federation while a VM runs. A VM gets
/// the next number (1, 2, …, never reused while the daemon lives) the first time the facade
/// sees it active, keeps it while it stays active, and loses it when seen inactive — like a
/// libvirt host's ids, which grow with each start. Backends' own ids collide (every libvirt
/// host starts at 1), so they are never shown.
final class FederatedIDs: Sendable {
    private struct State {
        var byUUID: [String: Int32] = [:]
        var byID: [Int32: String] = [:]
        var next: Int32 = 1
    }

    private let state = Mutex(State())

    /// The id for a VM in `active` state: allocated when new, -1 (and released) when inactive.
    func id(uuid: String, active: Bool) -> Int32 {
        state.withLock { state in
            if !active {
                if let old = state.byUUID.removeValue(forKey: uuid) { state.byID[old] = nil }
                return -1
            }
            if let id = state.byUUID[uuid] { return id }
            let id = state.next
            state.next = state.next == Int32.max ? 1 : state.next + 1
            state.byUUID[uuid] = id
            state.byID[id] = uuid
            return id
        }
    }

    /// The id a VM holds now, or -1.
    func existing(uuid: String) -> Int32 {
        state.withLock { $0.byUUID[uuid] ?? -1 }
    }

    /// The UUID a running VM's id was given to.
    func uuid(for id: Int32) -> String? {
        state.withLock { $0.byID[id] }
    }
}
