/// A value readable from XDR.
public protocol XDRDecodable: Sendable {
    /// Reads the value; throws on truncation or an out-of-bound length.
    init(from reader: inout XDRReader) throws(XDRError)
}
