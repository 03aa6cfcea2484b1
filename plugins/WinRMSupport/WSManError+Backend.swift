import BrokerCore
import WSMan

extension WSManError {
    /// The same failure as a broker error with a stable code; the service's own words are kept.
    public var backendError: BackendError {
        var error = BackendError(code, description)
        if case .unavailable(_, neverSent: true) = self { error.provablyNotSent = true }
        return error
    }

    private var code: ErrorCode {
        switch self {
        case .unauthorized, .authentication: .authFailed
        case .httpStatus(403): .permissionDenied
        case .httpStatus(404), .httpStatus(502), .httpStatus(503): .backendUnavailable
        case .httpStatus: .internal
        case .fault(let fault) where fault.limit?.isQuota == true:
            // A listener quota (MaxConcurrentOperationsPerUser, MaxShellsPerUser …): the host is
            // there but will not serve this account now; the message names the setting.
            .backendUnavailable
        case .fault(let fault):
            switch fault.subcodeName {
            case "TimedOut": .timeout
            case "InvalidSelectors", "DestinationUnreachable": .notFound
            case "AccessDenied": .permissionDenied
            case "ActionNotSupported": .unsupported
            default: .internal
            }
        case .malformed, .tooLarge: .internal
        case .invalidRequest: .invalidArgument
        case .unavailable, .tls: .backendUnavailable
        case .timeout: .timeout
        }
    }
}
