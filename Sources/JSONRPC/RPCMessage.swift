import Foundation
import NIOCore

/// JSON-RPC 2.0 messages: reading a line into calls, and writing answers, exactly as the
/// specification says (batches, notifications, the standard errors).
public enum RPCMessage {
    /// One line, parsed.
    public enum Incoming: Sendable {
        /// A single message (a request, a notification, or an invalid entry to answer).
        case single(Entry)
        /// A batch: its entries, each answered independently; answered as one array.
        case batch([Entry])
        /// Not JSON, or an empty batch: one error answer with id null.
        case failure(RPCError)
    }

    /// One entry of a message.
    public enum Entry: Sendable {
        case call(RPCRequest)
        /// Not a valid request object: answered with this error (id null unless one was readable).
        case invalid(RPCError, id: JSONValue)
    }

    /// Parses one line.
    public static func parse(_ bytes: some Collection<UInt8>) -> Incoming {
        Array(bytes).withUnsafeBytes { parse($0) }
    }

    /// Parses one line in place.
    public static func parse(_ bytes: UnsafeRawBufferPointer) -> Incoming {
        let text: JSONParser.TopLevel
        do {
            text = try JSONParser.parseKeepingTopLevelMembers(bytes)
        } catch {
            return .failure(.parseError("Parse error: \(error.reason) at byte \(error.offset)"))
        }
        switch text {
        case .object(let members):
            return .single(entry(Envelope(members)))
        case .value(.array(let items)):
            if items.isEmpty { return .failure(.invalidRequest()) }
            return .batch(items.map { item in
                guard case .object(let members) = item else { return .invalid(.invalidRequest(), id: .null) }
                return entry(Envelope(members.map { ($0.key, $0.value) }))
            })
        case .value:
            return .single(.invalid(.invalidRequest(), id: .null))
        }
    }

    /// A request object's members, looked up by name (the last of a repeated name counts, as
    /// in a dictionary).
    private struct Envelope {
        let members: [(key: String, value: JSONValue)]

        init(_ members: [(key: String, value: JSONValue)]) {
            self.members = members
        }

        subscript(_ name: String) -> JSONValue? {
            members.last { $0.key == name }?.value
        }
    }

    private static func entry(_ members: Envelope) -> Entry {
        // An id that is present and of a legal type is echoed even in an error answer.
        let id = members["id"]
        let echo: JSONValue
        switch id {
        case .string?, .int?, .double?, .null?: echo = id ?? .null
        default: echo = .null
        }
        guard members["jsonrpc"] == .string("2.0") else {
            return .invalid(.invalidRequest("Invalid Request: \"jsonrpc\" must be \"2.0\""), id: echo)
        }
        guard case .string(let method)? = members["method"] else {
            return .invalid(.invalidRequest("Invalid Request: \"method\" must be a string"), id: echo)
        }
        switch members["params"] {
        case nil, .array?, .object?: break
        default: return .invalid(.invalidRequest("Invalid Request: \"params\" must be an array or an object"), id: echo)
        }
        switch id {
        case nil, .string?, .int?, .double?, .null?: break
        default: return .invalid(.invalidRequest("Invalid Request: \"id\" must be a string, a number or null"), id: .null)
        }
        return .call(RPCRequest(method: method, params: members["params"], id: id))
    }

    /// One answer.
    public struct Response: Sendable {
        let outcome: Result<any Encodable & Sendable, RPCError>
        let id: JSONValue

        /// Creates an answer.
        public init(_ outcome: Result<any Encodable & Sendable, RPCError>, id: JSONValue) {
            self.outcome = outcome
            self.id = id
        }
    }

    /// A line of JSON (with its newline) for an answer or a batch of answers.
    public static func encode(_ responses: [Response], batch: Bool, encoder: JSONEncoder = makeEncoder(),
                              allocator: ByteBufferAllocator = ByteBufferAllocator()) -> ByteBuffer {
        var buffer = allocator.buffer(capacity: 256)
        if batch { buffer.writeInteger(UInt8(ascii: "[")) }
        for (index, response) in responses.enumerated() {
            if index > 0 { buffer.writeInteger(UInt8(ascii: ",")) }
            writeEnvelope(response, encoder: encoder, into: &buffer)
        }
        if batch { buffer.writeInteger(UInt8(ascii: "]")) }
        buffer.writeInteger(UInt8(ascii: "\n"))
        return buffer
    }

    /// One response object, written around the encoded result (or error) and id: the
    /// envelope's fixed parts are written directly, only the payload goes through the encoder.
    private static func writeEnvelope(_ response: Response, encoder: JSONEncoder, into buffer: inout ByteBuffer) {
        let start = buffer.writerIndex
        buffer.writeStaticString(#"{"jsonrpc":"2.0","#)
        do {
            switch response.outcome {
            case .success(let result as RPCPreEncoded):
                buffer.writeStaticString(#""result":"#)
                for part in result.parts { buffer.writeBytes(part) }
            case .success(let result):
                buffer.writeStaticString(#""result":"#)
                buffer.writeBytes(try encoder.encode(result))
            case .failure(let error):
                buffer.writeStaticString(#""error":"#)
                buffer.writeBytes(try encoder.encode(error))
            }
        } catch {
            // A result that cannot be encoded is the server's failure, not the client's.
            buffer.moveWriterIndex(to: start)
            buffer.writeStaticString(#"{"jsonrpc":"2.0","error":"#)
            buffer.writeBytes((try? encoder.encode(RPCError.internalError("cannot encode the result: \(error)"))) ?? Data("null".utf8))
        }
        buffer.writeStaticString(#","id":"#)
        switch response.id {
        case .int(let value): buffer.writeString(String(value))
        case .null: buffer.writeStaticString("null")
        default: buffer.writeBytes((try? encoder.encode(response.id)) ?? Data("null".utf8))
        }
        buffer.writeInteger(UInt8(ascii: "}"))
    }

    /// The encoder answers are written with: keys sorted, so that an answer's bytes are
    /// determined by its value (and hand-written encoders can be held equal to it).
    public static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
