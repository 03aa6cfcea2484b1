import BrokerCore
import CLibvirt
import Libvirt

/// libvirt's error numbers mapped to the federation's stable codes, libvirt's message kept.
/// The one place this mapping lives.
enum LibvirtErrorMapping {
    static func backendError(_ error: LibvirtError, connectionAlive: Bool) -> BackendError {
        BackendError(code(for: error, connectionAlive: connectionAlive), error.message)
    }

    static func code(for error: LibvirtError, connectionAlive: Bool) -> ErrorCode {
        guard connectionAlive else {
            // A dead connection makes every error an unavailable backend, except auth.
            return isAuth(error) ? .authFailed : .backendUnavailable
        }
        switch virErrorNumber(rawValue: UInt32(bitPattern: error.code)) {
        case VIR_ERR_NO_DOMAIN, VIR_ERR_NO_DOMAIN_SNAPSHOT, VIR_ERR_NO_NETWORK, VIR_ERR_NO_STORAGE_POOL:
            return .notFound
        case VIR_ERR_OPERATION_INVALID:
            return .invalidState
        case VIR_ERR_NO_SUPPORT, VIR_ERR_OPERATION_UNSUPPORTED, VIR_ERR_ARGUMENT_UNSUPPORTED:
            return .unsupported
        case VIR_ERR_INVALID_ARG, VIR_ERR_XML_ERROR, VIR_ERR_CONFIG_UNSUPPORTED, VIR_ERR_INVALID_DOMAIN:
            return .invalidArgument
        case VIR_ERR_OPERATION_DENIED, VIR_ERR_ACCESS_DENIED:
            return .permissionDenied
        case VIR_ERR_OPERATION_TIMEOUT, VIR_ERR_AGENT_UNRESPONSIVE:
            return .timeout
        case VIR_ERR_SYSTEM_ERROR, VIR_ERR_RPC, VIR_ERR_NO_CONNECT, VIR_ERR_INVALID_CONN:
            return .backendUnavailable
        default:
            return isAuth(error) ? .authFailed : .internal
        }
    }

    private static func isAuth(_ error: LibvirtError) -> Bool {
        error.is(VIR_ERR_AUTH_FAILED) || error.is(VIR_ERR_AUTH_CANCELLED) || error.is(VIR_ERR_AUTH_UNAVAILABLE)
    }
}
