import BlockingWork
import Curl
import XML

/// The real transport: HTTP(S) POSTs through one libcurl handle (so the connection, and its
/// TLS and NTLM state, is reused), run one at a time on a queue of its own, never on the
/// cooperative pool.
public final class CurlTransport: WSManTransport {
    /// How to authenticate to the WinRM listener (libcurl's own choices: basic, ntlm,
    /// negotiate, any, or secure — NTLM or Negotiate, never Basic).
    public typealias Authentication = CurlRequest.Authentication

    /// Every transport's libcurl calls share these threads, however many sessions there are.
    public static let pool = BlockingPool(name: "wsman", threads: BlockingPool.defaultThreads())

    private let easy: CurlEasy
    private let queue: BlockingQueue
    private let template: CurlRequest
    /// Certificate authentication's certificate, when this transport authenticates with one.
    private let clientCertificate: WinRMClientCertificate?

    /// Creates a transport for `endpoint` (e.g. `https://host:5986/wsman`). `timeoutMilliseconds`
    /// bounds a whole exchange and must exceed the envelopes' `OperationTimeout` (60 s). With a
    /// `clientCertificate` (https only), the certificate authenticates in the TLS handshake and
    /// every request names the `https/mutual` security profile; `authentication` is then `.none`.
    public init(
        endpoint: String, username: String?, password: String?, authentication: Authentication = .basic,
        verifyPeer: Bool = true, caFile: String? = nil, clientCertificate: WinRMClientCertificate? = nil,
        connectTimeoutMilliseconds: Int = 5000, timeoutMilliseconds: Int = 75_000, maxResponseBytes: Int = 16 << 20
    ) throws(WSManError) {
        if clientCertificate != nil && !endpoint.lowercased().hasPrefix("https://") {
            throw .invalidRequest("certificate authentication needs https: a client certificate is presented in the TLS handshake")
        }
        do {
            easy = try CurlEasy()
        } catch {
            throw .unavailable(error.message)
        }
        queue = BlockingQueue(label: "virtfed.wsman.curl", pool: Self.pool)
        var headers = ["Content-Type: application/soap+xml;charset=UTF-8"]
        if clientCertificate != nil { headers.append("Authorization: \(WinRMClientCertificate.mutualProfile)") }
        var template = CurlRequest(
            url: endpoint, body: [], headers: headers,
            username: clientCertificate == nil ? username : nil, password: clientCertificate == nil ? password : nil,
            authentication: clientCertificate == nil ? authentication : .none, verifyPeer: verifyPeer, caFile: caFile,
            connectTimeoutMilliseconds: connectTimeoutMilliseconds, timeoutMilliseconds: timeoutMilliseconds,
            maxResponseBytes: maxResponseBytes)
        template.clientCertificateFile = clientCertificate?.certificateFile
        template.clientKeyFile = clientCertificate?.keyFile
        self.template = template
        self.clientCertificate = clientCertificate
    }

    /// A change goes over a new connection: on a reused one that turns out dead, libcurl would
    /// resend the request by itself — and the endpoint may have acted on the first.
    public func post(_ envelope: [UInt8], repeatable: Bool) async throws(WSManError) -> WSManHTTPResponse {
        var request = template
        request.body = envelope
        request.freshConnection = !repeatable
        let (easy, prepared) = (self.easy, request)
        let result: Result<CurlResponse, CurlError> = await queue.run { () throws(Never) in
            Result { () throws(CurlError) in try easy.perform(prepared) }
        }
        switch result {
        case .success(let response):
            if response.status == 401, clientCertificate != nil { throw .authentication(Self.certificateRefusal(response.body)) }
            return WSManHTTPResponse(status: response.status, body: response.body)
        case .failure(let error):
            switch error.kind {
            case .couldNotConnect: throw .unavailable(error.message, neverSent: true)
            case .timedOut: throw .timeout(error.message)
            case .tls: throw .tls(error.message)
            case .clientCertificate:
                throw .authentication("the client certificate could not be used (\(error.message)): client_cert and client_key must be "
                                      + "readable PEM files, the key unencrypted and matching the certificate")
            case .tooLarge: throw .tooLarge(error.message)
            case .other: throw .unavailable(error.message)
            }
        }
    }

    /// Why a listener answered certificate authentication with 401: its fault's words when the
    /// answer has one, and what a Windows listener needs either way.
    static func certificateRefusal(_ body: [UInt8]) -> String {
        var words = "the listener refused certificate authentication (HTTP 401)"
        if let envelope = try? XMLParser.parse(body, maxBytes: 64 << 10),
           let fault = envelope.child("Body", namespace: WSManNamespace.soap)?.child("Fault", namespace: WSManNamespace.soap) {
            let fault = WSManFault(fault)
            words += ": " + (fault.detailMessage.map { "\(fault.text) \($0)" } ?? fault.text)
        }
        return words + " — a Windows listener takes a client certificate only with Service/Auth/Certificate = true and a certmapping "
            + "for the certificate's issuing CA; the certificate needs the mapped user's UPN in its subjectAltName and the "
            + "Client Authentication EKU"
    }
}
