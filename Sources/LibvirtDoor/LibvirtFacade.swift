import BrokerAPI
import BrokerCore
import Federation
import LibvirtRemote
import Logging

/// The federation as one libvirt host: the `RemoteDriver` behind virtfedd's libvirt-protocol
/// sockets. Each connection gets a `LibvirtFacadeClient`; what is shared lives here.
public struct LibvirtFacade: RemoteDriver {
    let service: FederationService
    let logger: Logger
    let ids = FederatedIDs()
    let nodeCache = NodeInfoCache()

    /// Creates the facade over the federation service.
    public init(service: FederationService, logger: Logger) {
        self.service = service
        self.logger = logger
    }

    public func connect(_ context: RemoteClientContext, events sink: RemoteEventSink) -> any RemoteClient {
        LibvirtFacadeClient(facade: self, context: context, sink: sink)
    }
}
