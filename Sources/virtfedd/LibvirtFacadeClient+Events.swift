import LibvirtRemote

/// Event callbacks (CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY and the network, pool, node
/// device and secret kinds). Registrations are kept per connection; lifecycle events are
/// delivered as DOMAIN_EVENT_CALLBACK_LIFECYCLE messages once the broker publishes events.
extension LibvirtFacadeClient {
    /// Records a callback; its id.
    func register(eventID: Int32, uuid: String?) -> Int32 {
        state.withLock { state in
            let id = state.nextCallbackID
            state.nextCallbackID += 1
            state.callbacks[id] = Callback(eventID: eventID, uuid: uuid)
            return id
        }
    }

    /// Forgets a callback; an unknown id is libvirt's "invalid argument".
    func deregister(_ callbackID: Int32) {
        _ = state.withLock { $0.callbacks.removeValue(forKey: callbackID) }
    }
}
