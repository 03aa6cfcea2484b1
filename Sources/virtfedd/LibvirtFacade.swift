import Broker
import BrokerAPI
import BrokerCore
import Foundation
import LibvirtRemote
import Logging

/// The federation as one libvirt host: the `RemoteDriver` behind virtfedd's libvirt-protocol
/// sockets. Each connection gets a `LibvirtFacadeClient`; what is shared lives here.
struct LibvirtFacade: RemoteDriver {
    let broker: Broker
    let audit: AuditLog?
    let logger: Logger
    let ids = FederatedIDs()
    let nodeCache = NodeInfoCache()

    func connect(_ context: RemoteClientContext, events sink: RemoteEventSink) -> any RemoteClient {
        LibvirtFacadeClient(facade: self, context: context, sink: sink)
    }
}
