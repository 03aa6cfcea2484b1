/// A value with an XDR layout.
public protocol XDREncodable: Sendable {
    /// Appends the value's XDR encoding.
    func encode(to writer: inout XDRWriter)
}
