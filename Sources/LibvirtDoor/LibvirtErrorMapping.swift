import BrokerCore
import LibvirtRemote

/// Broker errors in libvirt's error numbers: the one place stable codes become `remote_error`.
enum LibvirtErrorMapping {
    static func remoteError(_ error: BackendError) -> RemoteError {
        let number: VirErrorNumber = switch error.code {
        case .notFound: .noDomain
        case .ambiguous, .invalidArgument: .invalidArg
        case .unsupported: .operationUnsupported
        case .invalidState: .operationInvalid
        case .backendUnavailable, .busy, .outcomeUnknown: .operationFailed
        case .authFailed: .authFailed
        case .timeout: .operationTimeout
        case .permissionDenied: .operationDenied
        case .internal: .internalError
        case .alreadyExists: .domainExists
        }
        return RemoteError(number, error.description, domain: error.code == .notFound ? .dom : .remote)
    }
}
