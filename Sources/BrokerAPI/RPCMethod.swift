import BrokerCore

/// The JSON-RPC methods of `virtfedd`, shared by the daemon and the CLI. Params and results
/// mirror the CLI's JSON (see docs/API.md).
public enum RPCMethod: String, Sendable, CaseIterable {
    case version = "broker.version"
    case ping = "broker.ping"
    case backends = "backends.list"
    case hosts = "hosts.list"
    case domains = "domains.list"
    case domain = "domain.get"
    case stats = "domains.stats"
    case xml = "domain.xml"
    case nodeInfo = "node.info"
    case clusterStatus = "cluster.status"
    case start = "domain.start"
    case shutdown = "domain.shutdown"
    case destroy = "domain.destroy"
    case reboot = "domain.reboot"
    case reset = "domain.reset"
    case suspend = "domain.suspend"
    case resume = "domain.resume"
    case save = "domain.save"
    case define = "domain.define"
    case undefine = "domain.undefine"
    case migrate = "domain.migrate"
    case setAutostart = "domain.set_autostart"
    case snapshots = "snapshots.list"
    case snapshotXML = "snapshot.xml"
    case snapshotCreate = "snapshot.create"
    case snapshotRevert = "snapshot.revert"
    case snapshotDelete = "snapshot.delete"
    case subscribe = "events.subscribe"
    case unsubscribe = "events.unsubscribe"
    case jobs = "jobs.list"
    case job = "job.get"
    case jobCancel = "job.cancel"

    /// The lifecycle action a method runs, if it is one.
    public var action: DomainAction? {
        guard rawValue.hasPrefix("domain.") else { return nil }
        return DomainAction(rawValue: String(rawValue.dropFirst("domain.".count)))
    }

    /// The method that runs a lifecycle action.
    public init(_ action: DomainAction) {
        self = RPCMethod(rawValue: "domain." + action.rawValue)!
    }

    /// The method that runs an operation.
    public init(_ operation: DomainOperation) {
        switch operation {
        case .define: self = .define
        case .undefine: self = .undefine
        case .migrate: self = .migrate
        case .setAutostart: self = .setAutostart
        case .snapshotCreate: self = .snapshotCreate
        case .snapshotRevert: self = .snapshotRevert
        case .snapshotDelete: self = .snapshotDelete
        case .start, .shutdown, .destroy, .reboot, .reset, .suspend, .resume, .save: self = RPCMethod(operation.action!)
        }
    }

    /// Whether the method changes anything (refused on the read-only socket, audited).
    public var isMutating: Bool {
        switch self {
        case .jobCancel, .define, .undefine, .migrate, .setAutostart, .snapshotCreate, .snapshotRevert, .snapshotDelete: true
        default: action != nil
        }
    }
}

/// `{"domain": …}`: the params of the methods about one VM.
public struct DomainParams: Sendable, Codable {
    /// `backend/name`, a UUID, or an unambiguous bare name.
    public var domain: String

    /// Creates params.
    public init(domain: String) {
        self.domain = domain
    }
}

/// `{"domain": …, "wait_ms": …}`: the params of the lifecycle methods. The answer comes when the
/// job ends or after `wait_ms` (default 2000; the job goes on and is in the answer).
public struct ActionParams: Sendable, Codable {
    /// `backend/name`, a UUID, or an unambiguous bare name.
    public var domain: String
    /// How long to wait for the job to end before answering with it running.
    public var waitMs: Int?

    /// Creates params.
    public init(domain: String, waitMs: Int? = nil) {
        self.domain = domain
        self.waitMs = waitMs
    }

    enum CodingKeys: String, CodingKey {
        case domain
        case waitMs = "wait_ms"
    }
}

/// `{"id": …}`: the params of `job.get` and `job.cancel`.
public struct JobParams: Sendable, Codable {
    /// The job's id.
    public var id: String

    /// Creates params.
    public init(id: String) {
        self.id = id
    }
}

/// `{"all": …}`: the params of `jobs.list` (running jobs unless `all`).
public struct JobListParams: Sendable, Codable {
    /// Include ended jobs.
    public var all: Bool?

    /// Creates params.
    public init(all: Bool?) {
        self.all = all
    }
}

/// `{"backend": …}`: the params of `node.info` (optional backend).
public struct BackendParams: Sendable, Codable {
    /// The backend; nil for the first configured.
    public var backend: String?

    /// Creates params.
    public init(backend: String?) {
        self.backend = backend
    }
}

/// `{"subscription": n}`: the result of `events.subscribe` and the params of `events.unsubscribe`.
public struct EventSubscription: Sendable, Codable {
    /// The subscription's number, unique within the daemon.
    public var subscription: Int

    /// Creates the value.
    public init(subscription: Int) {
        self.subscription = subscription
    }
}

/// `{"count": n}`: the params of the `event.lost` notification.
public struct LostEvents: Sendable, Codable {
    /// Events dropped because the subscriber did not keep up.
    public var count: Int

    /// Creates the value.
    public init(count: Int) {
        self.count = count
    }
}

/// The result of `domain.xml`.
public struct DomainXML: Sendable, Codable {
    /// The federated name.
    public var domain: String
    /// libvirt's domain XML.
    public var xml: String

    /// Creates a result.
    public init(domain: String, xml: String) {
        self.domain = domain
        self.xml = xml
    }
}

/// The result of `broker.ping`.
public struct Pong: Sendable, Codable {
    /// Always true.
    public var pong = true

    /// The answer.
    public init() {}
}

/// The result of `broker.version`.
public struct BrokerVersion: Sendable, Codable {
    /// virtfed's version.
    public var version: String
    /// The plugins and the URI schemes each owns.
    public var plugins: [String: [String]]

    /// Creates a result.
    public init(version: String, plugins: [String: [String]]) {
        self.version = version
        self.plugins = plugins
    }

    /// This build's version.
    public static let current = "0.2.0"
}
