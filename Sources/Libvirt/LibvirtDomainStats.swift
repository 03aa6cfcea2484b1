import CLibvirt

/// One record of `virConnectGetAllDomainStats`: the domain and its typed parameters.
public struct LibvirtDomainStats: @unchecked Sendable {
    /// A typed parameter's value.
    public enum Value: Sendable, Equatable {
        case int(Int64), uint(UInt64), double(Double), bool(Bool), string(String)

        /// The value as an unsigned integer, when it is numeric and non-negative.
        public var unsigned: UInt64? {
            switch self {
            case .int(let v): v >= 0 ? UInt64(v) : nil
            case .uint(let v): v
            case .double(let v): v >= 0 ? UInt64(v) : nil
            case .bool(let v): v ? 1 : 0
            case .string: nil
            }
        }
    }

    /// The domain the record is about.
    public let domain: LibvirtDomain
    /// The parameters by field name (`state.state`, `balloon.maximum`, `vcpu.current` …).
    public let values: [String: Value]

    init?(_ record: virDomainStatsRecord) {
        guard let domain = record.dom, virDomainRef(domain) == 0 else { return nil }
        self.domain = LibvirtDomain(adopting: domain)
        var values: [String: Value] = [:]
        for index in 0..<Int(record.nparams) {
            let param = record.params[index]
            let name = withUnsafeBytes(of: param.field) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            switch UInt32(param.type) {
            case VIR_TYPED_PARAM_INT.rawValue: values[name] = .int(Int64(param.value.i))
            case VIR_TYPED_PARAM_UINT.rawValue: values[name] = .uint(UInt64(param.value.ui))
            case VIR_TYPED_PARAM_LLONG.rawValue: values[name] = .int(param.value.l)
            case VIR_TYPED_PARAM_ULLONG.rawValue: values[name] = .uint(param.value.ul)
            case VIR_TYPED_PARAM_DOUBLE.rawValue: values[name] = .double(param.value.d)
            case VIR_TYPED_PARAM_BOOLEAN.rawValue: values[name] = .bool(param.value.b != 0)
            case VIR_TYPED_PARAM_STRING.rawValue: values[name] = param.value.s.map { .string(String(cString: $0)) }
            default: continue
            }
        }
        self.values = values
    }
}
