import NIOCore
import NIOHTTP1

/// Serves `GET /metrics` on one HTTP/1.1 connection: the exposition with Content-Length,
/// 404 for other paths, 405 for other methods, 413 (and close) for a request body, since a
/// scrape has none. Malformed requests get 400 from NIO's error handler ahead of this one;
/// an idle connection is closed.
final class MetricsHTTPHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    /// The exposition format's media type (Prometheus text 0.0.4).
    static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    private let render: @Sendable () async -> [UInt8]
    private let maxBodyBytes: Int
    private var request: HTTPRequestHead?
    private var refusal: HTTPResponseStatus?
    private var bodyBytes = 0

    init(render: @escaping @Sendable () async -> [UInt8], maxBodyBytes: Int) {
        self.render = render
        self.maxBodyBytes = maxBodyBytes
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            request = head
            bodyBytes = 0
            refusal = Self.route(head)
        case .body(let body):
            guard let head = request, refusal != .payloadTooLarge else { return }
            bodyBytes += body.readableBytes
            if bodyBytes > maxBodyBytes {
                refusal = .payloadTooLarge
                respond(context, head, status: .payloadTooLarge, text: "request body too large\n", keepAlive: false)
            }
        case .end:
            guard let head = request else { return }
            request = nil
            switch refusal {
            case .payloadTooLarge?: return
            case let status?: respond(context, head, status: status, text: "\(status.reasonPhrase)\n", keepAlive: head.isKeepAlive)
            case nil: scrape(context, head)
            }
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent {
            context.close(promise: nil)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    /// nil when the request is a scrape; else the status that refuses it.
    private static func route(_ head: HTTPRequestHead) -> HTTPResponseStatus? {
        let path = head.uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        guard path == "/metrics" else { return .notFound }
        return head.method == .GET ? nil : .methodNotAllowed
    }

    /// Renders off the event loop, then answers on it.
    private func scrape(_ context: ChannelHandlerContext, _ head: HTTPRequestHead) {
        let render = self.render
        let bound = NIOLoopBound((handler: self, context: context), eventLoop: context.eventLoop)
        context.eventLoop.makeFutureWithTask { await render() }.whenSuccess { body in
            let (handler, context) = bound.value
            handler.respond(context, head, status: .ok, body: body, contentType: Self.contentType, keepAlive: head.isKeepAlive)
        }
    }

    private func respond(_ context: ChannelHandlerContext, _ head: HTTPRequestHead, status: HTTPResponseStatus, text: String, keepAlive: Bool) {
        respond(context, head, status: status, body: Array(text.utf8), contentType: "text/plain; charset=utf-8", keepAlive: keepAlive)
    }

    private func respond(_ context: ChannelHandlerContext, _ request: HTTPRequestHead, status: HTTPResponseStatus, body: [UInt8],
                         contentType: String, keepAlive: Bool) {
        guard context.channel.isActive else { return }
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: contentType)
        headers.add(name: "Content-Length", value: "\(body.count)")
        if status == .methodNotAllowed { headers.add(name: "Allow", value: "GET") }
        if !keepAlive { headers.add(name: "Connection", value: "close") }
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: request.version, status: status, headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: body)))), promise: nil)
        let written = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if !keepAlive {
            let channel = context.channel
            written.whenComplete { _ in channel.close(promise: nil) }
        }
    }
}
