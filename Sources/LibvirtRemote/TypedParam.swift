/// `remote_typed_param`: a named value of one of libvirt's typed-parameter kinds.
public struct TypedParam: Sendable, Equatable, XDREncodable {
    /// `remote_typed_param_value`, discriminated by `VIR_TYPED_PARAM_*`.
    public enum Value: Sendable, Equatable {
        case int(Int32)
        case uint(UInt32)
        case llong(Int64)
        case ullong(UInt64)
        case double(Double)
        case boolean(Bool)
        case string(String)
    }

    /// The field name (e.g. `state.state`, `cpu.time`).
    public var field: String
    /// The value.
    public var value: Value

    /// Creates a parameter.
    public init(_ field: String, _ value: Value) {
        self.field = field
        self.value = value
    }

    public func encode(to writer: inout XDRWriter) {
        writer.write(field)
        switch value {
        case .int(let v): writer.write(Int32(1)); writer.write(v)
        case .uint(let v): writer.write(Int32(2)); writer.write(v)
        case .llong(let v): writer.write(Int32(3)); writer.write(v)
        case .ullong(let v): writer.write(Int32(4)); writer.write(v)
        case .double(let v): writer.write(Int32(5)); writer.write(v)
        case .boolean(let v): writer.write(Int32(6)); writer.write(v)
        case .string(let v): writer.write(Int32(7)); writer.write(v)
        }
    }
}
