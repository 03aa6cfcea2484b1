import CLibvirt

/// One domain lifecycle event as libvirt delivers it (`virConnectDomainEventLifecycleCallback`).
public struct LibvirtLifecycleEvent: Sendable, Equatable {
    /// The domain's UUID, lowercased.
    public var uuid: String
    /// The domain's name.
    public var name: String
    /// `virDomainEventType` (`VIR_DOMAIN_EVENT_STARTED` …).
    public var event: Int32
    /// The event's detail (`virDomainEventStartedDetailType` …).
    public var detail: Int32
}

/// A lifecycle-event registration on one connection: libvirt calls back on its event-loop
/// thread, which hands each event to `deliver` and returns at once. The handler lives until
/// libvirt frees the registration (on `deregister` or when the connection closes), when
/// `finished` runs.
public final class LibvirtLifecycleEvents: Sendable {
    private final class Handler: Sendable {
        let deliver: @Sendable (LibvirtLifecycleEvent) -> Void
        let finished: @Sendable () -> Void
        init(deliver: @escaping @Sendable (LibvirtLifecycleEvent) -> Void, finished: @escaping @Sendable () -> Void) {
            self.deliver = deliver
            self.finished = finished
        }
    }

    /// libvirt's callback id.
    public let callbackID: Int32

    /// Registers for every domain's lifecycle events. A blocking call (a round trip on remote
    /// connections): run it on the connection's own thread.
    public init(
        on connection: LibvirtConnection,
        deliver: @escaping @Sendable (LibvirtLifecycleEvent) -> Void,
        finished: @escaping @Sendable () -> Void
    ) throws(LibvirtError) {
        let handler = Unmanaged.passRetained(Handler(deliver: deliver, finished: finished))
        let lifecycle: @convention(c) (virConnectPtr?, virDomainPtr?, Int32, Int32, UnsafeMutableRawPointer?) -> Void = { _, domain, event, detail, opaque in
            guard let domain, let opaque else { return }
            var buffer = [CChar](repeating: 0, count: Int(VIR_UUID_STRING_BUFLEN))
            guard virDomainGetUUIDString(domain, &buffer) == 0, let name = virDomainGetName(domain) else { return }
            let uuid = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            let handler = Unmanaged<Handler>.fromOpaque(opaque).takeUnretainedValue()
            handler.deliver(LibvirtLifecycleEvent(uuid: uuid.lowercased(), name: String(cString: name), event: event, detail: detail))
        }
        let release: @convention(c) (UnsafeMutableRawPointer?) -> Void = { opaque in
            guard let opaque else { return }
            let handler = Unmanaged<Handler>.fromOpaque(opaque).takeRetainedValue()
            handler.finished()
        }
        let id = virConnectDomainEventRegisterAny(
                connection.pointer, nil, Int32(VIR_DOMAIN_EVENT_ID_LIFECYCLE.rawValue),
                unsafeBitCast(lifecycle, to: virConnectDomainEventGenericCallback.self),
                handler.toOpaque(), release
        )
        guard id >= 0 else {
            handler.release()
            throw LibvirtError.takeLast(or: "cannot register for domain events")
        }
        callbackID = id
    }

    /// Ends the registration (a blocking call); libvirt then frees the handler.
    public func deregister(on connection: LibvirtConnection) {
        _ = virConnectDomainEventDeregisterAny(connection.pointer, callbackID)
    }
}
