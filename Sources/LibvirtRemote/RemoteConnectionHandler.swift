import Logging
import NIOCore
import SocketServer

/// One client: keepalive answered at once on the event loop, remote-program calls handed to
/// the driver one at a time in arrival order (off the event loop), every reply echoing its
/// call's serial. A bad packet gets an error for that client; an unframeable stream gets an
/// error when its serial is known, then the connection is closed.
final class RemoteConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = InboundFrame
    typealias OutboundOut = ByteBuffer

    struct Call: Sendable {
        var header: PacketHeader
        var payload: ByteBuffer
    }

    private let driver: any RemoteDriver
    private let configuration: RemoteServerConfiguration
    private let connectionID: Int
    private let logger: Logger
    private let reject: Bool
    private let queued: SharedCounter
    private var calls: AsyncStream<Call>.Continuation?

    init(driver: any RemoteDriver, configuration: RemoteServerConfiguration, connectionID: Int, reject: Bool, logger: Logger) {
        self.driver = driver
        self.configuration = configuration
        self.connectionID = connectionID
        self.reject = reject
        queued = SharedCounter(limit: configuration.maxQueuedCalls)
        self.logger = logger
    }

    func channelActive(context: ChannelHandlerContext) {
        if reject {
            logger.warning("too many libvirt clients; closing one", metadata: ["limit": "\(configuration.maxClients)"])
            context.close(promise: nil)
            return
        }
        let clientContext = RemoteClientContext(peer: PeerCredentials(of: context.channel), listener: configuration.label, readOnly: configuration.readOnly,
                                                connectionID: connectionID)
        let channel = context.channel
        let client = driver.connect(clientContext, events: RemoteEventSink(channel: channel))
        let pair = AsyncStream<Call>.makeStream()
        calls = pair.continuation
        let queued = self.queued
        let stream = pair.stream
        let work: @Sendable () async -> Void = { await CallLoop.serve(stream, client: client, channel: channel, queued: queued) }
        Task(operation: work)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        calls?.finish()
        calls = nil
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .malformed(let reason, let header):
            logger.notice("malformed libvirt packet; closing the client", metadata: ["connection": "\(connectionID)", "reason": "\(reason)"])
            if let header, header.type == .call {
                let error = RemoteError(.rpc, reason, domain: .rpc)
                let channel = context.channel
                context.writeAndFlush(wrapOutboundOut(CallLoop.errorPacket(header, error).encoded())).whenComplete { _ in
                    channel.close(promise: nil)
                }
            } else {
                context.close(promise: nil)
            }
        case .packet(let packet):
            handle(packet, context: context)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        logger.debug("libvirt client error; closing", metadata: ["connection": "\(connectionID)", "error": "\(error)"])
        context.close(promise: nil)
    }

    private func handle(_ packet: Packet, context: ChannelHandlerContext) {
        let header = packet.header
        if header.program == RemoteProgram.keepalive {
            // PING → PONG at once; a PONG (the answer to a ping of ours) needs nothing.
            if header.procedure == RemoteProgram.ping && header.type == .message {
                let pong = PacketHeader(program: RemoteProgram.keepalive, version: RemoteProgram.keepaliveVersion,
                                        procedure: RemoteProgram.pong, type: .message, serial: 0, status: .ok)
                context.writeAndFlush(wrapOutboundOut(Packet(header: pong).encoded()), promise: nil)
            }
            return
        }
        guard header.type == .call else {
            logger.debug("ignoring a non-call libvirt packet", metadata: ["connection": "\(connectionID)", "type": "\(header.type)"])
            return
        }
        guard header.program == RemoteProgram.remote, header.version == RemoteProgram.remoteVersion else {
            let error = RemoteError(.rpc, "cannot find program \(header.program) version \(header.version)", domain: .rpc)
            context.writeAndFlush(wrapOutboundOut(CallLoop.errorPacket(header, error).encoded()), promise: nil)
            return
        }
        guard let calls else { return }
        queued.increment(context.channel)
        calls.yield(Call(header: header, payload: packet.payload))
    }
}
