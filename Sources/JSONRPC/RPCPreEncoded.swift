import Foundation

/// A result encoded ahead of time — once, for answers that never change (`ping`, `version`),
/// or kept between calls in parts (a large listing, and the few bytes that change per call):
/// the server writes the parts as they are instead of running an encoder per call.
public struct RPCPreEncoded: Encodable, Sendable {
    /// The value's JSON text, in parts written one after the other.
    public let parts: [[UInt8]]

    /// The whole JSON text.
    public var json: [UInt8] { parts.count == 1 ? parts[0] : Array(parts.joined()) }

    /// Encodes `value` now, with the encoder answers are written with.
    public init(_ value: some Encodable) throws {
        parts = [Array(try RPCMessage.makeEncoder().encode(value))]
    }

    /// Takes JSON text written by hand (a `JSONWriter`'s), possibly in parts; together they
    /// must be one valid JSON value.
    public init(parts: [[UInt8]]) {
        self.parts = parts
    }

    /// Takes JSON text written by hand (a `JSONWriter`'s); it must be one valid JSON value.
    public init(json: [UInt8]) {
        parts = [json]
    }

    /// Encoding it through another encoder re-reads the text (a slow path nobody needs to take).
    public func encode(to encoder: any Encoder) throws {
        try JSONParser.parse(json).encode(to: encoder)
    }
}
