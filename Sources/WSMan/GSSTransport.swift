import BlockingWork
import Curl
import Foundation
import GSSAPI

/// WinRM as Windows ships it: HTTP `Negotiate` authentication through GSS-API (Kerberos,
/// SPNEGO, or NTLM through gss-ntlmssp) on one kept connection — the security context belongs
/// to that connection — and, over http, every message sealed with the context's session key
/// (MS-WSMV 2.2.9.1). Like `CurlTransport`, one libcurl handle, run one call at a time on a
/// queue of its own; the context and credential are touched only there.
///
/// At most once: a change is sent on a connection authenticated for it (a fresh one). A 401
/// to a sealed message on the connection it was sealed for means the listener refused it
/// unread — a read is then re-authenticated and sent again; a change is reported as never
/// sent. A 401 after libcurl had to open another connection says nothing about the first
/// (libcurl may have resent it there): the change's outcome is unknown.
///
/// Over https the context is bound to the TLS channel (RFC 5929 `tls-server-end-point`, what
/// a Windows listener checks under `CbtHardeningLevel`): an unauthenticated request first opens
/// the connection, the certificate libcurl saw on it is hashed into the channel bindings, and
/// the handshake goes on over that connection (a new connection with another certificate
/// mid-handshake is refused).
public final class GSSTransport: WSManTransport, @unchecked Sendable {
    /// How to authenticate.
    public struct Settings: Sendable {
        /// The mechanism.
        public var mechanism: GSSMechanism
        /// The service principal, `HTTP@host` (WinRM's default SPN is `HTTP/host`).
        public var service: String
        /// The user (`user@REALM`, `DOMAIN\user`); nil for the caller's own ticket cache.
        public var username: String?
        /// The password; nil for the ticket cache or keytab.
        public var password: String?
        /// A client keytab to take the user's keys from (no password); nil for the default.
        public var clientKeytab: String?
        /// Seal every message (on for http, as Windows requires; off over https).
        public var encrypt: Bool
        /// Over https, bind the authentication to the TLS channel (`tls-server-end-point`);
        /// off only for a listener behind a TLS-terminating proxy. No effect over http.
        public var channelBinding: Bool

        /// Creates settings.
        public init(mechanism: GSSMechanism, service: String, username: String?, password: String?, clientKeytab: String? = nil, encrypt: Bool,
                    channelBinding: Bool = true) {
            self.mechanism = mechanism
            self.service = service
            self.username = username
            self.password = password
            self.clientKeytab = clientKeytab
            self.encrypt = encrypt
            self.channelBinding = channelBinding
        }
    }

    /// The handle whose one kept connection carries the security context; a new handle (so a
    /// new connection) for every change. Touched only on `queue`.
    private var easy: CurlEasy
    private let queue: BlockingQueue
    private let template: CurlRequest
    private let settings: Settings
    /// Whether the authentication is bound to the TLS channel (https and `channelBinding`).
    private let binds: Bool
    private let https: Bool
    // Touched only on `queue`.
    private var credential: GSSCredential?
    private var context: GSSContext?

    /// Creates a transport for `endpoint` (`http://host:5985/wsman`).
    public init(endpoint: String, settings: Settings, verifyPeer: Bool = true, caFile: String? = nil,
                connectTimeoutMilliseconds: Int = 5000, timeoutMilliseconds: Int = 75_000, maxResponseBytes: Int = 16 << 20) throws(WSManError) {
        do {
            easy = try CurlEasy()
        } catch {
            throw .unavailable(error.message)
        }
        queue = BlockingQueue(label: "virtfed.wsman.gss", pool: CurlTransport.pool)
        self.settings = settings
        https = endpoint.lowercased().hasPrefix("https:")
        binds = https && settings.channelBinding
        var template = CurlRequest(
            url: endpoint, body: [], headers: [], authentication: .none, verifyPeer: verifyPeer, caFile: caFile,
            connectTimeoutMilliseconds: connectTimeoutMilliseconds, timeoutMilliseconds: timeoutMilliseconds, maxResponseBytes: maxResponseBytes)
        template.collectsPeerCertificate = binds
        self.template = template
    }

