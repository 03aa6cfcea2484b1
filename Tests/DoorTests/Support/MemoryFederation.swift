import Broker
import BrokerCore
import Federation
import InMemoryPlugin
import Logging
import Synchronization

/// A federation service over in-memory backends, with its audit trail kept in memory.
struct MemoryFederation {
    final class Audit: AuditTrail {
        let entries = Mutex<[AuditEntry]>([])
        func record(_ entry: AuditEntry) async throws(BackendError) { entries.withLock { $0.append(entry) } }
    }

    let service: FederationService
    let audit = Audit()

    /// One backend per name, its VMs as given.
    init(_ backends: [String: InMemoryPlugin.Backend]) throws {
        let plugin = InMemoryPlugin(backends)
        let config = BrokerConfiguration(backends: try backends.keys.sorted().map { name in
            BackendConfiguration(name: name, uri: try BackendURI(parsing: "mem://\(name)/"))
        })
        let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        service = FederationService(broker: try Broker(configuration: config, registry: PluginRegistry([plugin]), logger: logger),
                                    audit: audit, logger: logger)
    }
}
