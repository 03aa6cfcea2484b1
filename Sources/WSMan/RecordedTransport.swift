import Synchronization

/// A transport for tests: answers from a closure (or a list of canned answers, in order) and
/// records every envelope it was given, so a test can assert on exactly what the client sent.
public final class RecordedTransport: WSManTransport {
    /// Produces the answer to the `index`-th envelope (0-based).
    public typealias Answer = @Sendable (_ envelope: [UInt8], _ index: Int) throws(WSManError) -> WSManHTTPResponse

    private let answer: Answer
    private let recorded = Mutex<[[UInt8]]>([])

    /// Answers with `answer`.
    public init(answer: @escaping Answer) {
        self.answer = answer
    }

    /// Answers with `answers` in order; once they run out, every post is `unavailable`.
    public convenience init(answers: [WSManHTTPResponse]) {
        self.init { (_, index) throws(WSManError) in
            guard index < answers.count else { throw .unavailable("no recorded answer left for request \(index)") }
            return answers[index]
        }
    }

    /// Every envelope received, in order.
    public var requests: [[UInt8]] {
        recorded.withLock { $0 }
    }

    /// Every envelope received, as text.
    public var requestTexts: [String] {
        requests.map { String(decoding: $0, as: UTF8.self) }
    }

    public func post(_ envelope: [UInt8], repeatable: Bool) async throws(WSManError) -> WSManHTTPResponse {
        let index = recorded.withLock { requests in
            requests.append(envelope)
            return requests.count - 1
        }
        return try answer(envelope, index)
    }
}
