import BrokerCore
import Libvirt

/// libvirt's error numbers mapped to the federation's stable codes, libvirt's message kept.
/// The one place this mapping lives.
enum LibvirtErrorMapping {
    static func backendError(_ error: LibvirtError, connectionAlive: Bool) -> BackendError {
        BackendError(code(for: error, connectionAlive: connectionAlive), error.message)
    }

    static func code(for error: LibvirtError, connectionAlive: Bool) -> ErrorCode {
        let number = error.number
        guard connectionAlive else {
            // A dead connection makes every error an unavailable backend, except auth.
            return number == .authFailure ? .authFailed : .backendUnavailable
        }
        switch number {
        case .noDomain: return .notFound
        case .operationInvalid: return .invalidState
        case .unsupported: return .unsupported
        case .invalidArgument: return .invalidArgument
        case .denied: return .permissionDenied
        case .timeout: return .timeout
        case .connectionFailure: return .backendUnavailable
        case .authFailure: return .authFailed
        case .exists: return .alreadyExists
        case .other: return .internal
        }
    }
}
