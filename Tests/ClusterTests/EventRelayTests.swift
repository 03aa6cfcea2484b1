import BrokerAPI
import BrokerCore
@testable import Cluster
import Foundation
import Testing

@Suite("events relayed between the nodes of a cluster")
struct EventRelayTests {
    static func domainEvent(_ index: Int) -> BrokerEvent {
        .domain(DomainEventRecord(time: "2026-12-05T08:00:00.000Z", backend: "b\(index % 7)", domain: "b\(index % 7)/vm-\(index)",
                                  uuid: UUID().uuidString.lowercased(), type: .suspended, detail: "paused \"by\" \\ a user"))
    }

    func decode(_ payload: String) throws -> EventRelay.Batch {
        try JSONDecoder().decode(EventRelay.Batch.self, from: Data(payload.utf8))
    }

    @Test func manyEventsAreCutIntoNotificationsPostgreSQLTakesInOrder() throws {
        let events = (0..<200).map(Self.domainEvent) + [
            .backend(BackendEventRecord(time: "2026-12-05T08:00:01.000Z", backend: "b1", type: .down, message: "gone")),
            .lost(3),  // a subscriber's own notice: never relayed
        ]
        let (payloads, oversize) = EventRelay.payloads(events, node: "node-\"a\"", lost: 4)
        #expect(oversize == 0)
        #expect(payloads.count > 1 && payloads.allSatisfy { $0.text.utf8.count < EventRelay.payloadLimit }, "\(payloads.map(\.text.utf8.count))")
        let batches = try payloads.map { try decode($0.text) }
        #expect(batches.allSatisfy { $0.node == "node-\"a\"" })
        #expect(batches.map(\.lost) == [4] + Array(repeating: 0, count: batches.count - 1))
        #expect(batches.map(\.events.count) == payloads.map(\.count))
        let relayed = batches.flatMap(\.events).compactMap(\.event)
        #expect(relayed == Array(events.dropLast()))
    }

    @Test func anEventTooLargeForANotificationIsCountedLostNotSentCut() throws {
        let huge = BrokerEvent.job(JobRecord(id: "j1", domain: "hv01/app", route: "hv01", action: .start, state: .failed, percent: 100,
                                             message: String(repeating: "x", count: 9_000), started: "2026-12-05T08:00:00.000Z",
                                             finished: nil, backendJobID: nil, resultingState: nil, code: "internal"))
        let (payloads, oversize) = EventRelay.payloads([Self.domainEvent(1), huge, Self.domainEvent(2)], node: "a", lost: 0)
        #expect(oversize == 1)
        let batches = try payloads.map { try decode($0.text) }
        #expect(batches.count == 1 && batches[0].lost == 1 && batches[0].events.count == 2)
        // Only what was lost to tell: one notification with no events.
        let (told, _) = EventRelay.payloads([], node: "a", lost: 2)
        #expect(try told.map { try decode($0.text).lost } == [2])
        #expect(EventRelay.payloads([], node: "a", lost: 0).payloads.isEmpty)
    }
}
