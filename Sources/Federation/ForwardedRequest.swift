import BrokerCore

/// A change asked of this node for a backend another node of the cluster holds, as it is
/// handed to that node (through the store): what to do, and who asked through which door.
public struct ForwardedRequest: Sendable, Codable, Equatable {
    /// What to do.
    public enum Work: Sendable, Codable, Equatable {
        /// A change to an existing VM, by its federated name.
        case change(DomainChange, domain: String)
        /// A new VM on a backend (and host).
        case define(xml: String, backend: String?, host: String?, template: String?)
    }

    /// What to do.
    public var work: Work
    /// The operation's name in the asking door's words (for refusals), if it has one.
    public var operation: String?
    /// How long the caller waits for the job (milliseconds; nil: until it ends).
    public var waitMilliseconds: Int?
    /// The node that was asked (set by the cluster when it hands the request over).
    public var origin = ""
    /// The door it was asked through.
    public var door: String
    /// The asking process, as the origin's door knew it.
    public var pid: Int32?
    public var uid: UInt32?
    public var gid: UInt32?

    /// Creates a request asked by `caller`.
    public init(work: Work, operation: String?, wait: Duration?, caller: Caller) {
        self.work = work
        self.operation = operation
        waitMilliseconds = wait?.inMilliseconds
        door = caller.door
        pid = caller.peer?.pid
        uid = caller.peer?.uid
        gid = caller.peer?.gid
    }

    /// The caller as the holder sees it: the origin's door, named with the origin.
    public var caller: Caller {
        let peer: PeerProcess? = if let pid, let uid, let gid { (pid, uid, gid) } else { nil }
        var caller = Caller(door: "\(door)@\(origin)", peer: peer)
        caller.forwardedFrom = origin
        return caller
    }

    /// The wait.
    public var wait: Duration? { waitMilliseconds.map { .milliseconds($0) } }
}
