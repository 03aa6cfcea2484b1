import BrokerAPI
import BrokerCore
import Foundation

/// The inventory cache's upkeep and the federated event stream: one monitor per backend
/// re-reads it every `poll_interval_ms` (diffing into events), listens to its own events where
/// it has them (re-registered on every new session, with a re-read that recovers what was
/// missed), and announces the backend going down and coming back.
extension Broker {
    /// Subscribes to the federated events; the stream ends on `unsubscribe` or shutdown.
    /// Past `limit` queued events the subscriber gets a `lost` notice instead of more.
    public nonisolated func subscribe(_ filter: EventFilter, limit: Int = 1000) -> (id: Int, events: AsyncStream<BrokerEvent>) {
        hub.subscribe(filter, limit: limit)
    }

    /// Ends a subscription; false when there is none with that id.
    @discardableResult
    public nonisolated func unsubscribe(_ id: Int) -> Bool {
        hub.unsubscribe(id)
    }

    /// Delivers an event from above the engine (a job's progress) to the subscribers it passes.
    public nonisolated func publish(_ event: BrokerEvent) {
        hub.publish(event)
    }

    /// Lets `observer` see every event that arises on this broker — its backends', its jobs' —
    /// but none delivered with `publishRelayed` (nil: no observer).
    public nonisolated func observeEvents(_ observer: (@Sendable (BrokerEvent) -> Void)?) {
        hub.observe(observer)
    }

    /// Delivers an event that arose on another broker (a node of the same cluster) to this
    /// one's subscribers; the observer does not see it.
    public nonisolated func publishRelayed(_ event: BrokerEvent) {
        hub.publishRelayed(event)
    }

    /// Every backend's last known inventory, from the cache: never touches a backend.
    public func inventory() async -> [BackendInventory] {
        var result: [BackendInventory] = []
        for supervisor in supervisors {
            let entry = cache.entry(supervisor.name)
            let up = await supervisor.liveSession != nil
            result.append(BackendInventory(
                backend: supervisor.name, plugin: type(of: supervisor.plugin).name, up: up,
                domains: entry?.domains ?? [], refreshedAt: entry?.refreshedAt,
                lastRefreshSeconds: entry?.lastRefresh?.inSeconds, stale: !up || (entry?.stale ?? true),
                refreshErrors: entry?.refreshErrors ?? 0, reconnects: await supervisor.reconnects,
                timeouts: await supervisor.timeouts, refreshLagSeconds: entry?.lastLag?.inSeconds ?? 0
            ))
        }
        return result
    }

    /// Starts a monitor for every backend that has none, and stops those of backends gone.
    func syncMonitors() {
        let current = Set(supervisors.map { ObjectIdentifier($0) })
        for (id, task) in monitors where !current.contains(id) {
            task.cancel()
            monitors[id] = nil
        }
        for supervisor in supervisors where monitors[ObjectIdentifier(supervisor)] == nil {
            monitors[ObjectIdentifier(supervisor)] = Task { await self.monitor(supervisor) }
        }
    }

    /// Stops every monitor and ends every subscription.
    func stopMonitoring() {
        for task in monitors.values { task.cancel() }
        monitors = [:]
        hub.finishAll()
    }

    /// Records a full listing in the cache and publishes what changed.
    func record(_ domains: [Domain], of backend: String, startedAt started: ContinuousClock.Instant) {
        let changes = cache.store(domains, of: backend, startedAt: started)
        if !changes.isEmpty { namesDirty = true }
        publish(changes, from: backend)
    }

    // MARK: - One backend's monitor

