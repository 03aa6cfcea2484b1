import Foundation

/// A result encoded once, ahead of time, for answers that never change (`ping`, `version`):
/// the server writes its bytes as they are instead of running an encoder per call.
public struct RPCPreEncoded: Encodable, Sendable {
    /// The value's JSON text, as the server's encoder wrote it.
    public let json: [UInt8]

    /// Encodes `value` now, with the encoder answers are written with.
    public init(_ value: some Encodable) throws {
        json = Array(try RPCMessage.makeEncoder().encode(value))
    }

    /// Takes JSON text written by hand (a `JSONWriter`'s); it must be one valid JSON value.
    public init(json: [UInt8]) {
        self.json = json
    }

    /// Encoding it through another encoder re-reads the text (a slow path nobody needs to take).
    public func encode(to encoder: any Encoder) throws {
        try JSONParser.parse(json).encode(to: encoder)
    }
}
