/// A value with an XDR layout.
public protocol XDREncodable: Sendable {
    /// Appends the value's XDR encoding.
    func encode(to writer: inout XDRWriter)
}

/// XDR `int`.
extension Int32: XDREncodable {
    public func encode(to writer: inout XDRWriter) { writer.write(self) }
}

/// XDR `bool`: an `int`, 1 or 0.
extension Bool: XDREncodable {
    public func encode(to writer: inout XDRWriter) { writer.write(self) }
}

/// XDR `unsigned hyper`.
extension UInt64: XDREncodable {
    public func encode(to writer: inout XDRWriter) { writer.write(self) }
}

/// XDR `string` (`remote_nonnull_string`).
extension String: XDREncodable {
    public func encode(to writer: inout XDRWriter) { writer.write(self) }
}

extension XDRWriter {
    /// A reply holding one value.
    public static func reply(_ value: some XDREncodable) -> XDRWriter {
        var writer = XDRWriter()
        value.encode(to: &writer)
        return writer
    }
}
