import BrokerAPI
import BrokerCore
import Foundation
import Logging
import PostgresNIO
import StateStore
import Synchronization

/// The events of one node's backends and jobs, delivered to every other node's subscribers
/// through PostgreSQL (`NOTIFY virtfed_event`): each node sends what arises on its broker, in
/// order, several events to a notification, and hands what the others send to its own
/// subscribers as if it had arisen here. Nothing is queued without bound: past `limit` events
/// waiting (the store gone), the oldest are dropped and counted, and the count travels with
/// the next notification, so subscribers elsewhere get a `lost` notice in their place. A node
/// that was not listening (its store connection was down) cannot know what it missed.
final class EventRelay: Sendable {
    /// The channel every node listens on.
    static let channel = "virtfed_event"
    /// PostgreSQL refuses payloads of 8,000 bytes and more.
    static let payloadLimit = 7_900

    /// One notification's payload.
    struct Batch: Codable {
        /// The node that sent it.
        var node: String
        /// Events this node could not send since its last notification.
        var lost: Int
        var events: [RelayedEvent]
    }

    /// An event on the wire: exactly one of its fields.
    struct RelayedEvent: Codable {
        var domain: DomainEventRecord?
        var backend: BackendEventRecord?
        var job: JobRecord?

        init?(_ event: BrokerEvent) {
            switch event {
            case .domain(let record): domain = record
            case .backend(let record): backend = record
            case .job(let record): job = record
            case .lost: return nil
            }
        }

        var event: BrokerEvent? {
            if let domain { return .domain(domain) }
            if let backend { return .backend(backend) }
            if let job { return .job(job) }
            return nil
        }
    }

    /// What `/metrics` reports of it.
    struct Counts: Sendable {
        var sent = 0
        var received = 0
        var lost = 0
    }

    private struct Outbox {
        var waiting: [BrokerEvent] = []
        var lost = 0
        var counts = Counts()
    }

    private let node: String
    private let store: PostgresStore
    private let logger: Logger
    private let limit: Int
    private let outbox = Mutex(Outbox())
    private let wake: AsyncStream<Void>.Continuation
    private let woken: AsyncStream<Void>

    /// A relay for `node` through `store`, holding at most `limit` events while it cannot send.
    init(node: String, store: PostgresStore, logger: Logger, limit: Int = 10_000) {
        self.node = node
        self.store = store
        self.logger = logger
        self.limit = limit
        (woken, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Queues an event that arose on this node for the others.
    func send(_ event: BrokerEvent) {
        guard RelayedEvent(event) != nil else { return }
        outbox.withLock { outbox in
            outbox.waiting.append(event)
            if outbox.waiting.count > limit {
                outbox.waiting.removeFirst(outbox.waiting.count - limit)
                outbox.lost += 1
                outbox.counts.lost += 1
            }
        }
        wake.yield()
    }

    var counts: Counts { outbox.withLock { $0.counts } }

    /// Sends what is queued, as it comes, until cancelled.
    func runSender() async {
        for await _ in woken {
            while true {
                let (events, lost) = outbox.withLock { outbox in
                    defer { outbox.waiting = []; outbox.lost = 0 }
                    return (outbox.waiting, outbox.lost)
                }
                if events.isEmpty && lost == 0 { break }
                let (payloads, oversize) = Self.payloads(events, node: node, lost: lost)
                var untold = lost + oversize  // the first payload tells it
                var failed = 0
                for (index, payload) in payloads.enumerated() {
                    do throws(BackendError) {
                        try await notify(payload.text)
                        if index == 0 { untold = 0 }
                        outbox.withLock { $0.counts.sent += payload.count }
                    } catch {
                        failed += payload.count
                    }
                }
                outbox.withLock { $0.counts.lost += failed + oversize }
                if untold + failed > 0 {
                    // Told with the next notification that goes through.
                    outbox.withLock { $0.lost += untold + failed }
                }
                if failed > 0 {
                    logger.warning("cluster: events could not be sent to the other nodes", metadata: ["events": "\(failed)"])
                    try? await Task.sleep(for: .seconds(1))
                }
                if Task.isCancelled { return }
            }
        }
    }

    /// Delivers what the other nodes send to `deliver` until cancelled, listening again a
    /// second after the store goes away.
    func runListener(_ deliver: @escaping @Sendable (BrokerEvent) -> Void) async {
        let decoder = JSONDecoder()
        while !Task.isCancelled {
            do {
                try await store.client.withConnection { [self] connection in
                    try await connection.listen(on: Self.channel) { notifications in
                        for try await notification in notifications {
                            guard let batch = try? decoder.decode(Batch.self, from: Data(notification.payload.utf8)), batch.node != node else { continue }
                            if batch.lost > 0 { deliver(.lost(batch.lost)) }
                            let events = batch.events.compactMap(\.event)
                            for event in events { deliver(event) }
                            outbox.withLock { $0.counts.received += events.count }
                        }
                    }
                }
            } catch {
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }

    /// `events` cut into payloads under PostgreSQL's limit, the first carrying `lost` and the
    /// number of events that alone exceed the limit (a job with a very long message), which
    /// are left out and returned as `oversize`.
    static func payloads(_ events: [BrokerEvent], node: String, lost: Int) -> (payloads: [(text: String, count: Int)], oversize: Int) {
        let encoder = JSONEncoder()
        let name = String(decoding: (try? encoder.encode(node)) ?? Data("\"\"".utf8), as: UTF8.self)
        let overhead = 40 + name.utf8.count
        let encoded = events.compactMap(RelayedEvent.init).compactMap { try? encoder.encode($0) }
        let fitting = encoded.filter { $0.count + overhead <= payloadLimit }
        let oversize = encoded.count - fitting.count
        var payloads: [(text: String, count: Int)] = []
        var current: [Data] = []
        var size = overhead
        func flush() {
            let told = payloads.isEmpty ? lost + oversize : 0
            guard !current.isEmpty || told > 0 else { return }
            let events = current.map { String(decoding: $0, as: UTF8.self) }.joined(separator: ",")
            payloads.append(("{\"node\":\(name),\"lost\":\(told),\"events\":[\(events)]}", current.count))
            current = []
            size = overhead
        }
        for data in fitting {
            if size + data.count + 1 > payloadLimit { flush() }
            current.append(data)
            size += data.count + 1
        }
        flush()
        return (payloads, oversize)
    }

    private func notify(_ payload: String) async throws(BackendError) {
        try await store.store("relay events to the other nodes") { [store] in
            _ = try await store.client.query("SELECT pg_notify(\(Self.channel), \(payload))", logger: store.logger)
        }
    }
}
