import BrokerCore
import Logging

/// Owns the one session to one backend: opens it, hands it out, notices when it drops, and
/// reconnects with backoff. Concurrent callers share a single connection attempt.
///
/// Slow is not dead: a call past its deadline is abandoned and counted, and the session kept.
/// The session goes only when it shows it is gone — the plugin says it is no longer alive
/// (libvirt's keepalive and close callback), or a call fails with `backend_unavailable`.
actor BackendSupervisor {
    let configuration: BackendConfiguration
    let plugin: any BackendPlugin
    private let logger: Logger
    private let openLimit: ReconnectLimiter
    /// Calls abandoned at their deadline.
    private(set) var timeouts = 0

    private var session: (any BackendSession)?
    private var connecting: Task<Result<any BackendSession, BackendError>, Never>?
    /// Counts connection attempts, so that an abandoned attempt never clears a newer one.
    private var attempts = 0
    private var running = 0
    private var slotGeneration = 0
    private var waiters: [CheckedContinuation<Void, Never>] = []
    private var lastError: BackendError?
    private var backoff = Backoff()
    private var notBefore: ContinuousClock.Instant?
    private var connects = 0
    /// Whether the current connection attempt got its turn and is in the plugin's open.
    private var opening = false

    init(configuration: BackendConfiguration, plugin: any BackendPlugin, reconnects: ReconnectLimiter, logger: Logger) {
        self.configuration = configuration
        self.plugin = plugin
        openLimit = reconnects
        var logger = logger
        logger[metadataKey: "backend"] = "\(configuration.name)"
        self.logger = logger
    }

    nonisolated var name: String { configuration.name }

    /// The backend's connection state and last error, for `backends`.
    var status: (state: BackendStateWord, error: BackendError?) {
        if let session, session.isAlive { return (.up, nil) }
        if connecting != nil { return (.connecting, lastError) }
        return (.down, lastError ?? (session == nil ? nil : BackendError(.backendUnavailable, "connection lost")))
    }

    /// Sessions opened after the first one (reconnects).
    var reconnects: Int { max(0, connects - 1) }

    /// The session if it is connected now; never connects.
    var liveSession: (any BackendSession)? {
        guard let session, session.isAlive else { return nil }
        return session
    }

    /// Runs `operation` on the session, connecting first if needed. A failure that shows the
    /// session is gone drops it, so the next call reconnects.
    func run<T: Sendable>(_ operation: @Sendable (any BackendSession) async throws(BackendError) -> T) async throws(BackendError) -> T {
        // A session that shows it is gone is dropped before a slot is awaited: the slots its
        // stuck calls hold are given back with it.
        if let session, !session.isAlive {
            drop(session, because: BackendError(.backendUnavailable, "connection lost", backend: name))
        }
        let generation = await acquireSlot()
        defer { releaseSlot(generation) }
        let session = try await currentSession()
        do {
            return try await operation(session)
        } catch {
            if error.code == .backendUnavailable || !session.isAlive {
                drop(session, because: error)
            }
            throw error.attributed(to: name)
        }
    }

    /// Waits for one of the backend's `max_concurrency` call slots; returns the slot
    /// generation it belongs to.
    private func acquireSlot() async -> Int {
        if running < configuration.maxConcurrency {
            running += 1
            return slotGeneration
        }
        await withCheckedContinuation { waiters.append($0) }
        return slotGeneration
    }

    /// Hands the slot to the next waiter, or frees it. A slot of an older generation (a call
    /// still stuck on a session dropped since) was already given back by `drop`.
    private func releaseSlot(_ generation: Int) {
        guard generation == slotGeneration else { return }
        if waiters.isEmpty {
            running -= 1
        } else {
            waiters.removeFirst().resume()
        }
    }

    /// Forgets the slots held by calls on a dropped session: they may never return, and must
    /// not starve calls on the next one.
    private func resetSlots() {
        slotGeneration += 1
        running = min(waiters.count, configuration.maxConcurrency)
        let resumed = waiters.prefix(configuration.maxConcurrency)
        waiters.removeFirst(resumed.count)
        for waiter in resumed { waiter.resume() }
    }

    /// Reconnects a backend that is down (honouring the backoff) and notices one that died;
    /// run periodically by the daemon so that sessions are healthy before anyone asks.
    func checkHealth() async {
        if let session {
            if !session.isAlive { drop(session, because: BackendError(.backendUnavailable, "connection lost", backend: name)) }
            return
        }
        _ = try? await currentSession()
    }

    /// Gives up on a session that timed out or died; it is closed off the caller's path.
    func drop(_ failed: any BackendSession, because error: BackendError) {
        guard let current = session, current as AnyObject === failed as AnyObject else { return }
        logger.warning("session dropped", metadata: ["error": "\(error.message)"])
        session = nil
        lastError = error
        resetSlots()
        Task.detached { await failed.close() }
    }

    /// Records a deadline hit by a caller (the operation itself may still be running): the
    /// session is kept — slow is not dead — and the timeout counted. A connection attempt
    /// still hanging in the plugin's open is abandoned, so that the next call after the
    /// backoff starts afresh; one still waiting for its turn under the daemon-wide limit is
    /// kept (it has not tried yet).
    func timedOut(_ error: BackendError) {
        timeouts += 1
        if session != nil, timeouts == 1 || timeouts.isMultiple(of: 100) {
            logger.notice("backend slow; session kept", metadata: ["error": "\(error.message)", "timeouts": "\(timeouts)"])
        }
        if session == nil, connecting != nil, opening {
            connecting = nil
            lastError = error
            notBefore = ContinuousClock.now + backoff.next()
        }
    }

    /// Closes the session for good.
    func shutdown() async {
        connecting?.cancel()
        if let session {
            self.session = nil
            await session.close()
        }
    }

    private func currentSession() async throws(BackendError) -> any BackendSession {
        if let session {
            if session.isAlive { return session }
            drop(session, because: BackendError(.backendUnavailable, "connection lost", backend: name))
        }
        if let connecting { return try await connecting.value.get() }
        if let notBefore, ContinuousClock.now < notBefore, let lastError {
            // Refused credentials, and settings the plugin refuses (a URI option it cannot use), stay
            // refused until someone changes them: say so, not "unavailable".
            let kept: ErrorCode = lastError.code == .authFailed || lastError.code == .invalidArgument ? lastError.code : .backendUnavailable
            throw BackendError(kept, "\(lastError.message) (reconnecting)", backend: name)
        }
        attempts += 1
        let number = attempts
        let attempt = Task { await self.connect(number) }
        connecting = attempt
        return try await attempt.value.get()
    }

    private func connect(_ number: Int) async -> Result<any BackendSession, BackendError> {
        defer { if attempts == number { connecting = nil } }
        let plugin = self.plugin
        let configuration = self.configuration
        let logger = self.logger
        await openLimit.acquire()
        if attempts == number { opening = true }
        let opened: Result<any BackendSession, BackendError>
        do throws(BackendError) {
            opened = .success(try await plugin.open(configuration.uri, credentials: configuration.credentials,
                                                    options: configuration.options, logger: logger))
        } catch {
            opened = .failure(error)
        }
        await openLimit.release()
        if attempts == number { opening = false }
        do throws(BackendError) {
            let session = try opened.get()
            if let current = self.session, current.isAlive {
                // A late, abandoned attempt: keep the session already in use.
                Task.detached { await session.close() }
                return .success(current)
            }
            self.session = session
            connects += 1
            lastError = nil
            backoff.reset()
            notBefore = nil
            logger.info("connected")
            return .success(session)
        } catch {
            let error = error.attributed(to: name)
            lastError = error
            notBefore = ContinuousClock.now + backoff.next()
            logger.warning("cannot connect", metadata: ["error": "\(error.message)"])
            return .failure(error)
        }
    }
}

/// A backend's connection state word.
enum BackendStateWord: String, Sendable {
    case up, down, connecting
}
