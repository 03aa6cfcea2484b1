import BrokerAPI
import BrokerCore
import LibvirtRemote
import Logging
import NIOCore

/// Event callbacks (CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY and the network, pool, node
/// device and secret kinds). Registrations are kept per connection. Lifecycle callbacks get
/// the broker's domain events as DOMAIN_EVENT_CALLBACK_LIFECYCLE messages
/// `{int callbackID; {remote_nonnull_domain dom; int event; int detail}}`; the other domain
/// event kinds are accepted (virsh `event --all` registers every one) and never fire, as there
/// is nothing in the federation that reports them.
extension LibvirtFacadeClient {
    /// `VIR_DOMAIN_EVENT_ID_LIFECYCLE`.
    static let lifecycleEventID: Int32 = 0

    /// Records a callback and makes sure the broker's events flow; its id.
    func register(eventID: Int32, uuid: String?) -> Int32 {
        let (id, start) = state.withLock { state -> (Int32, Bool) in
            let id = state.nextCallbackID
            state.nextCallbackID += 1
            state.callbacks[id] = Callback(eventID: eventID, uuid: uuid)
            return (id, eventID == Self.lifecycleEventID && state.eventTask == nil)
        }
        if start { startEvents() }
        logger.debug("libvirt event callback registered", metadata: ["connection": "\(context.connectionID)", "eventID": "\(eventID)", "callbackID": "\(id)"])
        return id
    }

    /// Forgets a callback; an unknown id is libvirt's "invalid argument".
    func deregister(_ callbackID: Int32) throws {
        guard state.withLock({ $0.callbacks.removeValue(forKey: callbackID) }) != nil else {
            throw RemoteError(.invalidArg, "could not find event callback \(callbackID) for deregistration")
        }
    }

    private func startEvents() {
        let (subscription, events) = service.subscribe(EventFilter(), limit: 1000)
        let task = Task { [weak self] in
            for await event in events {
                guard let self, self.sink.isActive else { break }
                switch event {
                case .domain(let record): await self.deliver(record)
                case .lost(let count):
                    self.logger.notice("libvirt client fell behind; events lost", metadata: ["count": "\(count)", "connection": "\(self.context.connectionID)"])
                case .backend, .job: break
                }
            }
            self?.service.unsubscribe(subscription)
        }
        state.withLock { $0.eventTask = task }
    }

    /// Sends one lifecycle event to every lifecycle callback that wants it.
    private func deliver(_ record: DomainEventRecord) async {
        guard let (event, detail) = LibvirtEventMapping.lifecycle(record.type, detail: record.detail) else { return }
        let targets = state.withLock { state in
            state.callbacks.filter { $0.value.eventID == Self.lifecycleEventID && ($0.value.uuid == nil || $0.value.uuid == record.uuid) }.keys.sorted()
        }
        guard !targets.isEmpty else { return }
        invalidate()
        let id: Int32 = switch record.type {
        case .started: facade.ids.id(uuid: record.uuid, active: true)
        case .stopped, .saved, .undefined: facade.ids.id(uuid: record.uuid, active: false)
        default: facade.ids.existing(uuid: record.uuid)
        }
        let dom = NonnullDomain(name: record.domain, uuid: UUIDBytes.parse(record.uuid) ?? [UInt8](repeating: 0, count: 16), id: id)
        for callbackID in targets {
            var out = XDRWriter()
            out.write(callbackID)
            out.write(dom)
            out.write(event)
            out.write(detail)
            await sink.send(procedure: RemoteProcedure.domainEventCallbackLifecycle.rawValue, payload: out.buffer)
        }
    }
}
