import Foundation
import NIOCore
import Synchronization

/// Sends server-initiated notifications (a `method` and `params`, no `id`) to one client
/// connection, for subscriptions. A client that does not read holds up only its own sender:
/// `notify` returns when the message is handed to the socket.
public struct RPCNotifier: Sendable {
    private let channel: any Channel
    private let holds: RPCConnectionHolds

    init(channel: any Channel, holds: RPCConnectionHolds) {
        self.channel = channel
        self.holds = holds
    }

    /// Writes one notification line; throws when the connection is gone.
    public func notify(_ method: String, params: some Encodable & Sendable) async throws(RPCError) {
        let notification = Notification(method: method, params: params)
        guard var bytes = try? RPCMessage.makeEncoder().encode(notification) else {
            throw .internalError("cannot encode the \(method) notification")
        }
        bytes.append(UInt8(ascii: "\n"))
        let buffer = channel.allocator.buffer(bytes: bytes)
        do {
            try await channel.writeAndFlush(buffer).get()
        } catch {
            throw .internalError("connection closed")
        }
    }

    /// Whether the connection is still open.
    public var isActive: Bool { channel.isActive }

    /// Runs `body` once, when the connection closes (at once if it already has).
    public func onClose(_ body: @escaping @Sendable () -> Void) {
        channel.closeFuture.whenComplete { _ in body() }
    }

    /// Keeps the connection from being closed as idle while a subscription lives, until the
    /// hold is released.
    public func hold() -> RPCConnectionHold {
        RPCConnectionHold(holds)
    }

    private struct Notification<Params: Encodable>: Encodable {
        let jsonrpc = "2.0"
        let method: String
        let params: Params
    }
}

/// Subscriptions holding one connection open against the idle timeout.
final class RPCConnectionHolds: Sendable {
    let count = Atomic<Int>(0)
}

/// One subscription's hold on its connection; `release` is idempotent.
public final class RPCConnectionHold: Sendable {
    private let holds: RPCConnectionHolds
    private let released = Atomic<Bool>(false)

    init(_ holds: RPCConnectionHolds) {
        self.holds = holds
        holds.count.add(1, ordering: .relaxed)
    }

    /// Lets go of the connection.
    public func release() {
        if !released.exchange(true, ordering: .relaxed) { holds.count.subtract(1, ordering: .relaxed) }
    }
}