    private func monitor(_ supervisor: BackendSupervisor) async {
        let name = supervisor.name
        var listening: ObjectIdentifier?
        var listener: Task<Void, Never>?
        var wasUp: Bool?
        defer { listener?.cancel() }
        while !Task.isCancelled {
            await supervisor.checkHealth()
            // Listen first, then re-read: a change between the two is in both, never in neither.
            if let session = await supervisor.liveSession, ObjectIdentifier(session as AnyObject) != listening {
                listener?.cancel()
                listening = ObjectIdentifier(session as AnyObject)
                listener = session.events().map { stream in
                    Task { for await event in stream { await self.received(event, from: supervisor) } }
                }
            }
            // A refresh waits for one of the daemon's refresh places: under load the interval
            // stretches (and the wait shows as the backend's refresh lag), refreshes never stack.
            let due = ContinuousClock.now
            await refreshes.acquire()
            let started = ContinuousClock.now
            let outcome: Result<[Domain], BackendError>
            do throws(BackendError) {
                outcome = .success(try await bounded(supervisor) { session throws(BackendError) in try await session.domains(detail: .load) })
            } catch {
                outcome = .failure(error)
            }
            await refreshes.release()
            cache.refreshLag(of: name, started - due)
            switch outcome {
            case .success(let domains):
                // Back up first, then what changed while it was down.
                if wasUp == false { publishBackend(name, .up, nil) }
                wasUp = true
                record(domains, of: name, startedAt: started)
            case .failure(let error):
                cache.failed(name)
                // Slow is not dead: a refresh past its deadline leaves the data stale, and the
                // backend is down only when its session is gone and none is being opened.
                if await supervisor.status.state == .down {
                    if wasUp != false { publishBackend(name, .down, error.message) }
                    wasUp = false
                }
            }
            try? await Task.sleep(for: .milliseconds(supervisor.configuration.pollIntervalMilliseconds))
        }
    }

    /// A backend's own event: published at once; the VM is re-read into the cache after, one
    /// re-read per VM however many events a burst brings.
    private func received(_ event: DomainEvent, from supervisor: BackendSupervisor) {
        let name = supervisor.name
        cache.eventArrived(from: name, uuid: event.uuid, state: InventoryDiff.state(after: event.type))
        if event.type == .defined || event.type == .undefined { namesDirty = true }
        publish([event], from: name)
        if event.type == .undefined {
            cache.update(nil, uuid: event.uuid, of: name)
            return
        }
        pendingRereads[name, default: []].insert(event.uuid)
        guard !rereading.contains(name) else { return }
        rereading.insert(name)
        Task { await self.reread(supervisor) }
    }

    /// Re-reads the VMs events named, until none is pending. A re-read that shows a VM in
    /// another state than it was last announced in announces the change (its own event is
    /// late or lost); one overtaken by a newer event for the VM is dropped, as that event's
    /// own re-read follows.
    private func reread(_ supervisor: BackendSupervisor) async {
        let name = supervisor.name
        while let uuids = pendingRereads.removeValue(forKey: name), !uuids.isEmpty {
            for uuid in uuids {
                let domain = try? await bounded(supervisor) { session throws(BackendError) in try await session.domain(.uuid(uuid)) }
                guard let domain, pendingRereads[name]?.contains(uuid) != true else { continue }
                publish(cache.update(domain, uuid: uuid, of: name), from: name)
            }
        }
        rereading.remove(name)
    }

    // MARK: - Publishing

    /// Publishes events, each change once: a change a re-read found and the backend's own
    /// event for it (they race) are one announcement, whichever comes first.
    private func publish(_ events: [DomainEvent], from backend: String) {
        guard !events.isEmpty else { return }
        var fresh: [DomainEvent] = []
        for event in events {
            if event.type == .undefined {
                announced[backend]?[event.uuid] = nil
            } else if let state = InventoryDiff.state(after: event.type) {
                guard announced[backend, default: [:]].updateValue(state, forKey: event.uuid) != state else { continue }
            }
            fresh.append(event)
        }
        guard hub.count > 0 else { return }
        for event in fresh {
            let domain = federatedName(of: event.uuid) ?? "\(backend)/\(event.name)"
            hub.publish(.domain(DomainEventRecord(
                time: Self.timestamp(event.time), backend: backend, domain: domain, uuid: event.uuid,
                type: event.type, detail: event.detail
            )))
        }
    }

    private func publishBackend(_ backend: String, _ type: BackendEventRecord.Transition, _ message: String?) {
        logger.info("backend \(type.rawValue)", metadata: ["backend": "\(backend)"])
        hub.publish(.backend(BackendEventRecord(time: Self.timestamp(Date()), backend: backend, type: type, message: message)))
    }

    /// The federated name of a VM by UUID, from the cached namespace (rebuilt when it changed).
    private func federatedName(of uuid: String) -> String? {
        if namesDirty {
            namesDirty = false
            federatedNames = [:]
            let sources = supervisors.map { supervisor in
                Namespace.Source(backend: supervisor.name, routeKind: type(of: supervisor.plugin).routeKind,
                                 domains: cache.entry(supervisor.name)?.domains ?? [])
            }
            for entry in Namespace(sources: sources, prefer: configuration.preferredRoute).entries {
                for route in entry.routes { federatedNames[route.domain.uuid] = entry.record.name }
            }
        }
        return federatedNames[uuid]
    }

    static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
