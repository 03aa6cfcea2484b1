import BrokerCore

/// Hyper-V's method return codes and job failures as stable codes; the one place they map.
enum HyperVErrorMapping {
    /// A `ReturnValue` other than 0 (done) or 4096 (job started).
    static func returnValue(_ value: Int, method: String) -> BackendError {
        let (code, meaning): (ErrorCode, String) = switch value {
        case 1, 32770: (.unsupported, "not supported")
        case 3, 4098, 32772: (.timeout, "timed out")
        case 4, 5, 32773, 32776: (.invalidArgument, "invalid parameter")
        case 6, 4099, 32774: (.invalidState, "system in use")
        case 4097, 32775: (.invalidState, "invalid state for this operation")
        case 32769: (.permissionDenied, "access denied")
        case 32777: (.backendUnavailable, "system not available")
        default: (.internal, "failed")
        }
        return BackendError(code, "\(method) returned \(value) (\(meaning))")
    }

    /// A job that ended in failure (JobState 10 …): by its `ErrorCode`, then by its text.
    static func jobFailure(code: Int, caption: String, description: String) -> BackendError {
        let lowered = description.lowercased()
        let mapped: ErrorCode
        if code == 32775 || code == 4097 {
            mapped = .invalidState
        } else if lowered.contains("cannot find the file") || lowered.contains("was not found") {
            mapped = .notFound
        } else if lowered.contains("already exists") {
            mapped = .alreadyExists
        } else if lowered.contains("establish a connection") || lowered.contains("no such host") || lowered.contains("actively refused")
                    || lowered.contains("could not be established") {
            mapped = .backendUnavailable
        } else if code == 32769 {
            mapped = .permissionDenied
        } else {
            mapped = .internal
        }
        return BackendError(mapped, "\(caption) failed: \(description)")
    }
}
