import BrokerAPI
import BrokerCore
import Federation
import Foundation
import PostgresNIO

/// Changes asked of one node for a backend another holds, handed over through the store
/// (`CommandTable`): the store is what every node already reaches — across sites too, with no
/// listener, certificate or node address to manage — and taking a command is one conditional
/// statement, so it runs once or never. The holder is woken by `NOTIFY` and also looks every
/// round; the asking node waits for the answer, and says precisely what it knows when none comes.
extension ClusterNode {
    /// What a holder answers.
    struct Answer: Codable {
        var result: ActionResult?
        var code: String?
        var message: String?
    }

    /// Runs the changes handed to this node through `service`.
    public func serve(_ service: FederationService) {
        state.withLock { $0.service = service }
    }

    public func holder(of backend: String) -> String? {
        state.withLock { state in state.held[backend] == nil ? state.holders[backend] : nil }
    }

    public func forward(_ request: ForwardedRequest, to node: String, backend: String) async throws(BackendError) -> ActionResult {
        var request = request
        request.origin = settings.node
        guard let data = try? JSONEncoder().encode(request) else { throw BackendError(.internal, "the change could not be encoded for node \(node)") }
        let id = UUID().uuidString.lowercased()
        func notSent(_ why: String) -> BackendError {
            var error = BackendError(.backendUnavailable, "node \(node) holds backend \(backend) and \(why); the change was not sent", backend: backend)
            error.provablyNotSent = true
            return error
        }
        do throws(BackendError) {
            try await commands.enqueue(id: id, backend: backend, target: node, origin: settings.node, request: String(decoding: data, as: UTF8.self))
        } catch {
            // Queued or not: expiring it settles which.
            var settled = (try? await commands.expire(id)) == true
            if !settled, let standing = try? await commands.standing(id), case .expired = standing { settled = true }
            if settled { throw notSent("the change could not be handed over (\(error.message))") }
            throw BackendError(.outcomeUnknown, "the change was handed to node \(node) and the store did not confirm it (\(error.message)); "
                               + "it was not sent again", backend: backend)
        }
        let takeBy = ContinuousClock.now + lease
        var holderGoneSince: ContinuousClock.Instant?
        var pause: Duration = .milliseconds(20)
        while true {
            try? await Task.sleep(for: pause)
            pause = min(pause * 2, .milliseconds(200))
            let standing: CommandTable.Standing
            do throws(BackendError) { standing = try await commands.standing(id) } catch { continue }
            switch standing {
            case .answered(let json):
                guard let answer = try? JSONDecoder().decode(Answer.self, from: Data(json.utf8)) else {
                    throw BackendError(.internal, "node \(node) answered the change in a form this node cannot read")
                }
                // What the holder published with its answer: the next call through this node
                // (a start after a define) finds the VM as it is now.
                try? await refreshPeers()
                if let result = answer.result { return result }
                throw BackendError(ErrorCode(rawValue: answer.code ?? "") ?? .internal, answer.message ?? "node \(node) refused the change", backend: backend)
            case .queued:
                if ContinuousClock.now > takeBy, (try? await commands.expire(id)) == true {
                    throw notSent("did not take the change within \(settings.leaseMilliseconds) ms")
                }
            case .expired:
                throw notSent("did not take the change")
            case .taken:
                // The holder took it; only its answer says what happened. If it stops holding the
                // backend without answering, nothing will.
                let current = state.withLock { $0.held[backend] != nil ? settings.node : $0.holders[backend] }
                if current == node {
                    holderGoneSince = nil
                } else {
                    let since = holderGoneSince ?? .now
                    holderGoneSince = since
                    if ContinuousClock.now - since > lease {
                        throw BackendError(.outcomeUnknown, "node \(node) took the change and stopped holding backend \(backend) before answering: "
                                           + "whether it happened is unknown; it was not sent again: the next listing shows the VM's state", backend: backend)
                    }
                }
            }
        }
    }

    public func job(_ id: String) async -> JobRecord? {
        try? await store.store("read a job") { [store] in
            let rows = try await store.client.query("SELECT record::text FROM virtfed_job WHERE id = \(id)", logger: store.logger)
            for try await text in rows.decode(String.self) { return try? JSONDecoder().decode(JobRecord.self, from: Data(text.utf8)) }
            return nil
        } ?? nil
    }

    public func jobs() async -> [JobRecord] {
        (try? await store.store("read the jobs") { [store] in
            var jobs: [JobRecord] = []
            let rows = try await store.client.query("SELECT record::text FROM virtfed_job ORDER BY sequence", logger: store.logger)
            let decoder = JSONDecoder()
            for try await text in rows.decode(String.self) {
                if let job = try? decoder.decode(JobRecord.self, from: Data(text.utf8)) { jobs.append(job) }
            }
            return jobs
        }) ?? []
    }

    /// Takes what was handed to this node and runs each, answering in the store.
    func takeCommands() async {
        guard state.withLock({ $0.service != nil }) else { return }
        let taken: [(id: String, request: String)]
        do throws(BackendError) { taken = try await commands.take(node: settings.node) } catch { return }
        for command in taken {
            Task { await run(command.id, command.request) }
        }
    }

    private func run(_ id: String, _ json: String) async {
        var answer = Answer()
        if let service = state.withLock({ $0.service }), let request = try? JSONDecoder().decode(ForwardedRequest.self, from: Data(json.utf8)) {
            do throws(BackendError) {
                switch request.work {
                case .change(let change, let domain):
                    answer.result = try await service.perform(change, on: domain, caller: request.caller, operation: request.operation, wait: request.wait)
                case .define(let xml, let backend, let host, let template):
                    answer.result = try await service.define(xml: xml, backend: backend, host: host, template: template, caller: request.caller,
                                                             operation: request.operation, wait: request.wait)
                }
            } catch {
                answer.code = error.code.rawValue
                answer.message = error.message
            }
        } else {
            answer.code = ErrorCode.internal.rawValue
            answer.message = "node \(settings.node) could not read the change handed to it"
        }
        // What the change did is in the store before the answer, for the asking node to read.
        if let route = answer.result?.route { await broker.settle(route) }
        try? await publish()
        let text = (try? JSONEncoder().encode(answer)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        // The asking node waits for this answer while this node holds the backend: a store that
        // is away for a moment is tried again (writing the answer twice changes nothing).
        var failure = ""
        for attempt in 0..<5 {
            if attempt > 0 { try? await Task.sleep(for: .seconds(1)) }
            do throws(BackendError) {
                try await commands.answer(id, result: text)
                return
            } catch {
                failure = error.message
            }
        }
        logger.error("cluster: a handed change ran but its answer could not be written", metadata: ["command": "\(id)", "error": "\(failure)"])
    }

    /// Waits for `NOTIFY virtfed_command` naming this node and takes what was handed to it;
    /// reconnects after a second when the store goes away (the rounds take commands meanwhile).
    func listenForCommands() async {
        while !Task.isCancelled {
            do {
                try await store.client.withConnection { connection in
                    try await connection.listen(on: CommandTable.channel) { notifications in
                        for try await notification in notifications where notification.payload == settings.node {
                            await takeCommands()
                        }
                    }
                }
            } catch {
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }
}
