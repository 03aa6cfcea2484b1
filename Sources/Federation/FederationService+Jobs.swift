import Broker
import BrokerAPI
import BrokerCore
import Logging

/// Jobs: every change runs as one, sent once and followed by the daemon to its end.
extension FederationService {
    /// Takes back the jobs kept from before a restart: those still running on their backend
    /// (a Hyper-V job instance, an SCVMM job ID) are followed again; any other job left
    /// running is `unknown` — the daemon stopped before the backend said it had the change.
    public func restoreJobs() async {
        guard let journal else { return }
        let kept: [JobRecord]
        do throws(BackendError) {
            kept = try await journal.load()
        } catch {
            logger.error("job journal: cannot read it; no job history", metadata: ["error": "\(error.message)"])
            return
        }
        for record in kept { await jobs.restore(record) }
        for record in kept where record.state == .running {
            if let route = record.route, let backendJob = record.backendJobID, let uuid = record.uuid {
                logger.info("job re-attached", metadata: ["job": "\(record.id)", "route": "\(route)", "backend_job": "\(backendJob)"])
                // It holds its VM's change lock again while it runs.
                Task {
                    try? await changes.run(uuid, name: record.domain) { () async throws(BackendError) in
                        await follow(record.id, route: route, backendJob: backendJob, uuid: uuid)
                    }
                }
            } else {
                await jobs.update(record.id) {
                    $0.state = .unknown
                    $0.code = ErrorCode.outcomeUnknown.rawValue
                    $0.message = "the daemon stopped before the backend answered; the next listing shows the VM's state"
                }
            }
        }
        logger.info("jobs restored", metadata: ["kept": "\(kept.count)", "running": "\(kept.count { $0.state == .running })"])
    }

    /// The running jobs, or with `all` every job kept; in a cluster, every node's (the others'
    /// from the cluster's history, this node's own as it has them).
    public func jobList(all: Bool) async -> [JobRecord] {
        let own = await jobs.list(all: all)
        guard let cluster else { return own }
        let mine = Set(own.map(\.id))
        let others = await cluster.jobs().filter { !mine.contains($0.id) && (all || !$0.state.isFinal) }
        return others + own
    }

    /// One job.
    public func job(_ id: String) async throws(BackendError) -> JobRecord {
        if let record = await jobs.get(id) { return record }
        // In a cluster, a job another node runs is in the cluster's history.
        if let record = await cluster?.job(id) { return record }
        throw BackendError(.notFound, "no job \(id)")
    }

    /// Asks the backend to cancel a running job (Hyper-V: `RequestStateChange` on the job;
    /// SCVMM: `Stop-SCJob`); `unsupported` where the backend cannot. Returns the job as it
    /// stands once the backend has said whether it stopped (or `wait` passed).
    public func cancel(job id: String, caller: Caller, wait: Duration = .seconds(5)) async throws(BackendError) -> JobRecord {
        let method = RPCMethod.jobCancel.rawValue
        if caller.readOnly {
            let refusal = BackendError(.permissionDenied, caller.refusal(method))
            await record(method, domain: id, route: nil, failure: refusal, caller: caller)
            throw refusal
        }
        let outcome: Result<JobRecord, BackendError>
        do throws(BackendError) {
            let current = try await job(id)
            guard !current.state.isFinal else { throw BackendError(.invalidState, "job \(id) has already ended (\(current.state.rawValue))") }
            guard let route = current.route, let backendJob = current.backendJobID else {
                throw BackendError(.unsupported, "job \(id) has no backend job to cancel (its backend acts at once)")
            }
            try await recordIntent(method, domain: current.domain, caller: caller)
            try await broker.call(route) { session throws(BackendError) in try await session.cancelJob(backendJob) }
            let deadline = ContinuousClock.now + wait
            var latest = current
            while !latest.state.isFinal && ContinuousClock.now < deadline {
                try? await Task.sleep(for: .milliseconds(20))
                latest = await jobs.get(id) ?? latest
            }
            outcome = .success(latest)
        } catch {
            outcome = .failure(error)
        }
        switch outcome {
        case .success(let record):
            await self.record(method, domain: record.domain, route: record.route, failure: nil, caller: caller)
            return record
        case .failure(let error):
            await record(method, domain: id, route: nil, failure: error, caller: caller)
            throw error
        }
    }

    /// Running jobs per route and failed jobs per route since start (for `/metrics`).
    public func jobCounts() async -> (running: [String: Int], failed: [String: Int]) {
        (await jobs.runningByRoute(), await jobs.failuresByRoute())
    }

