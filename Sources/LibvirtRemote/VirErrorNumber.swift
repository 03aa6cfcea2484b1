/// The `virErrorNumber` values this server sends (virerror.h), with libvirt's message prefixes
/// (virerror.c `virErrorMsg`).
public enum VirErrorNumber: Int32, Sendable {
    case internalError = 1
    case noSupport = 3
    case domainExists = 28
    case operationDenied = 29
    case invalidArg = 8
    case operationFailed = 9
    case rpc = 39
    case noDomain = 42
    case authFailed = 45
    case operationInvalid = 55
    case operationTimeout = 68
    case noDomainSnapshot = 72
    case noDomainMetadata = 80
    case operationUnsupported = 84
    case agentUnresponsive = 86

    /// The message libvirt would build from this code and a detail.
    public func format(_ detail: String?) -> String {
        let prefix: String
        switch self {
        case .internalError: prefix = "internal error"
        case .noSupport: prefix = "this function is not supported by the connection driver"
        case .domainExists: prefix = "operation failed"
        case .noDomainSnapshot: prefix = "Domain snapshot not found"
        case .operationDenied: prefix = "operation forbidden"
        case .invalidArg: prefix = "invalid argument"
        case .operationFailed: prefix = "operation failed"
        case .rpc: prefix = "RPC error"
        case .noDomain: prefix = "Domain not found"
        case .authFailed: prefix = "authentication failed"
        case .operationInvalid: prefix = "Requested operation is not valid"
        case .operationTimeout: prefix = "Timed out during operation"
        case .noDomainMetadata: prefix = "metadata not found"
        case .operationUnsupported: prefix = "Operation not supported"
        case .agentUnresponsive: prefix = "Guest agent is not responding"
        }
        guard let detail, !detail.isEmpty else { return prefix }
        return "\(prefix): \(detail)"
    }
}
