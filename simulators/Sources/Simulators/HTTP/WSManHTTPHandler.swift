import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOSSL
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One HTTP connection to `/wsman`: collects a POST body, checks NTLMv2 (and, where the listener
/// allows it, Basic) auth as WinRM does (401 offering `Negotiate`, and `Basic realm="WSMAN"` only
/// when Basic is on; NTLM handshakes kept per connection; over https the channel binding per
/// `CbtHardeningLevel`; with `Service/Auth/Certificate` on, the TLS client certificate for
/// requests naming the `https/mutual` profile), refuses SOAP in the clear over http
/// unless `AllowUnencrypted` is on (500, as Windows answers), applies the fault knobs, and
/// answers with the endpoint's envelope (at once or, for a WinRM Receive that waits for output,
/// later).
final class WSManHTTPHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let endpoint: any WSManEndpoint
    private let configuration: WSManServerConfiguration
    private let logger: Logger
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []
    private var tooLarge = false
    private var hung = false
    private var random = SystemRandomNumberGenerator()
    private var ntlm = NTLMServerContext()
    /// SPNEGO and Kerberos handshakes (and their sealing), through GSS-API.
    private var gss = GSSServerContext()
    /// The protocol of this connection's sealed requests (SPNEGO or Kerberos), for the replies.
    private var sealedProtocol = WinRMEncryptedMessage.protocolName
    /// The handshake's last token, sent with the next answer (mutual authentication).
    private var authReplyHeader: (String, String)?
    private let identity: NTLMServerIdentity
    /// The verdict on the client certificate of this connection's TLS handshake (nil: none presented).
    private let clientCertificate: Locked<ClientCertificateOutcome?>

    init(endpoint: any WSManEndpoint, configuration: WSManServerConfiguration, logger: Logger,
         clientCertificate: Locked<ClientCertificateOutcome?> = Locked(nil)) {
        self.endpoint = endpoint
        self.configuration = configuration
        self.logger = logger
        self.clientCertificate = clientCertificate
        identity = NTLMServerIdentity(dnsHostName: endpoint.machineName)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !hung else { return }
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body.removeAll(keepingCapacity: true)
            tooLarge = false
        case .body(let chunk):
            if body.count + chunk.readableBytes > configuration.maxRequestBytes {
                tooLarge = true
                body.removeAll()
            } else if !tooLarge {
                body.append(contentsOf: chunk.readableBytesView)
            }
        case .end:
            guard let head else { return }
            self.head = nil
            if let authenticator = resumedCertificateCheck(head), let leaf = sessionCertificate(context) {
                // A resumed TLS session (libcurl resumes on a fresh connection) carries no
                // Certificate message, so the handshake's check never ran: the session keeps the
                // certificate of the handshake that made it, and that is judged now, once.
                let slot = clientCertificate
                logger.debug("judging the certificate of a resumed TLS session")
                context.eventLoop.makeFutureWithTask { await authenticator.check(chain: [leaf]) }
                    .assumeIsolated().whenSuccess { [self] outcome in
                        slot.withLock { $0 = outcome }
                        respond(context: context, head: head)
                    }
                return
            }
            respond(context: context, head: head)
        }
    }

    /// The authenticator, when this request names the https/mutual profile on a connection
    /// whose handshake presented no certificate to judge (none, or a resumed session).
    private func resumedCertificateCheck(_ head: HTTPRequestHead) -> ClientCertificateAuthenticator? {
        guard configuration.tls != nil, configuration.listener.allowCertificate, let authenticator = configuration.certificateAuthenticator,
              head.headers.first(name: "Authorization")?.trimmingCharacters(in: .whitespaces).lowercased() == Self.mutualProfile,
              clientCertificate.withLock({ $0 == nil }) else { return nil }
        return authenticator
    }

    /// The client certificate of this connection's TLS session (DER), if it has one.
    private func sessionCertificate(_ context: ChannelHandlerContext) -> [UInt8]? {
        guard let handler = try? context.pipeline.syncOperations.handler(type: NIOSSLServerHandler.self) else { return nil }
        return try? handler.peerCertificate?.toDERBytes()
    }

    private func respond(context: ChannelHandlerContext, head: HTTPRequestHead) {
        let keepAlive = head.isKeepAlive
        let path = head.uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? head.uri
        let loop = context.eventLoop
        let machine = endpoint.machineName
        let reply: EventLoopFuture<Planned>
        let certificate = certificateDecision(head)
        if path.lowercased() == MigrationPeer.path, head.method == .POST, let answer = endpoint.receiveMigration(body) {
            // A peer simulator handing over a migrated VM (loopback only, as every listener here).
            reply = loop.makeSucceededFuture(.soap(HTTPResponseStatus(statusCode: answer.status), answer.text))
        } else if path.lowercased() != "/wsman" && path.lowercased() != "/wsman/" {
            reply = loop.makeSucceededFuture(.plain(.notFound, []))
        } else if head.method != .POST {
            reply = loop.makeSucceededFuture(.plain(.methodNotAllowed, [("Allow", "POST")]))
        } else if case .refused(let reason) = certificate {
            // Windows answers a refused certificate with 401, offering the schemes it has on.
            logger.debug("certificate refused", metadata: ["reason": "\(reason)"])
            let fault = WSManFaultReply.accessDenied(reason)
            reply = loop.makeSucceededFuture(.soapWithHeaders(.unauthorized, fault.envelope(relatesTo: nil, machine: machine), offeredSchemes))
        } else if certificate == .notCertificate, let credentials = configuration.credentials,
                  case let decision = authorize(head, credentials: credentials),
                  decision != .allow,
                  !(decision == .deny && head.headers.first(name: "WSMANIDENTIFY")?.lowercased() == "unauthenticated" && endpoint.identifies(body)) {
            if case .challenge(let value) = decision {
                reply = loop.makeSucceededFuture(.plain(.unauthorized, [("WWW-Authenticate", value)]))
            } else {
                logger.debug("unauthorized request")
                reply = loop.makeSucceededFuture(.plain(.unauthorized, offeredSchemes))
            }
        } else if body.isEmpty && !tooLarge {
            // pywinrm's blank POST that completes the NTLM handshake before message encryption.
            reply = loop.makeSucceededFuture(.plain(.ok, []))
        } else if let type = head.headers.first(name: "Content-Type"), WinRMEncryptedMessage.isEncrypted(contentType: type) {
            sealedProtocol = WinRMEncryptedMessage.protocolName(in: type)
            if tooLarge {
                let fault = WSManFaultReply.encodingLimit("The request exceeds \(configuration.maxRequestBytes) bytes.")
                reply = loop.makeSucceededFuture(.soap(.internalServerError, fault.envelope(relatesTo: nil, machine: machine)))
            } else if let plain = unseal(body) {
                reply = answer(plain, loop: loop, machine: machine).map { Self.sealing($0) }
            } else {
                reply = loop.makeSucceededFuture(.plain(.badRequest, []))
            }
        } else if !(head.headers.first(name: "Content-Type")?.lowercased().contains("application/soap+xml") ?? false) {
            reply = loop.makeSucceededFuture(.plain(.unsupportedMediaType, []))
        } else if configuration.tls == nil && !configuration.listener.allowUnencrypted {
            // AllowUnencrypted = false: SOAP in the clear over http is refused (Windows logs
            // "the WinRM service received an unencrypted message" and answers 500).
            logger.debug("unencrypted request refused (AllowUnencrypted = false)")
            let fault = WSManFaultReply.accessDenied("The WinRM service is configured to refuse unencrypted traffic (AllowUnencrypted = false).")
            reply = loop.makeSucceededFuture(.soap(.internalServerError, fault.envelope(relatesTo: nil, machine: machine)))
        } else if tooLarge {
            let fault = WSManFaultReply.encodingLimit("The request exceeds \(configuration.maxRequestBytes) bytes.")
            reply = loop.makeSucceededFuture(.soap(.internalServerError, fault.envelope(relatesTo: nil, machine: machine)))
        } else {
            reply = answer(body, loop: loop, machine: machine)
        }
        body.removeAll(keepingCapacity: true)
        logger.debug("served", metadata: ["path": "\(path)"])
        let latency = configuration.faults.latencyMilliseconds
        reply.assumeIsolated().whenSuccess { [self] planned in
            if latency > 0 {
                context.eventLoop.assumeIsolated().scheduleTask(in: .milliseconds(Int64(latency))) { [self] in
                    send(planned, context: context, version: head.version, keepAlive: keepAlive)
                }
            } else {
                send(planned, context: context, version: head.version, keepAlive: keepAlive)
            }
        }
    }

    /// The reply to an authenticated SOAP request, after the fault knobs.
    private func answer(_ request: [UInt8], loop: any EventLoop, machine: String) -> EventLoopFuture<Planned> {
        switch configuration.faults.decide(for: request, using: &random) {
        case .reset: return endpoint.reply(to: request, on: loop).map { _ in .reset }
        case .hang: return loop.makeSucceededFuture(.hang)
        case .fail:
            let fault = WSManFaultReply.internalError("Simulated internal error (fault injection).")
            return loop.makeSucceededFuture(.soap(.internalServerError, fault.envelope(relatesTo: nil, machine: machine)))
        case .malformed:
            return endpoint.reply(to: request, on: loop).map { answer in
                .soap(.ok, String(answer.body.prefix(answer.body.count / 2)) + "<w:Broken attr=>&unterminated")
            }
        case .truncate:
            return endpoint.reply(to: request, on: loop).map { .truncated(HTTPResponseStatus(statusCode: $0.status), $0.body) }
        case .answer:
            return endpoint.reply(to: request, on: loop).map { .soap(HTTPResponseStatus(statusCode: $0.status), $0.body) }
        }
    }

    /// The SOAP text of an encrypted request, or nil when this connection has no NTLM session
    /// security or the message does not verify.
    private func unseal(_ body: [UInt8]) -> [UInt8]? {
        if gss.isEstablished, let context = gss.context, let parts = WinRMEncryptedMessage.decode(body) {
            guard let plain = try? context.unwrapWinRM(header: parts.signature, body: parts.sealed), plain.count == parts.length else {
                logger.debug("encrypted request refused", metadata: ["reason": "it does not verify"])
                return nil
            }
            return plain
        }
        guard let parts = WinRMEncryptedMessage.decode(body), parts.signature.count == 16, ntlm.session != nil else { return nil }
        do {
            guard let plain = try ntlm.session?.unseal(parts.sealed, signature: parts.signature), plain.count == parts.length else { return nil }
            return plain
        } catch {
            logger.debug("encrypted request refused", metadata: ["reason": "\(error.message)"])
            return nil
        }
    }

    /// A SOAP reply to an encrypted request goes back encrypted.
    private static func sealing(_ planned: Planned) -> Planned {
        switch planned {
        case .soap(let status, let text), .truncated(let status, let text): .sealed(status, text)
        default: planned
        }
    }

    /// The `WWW-Authenticate` schemes a 401 offers: Negotiate, and Basic when it is on.
    private var offeredSchemes: [(String, String)] {
        var offered = [("WWW-Authenticate", "Negotiate")]
        if configuration.credentials?.schemes.contains(.basic) == true && configuration.listener.allowBasic {
            offered.append(("WWW-Authenticate", "Basic realm=\"WSMAN\""))
        }
        return offered
    }

    private enum CertificateDecision: Equatable {
        /// The request does not name the https/mutual profile.
        case notCertificate
        case accepted
        case refused(String)
    }

    /// Certificate authentication (DSP0226 `secprofile/https/mutual`), per request: refused over
    /// http and while `Service/Auth/Certificate` is false (Windows' default); otherwise the
    /// verdict on the certificate this connection's TLS handshake presented.
    private func certificateDecision(_ head: HTTPRequestHead) -> CertificateDecision {
        guard let header = head.headers.first(name: "Authorization")?.trimmingCharacters(in: .whitespaces),
              header.lowercased() == Self.mutualProfile else { return .notCertificate }
        guard configuration.tls != nil else {
            return .refused("Certificate authentication (secprofile/https/mutual) is accepted only over HTTPS.")
        }
        guard configuration.listener.allowCertificate, configuration.certificateAuthenticator != nil else {
            return .refused("The WinRM service does not accept certificate authentication (Service/Auth/Certificate = false).")
        }
        switch clientCertificate.withLock({ $0 }) {
        case nil:
            return .refused("The client presented no certificate in the TLS handshake.")
        case .refused(let reason)?:
            return .refused(reason)
        case .accepted(let user, let upn)?:
            logger.debug("certificate authenticated", metadata: ["user": "\(user)", "upn": "\(upn)"])
            return .accepted
        }
    }

    /// The `Authorization` value of certificate authentication, lowercased.
    static let mutualProfile = "http://schemas.dmtf.org/wbem/wsman/1/wsman/secprofile/https/mutual"

    private enum AuthDecision: Equatable {
        case allow, deny
        /// 401 carrying this `WWW-Authenticate` value (an NTLM CHALLENGE_MESSAGE).
        case challenge(String)
    }

    /// Basic per request; NTLM per connection, as HTTP.sys does for WinRM: a type 1 gets a
    /// challenge, the type 3 that follows on this connection authenticates it, and later requests
    /// without an `Authorization` header ride on that. Any header present is still checked.
    private func authorize(_ head: HTTPRequestHead, credentials: BasicCredentials) -> AuthDecision {
        guard let header = head.headers.first(name: "Authorization") else {
            return ntlm.authenticatedUser != nil || gss.isEstablished ? .allow : .deny
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        let scheme = parts.first.map { $0.lowercased() } ?? ""
        switch scheme {
        case "basic":
            // Service/Auth/Basic = false (Windows' default): refused whatever it carries.
            guard configuration.listener.allowBasic else { return .deny }
            return credentials.accepts(authorization: header) ? .allow : .deny
        case "ntlm", "negotiate":
            guard credentials.schemes.contains(.ntlm), parts.count == 2,
                  let data = Data(base64Encoded: parts[1].trimmingCharacters(in: .whitespaces)) else { return .deny }
            let token = [UInt8](data)
            guard token.starts(with: NTLM.signature) else {
                // SPNEGO (NTLM or Kerberos inside) or Kerberos itself, as Windows takes them.
                switch gss.step(token, cbt: cbt, channelBinding: configuration.channelBinding) {
                case .challenge(let next):
                    return .challenge("Negotiate " + Data(next).base64EncodedString())
                case .accepted(let last):
                    logger.debug("Negotiate authenticated", metadata: [
                        "kerberos": "\(gss.context?.isKerberos == true)",
                        "channel_bound": "\(gss.context?.isChannelBound == true)",
                    ])
                    if let last { authReplyHeader = ("WWW-Authenticate", "Negotiate " + Data(last).base64EncodedString()) }
                    return .allow
                case .rejected(let reason):
                    logger.debug("Negotiate refused", metadata: ["reason": "\(reason)"])
                    return .deny
                }
            }
            switch ntlm.step(token: token, credentials: credentials, identity: identity, cbt: cbt,
                             channelBinding: configuration.channelBinding, random: &random) {
            case .challenge(let message):
                return .challenge((scheme == "ntlm" ? "NTLM " : "Negotiate ") + Data(message).base64EncodedString())
            case .accepted(let user):
                logger.debug("NTLM authenticated", metadata: ["user": "\(user)", "channel_bound": "\(ntlm.channelBound)"])
                return .allow
            case .rejected(let reason):
                logger.debug("NTLM refused", metadata: ["reason": "\(reason)"])
                return .deny
            }
        default:
            return .deny
        }
    }

    /// The channel-binding check this connection gets: the listener's level over https, none over http.
    private var cbt: CbtHardeningLevel { configuration.tls == nil ? .none : configuration.listener.cbtHardeningLevel }

    private enum Planned: Sendable {
        case plain(HTTPResponseStatus, [(String, String)])
        case soap(HTTPResponseStatus, String)
        /// SOAP with extra headers (a 401's fault with the schemes offered).
        case soapWithHeaders(HTTPResponseStatus, String, [(String, String)])
        case truncated(HTTPResponseStatus, String)
        /// SOAP sealed with the connection's NTLM session security (`multipart/encrypted`).
        case sealed(HTTPResponseStatus, String)
        case reset, hang
    }

    private func send(_ reply: Planned, context: ChannelHandlerContext, version: HTTPVersion, keepAlive: Bool) {
        switch reply {
        case .hang:
            hung = true
        case .reset:
            // SO_LINGER with a zero timeout turns close() into a TCP reset.
            let channel = context.channel
            if let provider = channel as? any SocketOptionProvider {
                provider.setSoLinger(linger(l_onoff: 1, l_linger: 0)).whenComplete { _ in channel.close(promise: nil) }
            } else {
                channel.close(promise: nil)
            }
        case .plain(let status, let extra):
            write(status: status, headers: extra, body: [], declaredLength: 0, context: context, version: version, keepAlive: keepAlive)
        case .soap(let status, let text):
            let bytes = Array(text.utf8)
            write(status: status, headers: Self.soapHeaders, body: bytes, declaredLength: bytes.count, context: context,
                  version: version, keepAlive: keepAlive)
        case .soapWithHeaders(let status, let text, let extra):
            let bytes = Array(text.utf8)
            write(status: status, headers: Self.soapHeaders + extra, body: bytes, declaredLength: bytes.count, context: context,
                  version: version, keepAlive: keepAlive)
        case .sealed(let status, let text):
            let plain = Array(text.utf8)
            let parts: (signature: [UInt8], sealed: [UInt8])?
            if gss.isEstablished, let security = gss.context {
                parts = (try? security.wrapWinRM(plain)).map { ($0.header, $0.body) }
            } else {
                parts = ntlm.session?.seal(plain)
            }
            guard let (signature, sealed) = parts else {
                context.close(promise: nil)
                return
            }
            let bytes = WinRMEncryptedMessage.encode(signature: signature, sealed: sealed, length: plain.count, protocolName: sealedProtocol)
            write(status: status, headers: [("Content-Type", WinRMEncryptedMessage.contentType(sealedProtocol))], body: bytes,
                  declaredLength: bytes.count, context: context, version: version, keepAlive: keepAlive)
        case .truncated(let status, let text):
            let bytes = Array(text.utf8)
            write(status: status, headers: Self.soapHeaders, body: Array(bytes.prefix(bytes.count / 2)), declaredLength: bytes.count,
                  context: context, version: version, keepAlive: false)
        }
    }

    private static let soapHeaders = [("Content-Type", "application/soap+xml;charset=UTF-8")]

    private func write(status: HTTPResponseStatus, headers extra: [(String, String)], body: [UInt8], declaredLength: Int,
                       context: ChannelHandlerContext, version: HTTPVersion, keepAlive: Bool) {
        var headers = HTTPHeaders([("Server", "Microsoft-HTTPAPI/2.0"), ("Content-Length", String(declaredLength))])
        for (name, value) in extra { headers.add(name: name, value: value) }
        if let (name, value) = authReplyHeader {
            headers.add(name: name, value: value)
            authReplyHeader = nil
        }
        if !keepAlive { headers.add(name: "Connection", value: "close") }
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: version, status: status, headers: headers))), promise: nil)
        if !body.isEmpty {
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: body)))), promise: nil)
        }
        if declaredLength != body.count {
            // Truncated: the promised length never arrives; the connection just ends.
            context.flush()
            context.close(promise: nil)
            return
        }
        let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if !keepAlive {
            done.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        logger.debug("connection error", metadata: ["error": "\(error)"])
        context.close(promise: nil)
    }
}