    /// Sends `change` for `job` in a task of its own, which holds the VM's change lock and
    /// follows the backend's job to its end, whatever happens to the caller. Returns the route
    /// once the change was sent; throws what kept it from being sent (or made its fate unknown).
    func send(_ change: DomainChange, to entry: Namespace.Entry, job id: String) async throws(BackendError) -> String {
        let name = entry.record.name
        let operation = change.operation
        return try await launch(job: id, lock: entry.record.uuid, name: name) { () async throws(BackendError) in
            let (route, status) = try await self.throughRoutes(entry, change: "\(RPCMethod(operation).rawValue) on \(name)") {
                session, domain throws(BackendError) in try await session.apply(change, on: .uuid(domain.uuid))
            }
            self.logger.info("action", metadata: ["action": "\(operation.rawValue)", "domain": "\(name)", "route": "\(route)", "job": "\(id)"])
            // A VM removed or moved: the backends it left and reached are re-read when it is done.
            // In a cluster the route is re-read after any change too: the other nodes list what this
            // one publishes of it, and should see the change within a round, not a poll interval.
            let touched: [String] = switch change {
            case .undefine: [route]
            case .migrate(let target): [route, target.backend]
            default: self.cluster == nil ? [] : [route]
            }
            return (route, entry.routes.first(where: { $0.backend == route })?.domain.uuid, status, touched)
        }
    }

    /// Runs one change's job in a task of its own holding the change lock `lock`: `send` sends
    /// it (at most once) and says through which route, for which VM, with what status and which
    /// backends to re-read when it is done; a running backend job is then followed to its end.
    /// Returns the route once sent; throws what kept the change from being sent.
    func launch(
        job id: String, lock: String, name: String,
        _ send: @escaping @Sendable () async throws(BackendError) -> (route: String, uuid: String?, status: JobStatus, refresh: [String])
    ) async throws(BackendError) -> String {
        let sent = AsyncStream<Result<String, BackendError>>.makeStream()
        Task {
            do throws(BackendError) {
                try await changes.run(lock, name: name) { () async throws(BackendError) in
                    let (route, uuid, status, refresh) = try await send()
                    // The cache has the change before the job says it is done.
                    if status.phase == .completed { for backend in refresh { await broker.refresh(backend) } }
                    await jobs.update(id) { $0.route = route; $0.uuid = uuid; $0.apply(status) }
                    sent.continuation.yield(.success(route))
                    if status.phase == .running, let backendJob = status.jobID {
                        await follow(id, route: route, backendJob: backendJob, uuid: uuid, refresh: refresh)
                    }
                }
            } catch {
                await jobs.update(id) { $0.fail(error) }
                sent.continuation.yield(.failure(error))
            }
            sent.continuation.finish()
        }
        for await result in sent.stream { return try result.get() }
        throw BackendError(.internal, "the job's task ended without a word")
    }

    /// Polls the backend's job every `pollInterval` until it ends or `timeout` passes. A backend
    /// that does not answer for a while is asked again (its job goes on without us); one that
    /// says the job failed fails it; past the timeout, or if the job vanished, it is `unknown`.
    /// A job that completes has the backends in `refresh` re-read first.
    func follow(_ id: String, route: String, backendJob: String, uuid: String?, refresh: [String] = []) async {
        let deadline = ContinuousClock.now + jobSettings.timeout
        while ContinuousClock.now < deadline {
            try? await Task.sleep(for: jobSettings.pollInterval)
            do throws(BackendError) {
                let status = try await broker.call(route) { session throws(BackendError) in try await session.jobStatus(backendJob) }
                var ended = status
                if status.phase == .completed, status.resultingState == nil, let uuid {
                    ended.resultingState = try? await broker.call(route) { session throws(BackendError) in
                        try await session.domain(.uuid(uuid)).state
                    }
                }
                if status.phase == .completed { for backend in refresh { await broker.refresh(backend) } }
                let record = await jobs.update(id) { $0.apply(ended) }
                if record?.state.isFinal != false { return }
            } catch where error.code == .timeout || error.code == .backendUnavailable || error.code == .busy {
                await jobs.update(id) { $0.message = "\(route) is not answering (\(error.message)); still following the job" }
            } catch where error.code == .notFound || error.code == .unsupported {
                await jobs.update(id) { $0.state = .unknown; $0.code = ErrorCode.outcomeUnknown.rawValue; $0.message = error.message }
                return
            } catch {
                await jobs.update(id) { $0.fail(error) }
                return
            }
        }
        await jobs.update(id) {
            $0.state = .unknown
            $0.code = ErrorCode.outcomeUnknown.rawValue
            $0.message = "still running on \(route) after \(jobSettings.timeout); no longer followed: the next listing shows the VM's state"
        }
    }
}
