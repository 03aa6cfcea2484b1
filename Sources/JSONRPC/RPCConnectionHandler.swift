import Foundation
import Logging
import NIOCore
import SocketServer

/// One client connection: reads framed lines, answers each call independently (a slow call
/// never holds up a fast one on the same connection), at most `maxInFlight` at a time, stops
/// reading while the client does not read its answers, and closes the connection once it has
/// been idle (nothing said, nothing running, nothing subscribed) for the idle timeout.
final class RPCConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = RPCFrame
    typealias OutboundOut = ByteBuffer

    private let handler: any RPCHandler
    private let configuration: RPCServerConfiguration
    private let tracker: ConnectionTracker
    private let logger: Logger
    private let connectionID: Int
    private var rpcContext: RPCContext
    private var inFlight = 0
    private var waiting: [ByteBuffer] = []
    private var inputClosed = false
    private var paused = false
    private let holds = RPCConnectionHolds()
    /// For answers written on the event loop (this handler's own thread).
    private let encoder = RPCMessage.makeEncoder()
    private let rejection: RPCError?
    /// When the client last said something or was last answered (for the idle timeout).
    private var lastActivity = NIODeadline.now()
    private var idleCheck: Scheduled<Void>?

    /// `rejection`: the connection is over a limit; it gets this error and is closed.
    init(handler: any RPCHandler, configuration: RPCServerConfiguration, tracker: ConnectionTracker, connectionID: Int,
         rejection: RPCError? = nil, logger: Logger) {
        self.rejection = rejection
        self.handler = handler
        self.configuration = configuration
        self.tracker = tracker
        self.connectionID = connectionID
        self.logger = logger
        rpcContext = RPCContext(peer: nil, listener: configuration.label, readOnly: configuration.readOnly, connectionID: connectionID)
    }

    func channelActive(context: ChannelHandlerContext) {
        if let rejection {
            answerAndClose(context: context, rejection)
            return
        }
        rpcContext.notifier = RPCNotifier(channel: context.channel, holds: holds)
        if let timeout = configuration.idleTimeout { scheduleIdleCheck(context: context, at: .now() + timeout) }
        rpcContext.peer = PeerCredentials(of: context.channel)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .oversize:
            let error = RPCError.invalidRequest("Invalid Request: message exceeds \(configuration.maxMessageBytes) bytes")
            logger.notice("oversize message; closing", metadata: ["connection": "\(connectionID)"])
            answerAndClose(context: context, error)
        case .line(let line):
            if inFlight >= configuration.maxInFlightPerClient {
                waiting.append(line)
                readMoreIfRoom(context: context)
            } else {
                dispatch(line, context: context)
            }
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        idleCheck?.cancel()
        context.fireChannelInactive()
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        lastActivity = .now()
        // No flush here: at end of input NIO calls this before closing the input side, and a
        // flush that fails there (the peer is gone) would close the channel under it. Answers
        // are flushed where they are written.
        readMoreIfRoom(context: context)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        readMoreIfRoom(context: context)
        context.fireChannelWritabilityChanged()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, event == .inputClosed {
            inputClosed = true
            closeIfDone(context: context)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        logger.debug("connection error", metadata: ["connection": "\(connectionID)", "error": "\(error)"])
        context.close(promise: nil)
    }

    /// The idle timeout, checked by one timer per connection rather than on every message:
    /// at each check the connection closes if it has been idle for the whole timeout, and the
    /// next check is set for when it would have been.
    private func scheduleIdleCheck(context: ChannelHandlerContext, at deadline: NIODeadline) {
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        idleCheck = context.eventLoop.scheduleTask(deadline: deadline) {
            let (connection, context) = loopBound.value
            connection.checkIdle(context: context)
        }
    }

    private func checkIdle(context: ChannelHandlerContext) {
        guard let timeout = configuration.idleTimeout, context.channel.isActive else { return }
        let now = NIODeadline.now()
        let busy = inFlight > 0 || !waiting.isEmpty || holds.count.load(ordering: .relaxed) > 0
        if busy {
            scheduleIdleCheck(context: context, at: now + timeout)
        } else if now - lastActivity >= timeout {
            logger.debug("idle client; closing", metadata: ["connection": "\(connectionID)"])
            context.close(promise: nil)
        } else {
            scheduleIdleCheck(context: context, at: lastActivity + timeout)
        }
    }

    // MARK: - Dispatch

    private func dispatch(_ line: ByteBuffer, context: ChannelHandlerContext) {
        let incoming = line.withUnsafeReadableBytes { RPCMessage.parse($0) }
        switch incoming {
        case .failure(let error):
            write(context: context, RPCMessage.encode([RPCMessage.Response(.failure(error), id: .null)], batch: false,
                                                      allocator: context.channel.allocator))
        case .single(let entry):
            if let answer = inlineAnswer(entry) {
                if let response = answer {
                    write(context: context, RPCMessage.encode([response], batch: false, encoder: encoder, allocator: context.channel.allocator))
                }
                return
            }
            run([entry], batch: false, context: context)
        case .batch(let entries):
            run(entries, batch: true, context: context)
        }
    }

    /// The answer to an entry that needs no hop off the event loop (nil: it does; .some(nil):
    /// answered, but a notification wants nothing back).
    private func inlineAnswer(_ entry: RPCMessage.Entry) -> RPCMessage.Response?? {
        switch entry {
        case .invalid(let error, let id):
            return .some(RPCMessage.Response(.failure(error), id: id))
        case .call(let request):
            guard let outcome = handler.handleInline(request, context: rpcContext) else { return nil }
            guard let id = request.id else { return .some(nil) }
            return .some(RPCMessage.Response(outcome, id: id))
        }
    }

    private func run(_ entries: [RPCMessage.Entry], batch: Bool, context: ChannelHandlerContext) {
        inFlight += 1
        tracker.callStarted()
        let handler = self.handler
        let rpcContext = self.rpcContext
        let eventLoop = context.eventLoop
        let allocator = context.channel.allocator
        let loopBound = NIOLoopBound((self, context), eventLoop: eventLoop)
        Task {
            let responses = await withTaskGroup(of: (Int, RPCMessage.Response?).self) { group in
                for (index, entry) in entries.enumerated() {
                    group.addTask {
                        switch entry {
                        case .invalid(let error, let id):
                            return (index, RPCMessage.Response(.failure(error), id: id))
                        case .call(let request):
                            let outcome: Result<any Encodable & Sendable, RPCError>
                            do throws(RPCError) {
                                outcome = .success(try await handler.handle(request, context: rpcContext))
                            } catch {
                                outcome = .failure(error)
                            }
                            return (index, request.id.map { RPCMessage.Response(outcome, id: $0) })
                        }
                    }
                }
                var ordered = [RPCMessage.Response?](repeating: nil, count: entries.count)
                for await (index, response) in group { ordered[index] = response }
                return ordered.compactMap { $0 }
            }
            let bytes = responses.isEmpty ? nil : RPCMessage.encode(responses, batch: batch, allocator: allocator)
            eventLoop.execute {
                let (connection, context) = loopBound.value
                if let bytes { connection.write(context: context, bytes) }
                connection.finished(context: context)
            }
        }
    }

    private func finished(context: ChannelHandlerContext) {
        inFlight -= 1
        lastActivity = .now()
        tracker.callFinished()
        while inFlight < configuration.maxInFlightPerClient, !waiting.isEmpty {
            dispatch(waiting.removeFirst(), context: context)
        }
        readMoreIfRoom(context: context)
        closeIfDone(context: context)
    }

    private func write(context: ChannelHandlerContext, _ line: ByteBuffer) {
        guard context.channel.isActive else { return }
        context.writeAndFlush(wrapOutboundOut(line), promise: nil)
    }

    /// One error answer (id null), then the connection closes once it is written.
    private func answerAndClose(context: ChannelHandlerContext, _ error: RPCError) {
        let channel = context.channel
        let line = RPCMessage.encode([RPCMessage.Response(.failure(error), id: .null)], batch: false, allocator: channel.allocator)
        channel.writeAndFlush(line).whenComplete { _ in channel.close(promise: nil) }
    }

    /// Reads on only while the client keeps up: fewer than the in-flight limit pending, and
    /// its answers drained below the high-water mark. Reading is paused by turning autoRead
    /// off, so the common case costs no epoll re-registration per message.
    private func readMoreIfRoom(context: ChannelHandlerContext) {
        let room = !inputClosed && inFlight < configuration.maxInFlightPerClient && waiting.isEmpty && context.channel.isWritable
        guard context.channel.isActive, room == paused else { return }
        paused = !room
        try? context.channel.syncOptions?.setOption(ChannelOptions.autoRead, value: room)
    }

    private func closeIfDone(context: ChannelHandlerContext) {
        if inputClosed && inFlight == 0 && waiting.isEmpty {
            context.close(promise: nil)
        }
    }
}