    public func post(_ envelope: [UInt8], repeatable: Bool) async throws(WSManError) -> WSManHTTPResponse {
        try await queue.run { [self] () throws(WSManError) -> WSManHTTPResponse in
            // A change goes on a connection opened and authenticated for it: a new handle, whose
            // connection cache holds only that connection.
            if !repeatable {
                context = nil
                do throws(CurlError) { easy = try CurlEasy() } catch { throw .unavailable(error.message, neverSent: true) }
            }
            for attempt in 1...2 {
                if context == nil { try authenticate() }
                let (response, reconnected) = try exchange(envelope)
                guard response.status == 401 else { return try opened(consume response) }
                context = nil
                if !repeatable {
                    throw reconnected
                        ? .unavailable("the listener refused the sealed request on a new connection; it may have been sent before", neverSent: false)
                        : .unavailable("the listener refused the sealed request (401): not processed", neverSent: true)
                }
                if attempt == 2 { throw .authentication("the listener refused the authenticated, sealed request (401)") }
            }
            throw .authentication("unreachable")
        }
    }

    // MARK: - On the queue

    /// The handshake: our token, the listener's answer, until the context is complete.
    private func authenticate() throws(WSManError) {
        let context: GSSContext
        let certificate = binds ? try boundCertificate() : nil
        do {
            if credential == nil {
                if let username = settings.username, let password = settings.password {
                    credential = try GSSCredential(user: username, password: password, mechanism: settings.mechanism)
                } else if let keytab = settings.clientKeytab {
                    credential = try GSSCredential(clientKeytab: keytab, user: settings.username, mechanism: settings.mechanism)
                } else {
                    credential = try GSSCredential(defaultFor: settings.mechanism)
                }
            }
            context = try GSSContext(initiatorFor: settings.service, mechanism: settings.mechanism, credential: credential,
                                     channelBinding: certificate?.binding)
        } catch {
            throw .authentication(GSSAdvice.explained(error.message, service: settings.service))
        }
        var input: [UInt8]?
        for _ in 0..<6 {
            let token: [UInt8]?
            do {
                token = try context.step(input)
            } catch {
                throw .authentication(GSSAdvice.explained(error.message, service: settings.service))
            }
            if context.isComplete && token == nil { break }
            var request = template
            request.headers = ["Authorization: Negotiate \(Data(token ?? []).base64EncodedString())", "Content-Length: 0"]
            let response = try perform(request)
            if let certificate, easy.newConnections > 0, easy.peerCertificate != certificate.seen {
                throw .authentication("the listener's TLS certificate changed during the handshake: the channel binding no longer names it")
            }
            let offered = response.header("WWW-Authenticate").first { $0.lowercased().hasPrefix("negotiate ") }
            input = offered.flatMap { Data(base64Encoded: String($0.dropFirst("negotiate ".count))) }.map { Array($0) }
            switch response.status {
            case 200:
                if let input, !context.isComplete {
                    do { _ = try context.step(input) } catch { throw .authentication(error.message) }
                }
                guard context.isComplete else { throw .authentication("the listener accepted the handshake before it was complete") }
                self.context = context
                return
            case 401 where input != nil:
                continue
            case 401:
                throw .authentication(refusal)
            default:
                throw .authentication("the listener answered the handshake with HTTP \(response.status)")
            }
        }
        throw .authentication("the handshake did not complete")
    }

