import Foundation

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
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes)
        } catch {
            return .failure(.parseError("Parse error: \(error.reason) at byte \(error.offset)"))
        }
        if case .array(let items) = value {
            if items.isEmpty { return .failure(.invalidRequest()) }
            return .batch(items.map(entry))
        }
        return .single(entry(value))
    }

    private static func entry(_ value: JSONValue) -> Entry {
        guard case .object(let members) = value else { return .invalid(.invalidRequest(), id: .null) }
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
    public static func encode(_ responses: [Response], batch: Bool, encoder: JSONEncoder = makeEncoder()) -> Data {
        var data = Data()
        if batch { data.append(UInt8(ascii: "[")) }
        for (index, response) in responses.enumerated() {
            if index > 0 { data.append(UInt8(ascii: ",")) }
            data.append(contentsOf: envelope(response, encoder: encoder))
        }
        if batch { data.append(UInt8(ascii: "]")) }
        data.append(UInt8(ascii: "\n"))
        return data
    }

    /// One response object, assembled around the encoded result (or error) and id: the
    /// envelope's fixed parts are written directly, only the payload goes through the encoder.
    private static func envelope(_ response: Response, encoder: JSONEncoder) -> Data {
        var data = Data(#"{"jsonrpc":"2.0","#.utf8)
        do {
            switch response.outcome {
            case .success(let result as RPCPreEncoded):
                data.append(contentsOf: #""result":"#.utf8)
                for part in result.parts { data.append(contentsOf: part) }
            case .success(let result):
                data.append(contentsOf: #""result":"#.utf8)
                data.append(try encoder.encode(result))
            case .failure(let error):
                data.append(contentsOf: #""error":"#.utf8)
                data.append(try encoder.encode(error))
            }
        } catch {
            // A result that cannot be encoded is the server's failure, not the client's.
            data = Data(#"{"jsonrpc":"2.0","error":"#.utf8)
            data.append((try? encoder.encode(RPCError.internalError("cannot encode the result: \(error)"))) ?? Data("null".utf8))
        }
        data.append(contentsOf: #","id":"#.utf8)
        switch response.id {
        case .int(let value): data.append(contentsOf: String(value).utf8)
        case .null: data.append(contentsOf: "null".utf8)
        default: data.append((try? encoder.encode(response.id)) ?? Data("null".utf8))
        }
        data.append(UInt8(ascii: "}"))
        return data
    }

    /// The encoder answers are written with.
    public static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return encoder
    }
}
