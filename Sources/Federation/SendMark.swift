import Synchronization

/// Set the moment a change is handed to a backend's session: after that, a failure cannot
/// prove the change was not made, so it is never sent again (at most once).
final class SendMark: Sendable {
    private let marked = Atomic<Bool>(false)

    /// Records that the change is being sent.
    func mark() { marked.store(true, ordering: .releasing) }

    /// Whether it was.
    var isMarked: Bool { marked.load(ordering: .acquiring) }
}
