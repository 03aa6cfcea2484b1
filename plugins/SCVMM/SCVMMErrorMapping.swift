import BrokerCore
import Foundation
import WinRMSupport
import WSMan

/// Failures from SCVMM as stable codes; the one place they map (docs/scvmm-wire.md's failure
/// table). A script's error is mapped by VMM's `(Error ID: N)` first and by its text second;
/// a transport failure keeps WS-Management's mapping (401 → auth_failed, unreachable →
/// backend_unavailable, no answer → timeout).
enum SCVMMErrorMapping {
    /// The plugin's own `throw` for an ID that names no VM.
    static let notFoundMarker = "VirtfedVMNotFound"

    /// VMM error IDs with a known meaning.
    static let errorIDs: [Int: ErrorCode] = [
        12700: .invalidState,        // the VM is in a state that does not allow the operation
        1603: .permissionDenied,     // you do not have access to the specified object
        1604: .backendUnavailable,   // the VMM service is not running / cannot be reached
        1605: .backendUnavailable,   // unable to connect to the VMM management server
        801: .notFound,              // VMM cannot find the object
        23801: .invalidState,        // placement: the host does not have sufficient memory (simulator's ID, unverified)
        23732: .unsupported,         // migration across virtualization platforms (simulator's ID, unverified)
    ]

    /// A script that exited non-zero, with its readable error text.
    static func scriptFailure(_ errorText: String, exitCode: Int) -> BackendError {
        let text = errorText.isEmpty ? "the SCVMM script exited with code \(exitCode) and no error text" : errorText
        return BackendError(code(for: text), "SCVMM: \(message(text))")
    }

    /// A VMM job that ended Failed or Canceled.
    static func jobFailure(status: String, errorInfo: String, job: String) -> BackendError {
        let text = errorInfo.isEmpty ? "job \(job) ended \(status)" : errorInfo
        return BackendError(code(for: text), "SCVMM job \(job) \(status.lowercased()): \(message(text))")
    }

    /// A WS-Management or shell failure.
    static func transport(_ error: WSManError) -> BackendError {
        error.backendError
    }

    /// The code for an error text.
    static func code(for text: String) -> ErrorCode {
        if let id = errorID(in: text), let code = errorIDs[id] { return code }
        let lowered = text.lowercased()
        if text.contains(SCVMMScript.alreadyExistsMarker) || lowered.contains("already exists") { return .alreadyExists }
        if text.contains(SCVMMScript.hasCheckpointsMarker) { return .invalidState }
        if text.contains(SCVMMScript.hostNotFoundMarker) { return .invalidArgument }
        if text.contains(SCVMMScript.templateNotFoundMarker) { return .notFound }
        if lowered.contains("sufficient memory") || lowered.contains("unable to place") { return .invalidState }
        if text.contains(notFoundMarker) || lowered.contains("cannot find") || lowered.contains("unable to find") { return .notFound }
        if lowered.contains("do not have access") || lowered.contains("access is denied") || lowered.contains("access denied") {
            return .permissionDenied
        }
        if lowered.contains("cannot complete the requested operation because") && lowered.contains(" state") { return .invalidState }
        if lowered.contains("unable to connect") || lowered.contains("cannot connect") { return .backendUnavailable }
        if lowered.contains("timed out") || lowered.contains("timeout") { return .timeout }
        return .internal
    }

    /// N from the first `(Error ID: N)` in the text.
    static func errorID(in text: String) -> Int? {
        guard let range = text.range(of: "(Error ID:", options: .caseInsensitive) else { return nil }
        let digits = text[range.upperBound...].drop { $0 == " " }.prefix { $0.isNumber }
        return Int(digits)
    }

    /// The error record's message: its lines up to the position and category lines
    /// PowerShell adds (`At line:…`, `+ …`), joined back into one line, since powershell.exe
    /// word-wraps them at its console width.
    static func message(_ text: String) -> String {
        var parts: [String] = []
        for line in text.split(whereSeparator: \.isNewline) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("At line:") || trimmed.hasPrefix("At char:") || trimmed.hasPrefix("+") { break }
            if !trimmed.isEmpty { parts.append(trimmed) }
        }
        return parts.isEmpty ? text.trimmingCharacters(in: .whitespacesAndNewlines) : parts.joined(separator: " ")
    }
}