    /// What a 401 to our last token may mean, with what to check.
    private var refusal: String {
        if binds {
            return "the listener refused the credentials or the channel binding (401): check the password; "
                + "a TLS-terminating proxy between virtfed and the listener makes the binding name the proxy's certificate"
        }
        if https {
            return "the listener refused the credentials (401): check the password; with channel_binding=off a listener with "
                + "CbtHardeningLevel = Strict refuses every authentication over https — remove it unless a TLS-terminating proxy is in between"
        }
        let spn = settings.service.replacingOccurrences(of: "@", with: "/")
        switch settings.mechanism {
        case .kerberos:
            // The KDC took the password and issued the ticket: the listener could not read it.
            return "the listener refused the Kerberos ticket for \(spn) (401) that the KDC issued: the listener has no key for that SPN "
                + "that matches the KDC's (a keytab without it, a machine password changed since, or the SPN registered to another "
                + "account: setspn -Q \(spn))"
        case .spnego:
            return "the listener refused the credentials (401): check the password; with Kerberos, the listener may have no key for "
                + "\(spn) that matches the KDC's (setspn -Q \(spn))"
        case .ntlm:
            return "the listener refused the credentials (401): check the user name and password"
        }
    }

    /// Opens the connection with an unauthenticated request (the listener answers 401) and
    /// reads the certificate it presented: the channel bindings' application data, and the
    /// certificate to hold the rest of the handshake to.
    private func boundCertificate() throws(WSManError) -> (binding: [UInt8], seen: CurlPeerCertificate) {
        var request = template
        request.headers = ["Content-Length: 0"]
        _ = try perform(request)
        guard let seen = easy.peerCertificate, let binding = TLSChannelBinding.applicationData(for: seen) else {
            throw .authentication("cannot read the certificate the listener presented, which channel binding names")
        }
        return (binding, seen)
    }

    /// Sends the envelope (sealed when asked) on the authenticated connection; says whether
    /// libcurl had to open another connection for it.
    private func exchange(_ envelope: [UInt8]) throws(WSManError) -> (CurlResponse, reconnected: Bool) {
        var request = template
        if settings.encrypt, let context {
            let protocolName = WinRMSealedMessage.protocolName(kerberosDirect: settings.mechanism == .kerberos)
            let (header, sealed): ([UInt8], [UInt8])
            do {
                (header, sealed) = try context.wrapWinRM(envelope)
            } catch {
                throw .authentication(error.message)
            }
            request.body = WinRMSealedMessage.encode(header: header, sealed: sealed, length: envelope.count, protocolName: protocolName)
            request.headers = ["Content-Type: \(WinRMSealedMessage.contentType(protocolName))"]
        } else {
            request.body = envelope
            request.headers = ["Content-Type: application/soap+xml;charset=UTF-8"]
        }
        let response = try perform(request)
        return (response, easy.newConnections > 0)
    }

    /// The answer, unsealed when it is sealed.
    private func opened(_ response: consuming CurlResponse) throws(WSManError) -> WSManHTTPResponse {
        guard WinRMSealedMessage.isSealed(contentType: response.header("Content-Type").first) else {
            return WSManHTTPResponse(status: response.status, body: response.body)
        }
        guard let context, let parts = WinRMSealedMessage.decode(response.body) else {
            throw .malformed("a sealed answer that is not framed as WinRM frames it")
        }
        // Opened where it lies: the body, taken out of the response, becomes the plain answer.
        var plain = response.body
        response.body = []
        do {
            try context.unwrapWinRM(&plain, token: parts.token, headerLength: parts.headerLength)
        } catch {
            throw .malformed("a sealed answer that does not verify: \(error.message)")
        }
        guard plain.count == parts.length else { throw .malformed("the unsealed answer is \(plain.count) bytes, not the \(parts.length) it announced") }
        return WSManHTTPResponse(status: response.status, body: plain)
    }

    private func perform(_ request: CurlRequest) throws(WSManError) -> CurlResponse {
        do {
            return try easy.perform(request)
        } catch {
            switch error.kind {
            case .couldNotConnect: throw .unavailable(error.message, neverSent: true)
            case .timedOut: throw .timeout(error.message)
            case .tls, .clientCertificate: throw .tls(error.message)
            case .tooLarge: throw .tooLarge(error.message)
            case .other: throw .unavailable(error.message)
            }
        }
    }
}
