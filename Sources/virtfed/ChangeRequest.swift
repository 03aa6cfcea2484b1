import BrokerAPI
import BrokerCore

/// A change the CLI asks for, as the daemon's methods take it (a migration names its target
/// as `backend[/host]`, which the service resolves).
enum ChangeRequest: Sendable {
    case lifecycle(DomainAction)
    case undefine(UndefineOptions)
    case createSnapshot(SnapshotRequest)
    case revertSnapshot(String)
    case deleteSnapshot(String, children: Bool)
    case migrate(to: String, live: Bool)
    case setAutostart(Bool)

    /// The change itself, for every request but a migration (whose target the service resolves).
    var domainChange: DomainChange? {
        switch self {
        case .lifecycle(let action): .lifecycle(action)
        case .undefine(let options): .undefine(options)
        case .createSnapshot(let request): .createSnapshot(request)
        case .revertSnapshot(let name): .revertSnapshot(name)
        case .deleteSnapshot(let name, let children): .deleteSnapshot(name, children: children)
        case .migrate: nil
        case .setAutostart(let enabled): .setAutostart(enabled)
        }
    }

    /// The JSON-RPC method and its params for the VM `domain`.
    func call(on domain: String, waitMs: Int?) -> (method: RPCMethod, params: ChangeParams) {
        var params = ChangeParams(domain: domain)
        params.waitMs = waitMs
        switch self {
        case .lifecycle(let action):
            return (RPCMethod(action), params)
        case .undefine(let options):
            params.snapshotsMetadata = options.snapshotsMetadata
            params.managedSave = options.managedSave
            return (.undefine, params)
        case .createSnapshot(let request):
            params.name = request.name
            params.description = request.description
            return (.snapshotCreate, params)
        case .revertSnapshot(let name):
            params.snapshot = name
            return (.snapshotRevert, params)
        case .deleteSnapshot(let name, let children):
            params.snapshot = name
            params.children = children
            return (.snapshotDelete, params)
        case .migrate(let destination, let live):
            params.to = destination
            params.live = live
            return (.migrate, params)
        case .setAutostart(let enabled):
            params.enabled = enabled
            return (.setAutostart, params)
        }
    }
}
