import BlockingWork
import Curl

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

    /// Creates a transport for `endpoint` (e.g. `https://host:5986/wsman`). `timeoutMilliseconds`
    /// bounds a whole exchange and must exceed the envelopes' `OperationTimeout` (60 s).
    public init(
        endpoint: String, username: String?, password: String?, authentication: Authentication = .basic,
        verifyPeer: Bool = true, caFile: String? = nil, connectTimeoutMilliseconds: Int = 5000,
        timeoutMilliseconds: Int = 75_000, maxResponseBytes: Int = 16 << 20
    ) throws(WSManError) {
        do {
            easy = try CurlEasy()
        } catch {
            throw .unavailable(error.message)
        }
        queue = BlockingQueue(label: "virtfed.wsman.curl", pool: Self.pool)
        template = CurlRequest(
            url: endpoint, body: [], headers: ["Content-Type: application/soap+xml;charset=UTF-8"],
            username: username, password: password, authentication: authentication, verifyPeer: verifyPeer, caFile: caFile,
            connectTimeoutMilliseconds: connectTimeoutMilliseconds, timeoutMilliseconds: timeoutMilliseconds,
            maxResponseBytes: maxResponseBytes)
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
            return WSManHTTPResponse(status: response.status, body: response.body)
        case .failure(let error):
            switch error.kind {
            case .couldNotConnect: throw .unavailable(error.message, neverSent: true)
            case .timedOut: throw .timeout(error.message)
            case .tls: throw .tls(error.message)
            case .tooLarge: throw .tooLarge(error.message)
            case .other: throw .unavailable(error.message)
            }
        }
    }
}
