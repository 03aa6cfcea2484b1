/// A WinRM listener limit that a fault says was reached, with the setting that raises it: the
/// quotas (`ERROR_WSMAN_QUOTA_*`, `w:QuotaLimit`) and the envelope size (`w:EncodingLimit`).
/// Read from the fault's `f:WSManFault` code, and from its words for a listener that sends a
/// quota fault under another code.
public enum WSManListenerLimit: Sendable, Equatable {
    /// `Service/MaxConcurrentOperationsPerUser` (default 1500): operations (open enumerations,
    /// shells' commands) one user holds at once.
    case concurrentOperationsPerUser
    /// `Winrs/MaxShellsPerUser` (default 30): remote shells one user holds open.
    case shellsPerUser
    /// `Winrs/MaxConcurrentUsers` (default 10): users with remote operations at once.
    case concurrentUsers
    /// A quota of the endpoint's plug-in (`Plugin/<name>/Quotas`), e.g. PowerShell's.
    case pluginQuota
    /// `MaxEnvelopeSizekb` (default 500): the largest message the listener takes or sends.
    case envelopeSize

    /// The limit `fault` reports, or nil.
    init?(fault: WSManFault) {
        switch fault.detailCode {
        case 2150859174: self = .concurrentOperationsPerUser      // ERROR_WSMAN_QUOTA_MAX_OPERATIONS
        case 2150859173: self = .shellsPerUser                    // ERROR_WSMAN_QUOTA_MAX_SHELLS
        case 2150859179, 2150859237: self = .concurrentUsers      // ERROR_WSMAN_QUOTA_MAX_SHELLUSERS, _MAX_USERS_PPQ
        case 2150859238, 2150859239, 2150859240: self = .pluginQuota  // ERROR_WSMAN_QUOTA_MAX_PLUGIN*_PPQ, _OPERATIONS_USER_PPQ
        case 2150858862: self = .envelopeSize                     // ERROR_WSMAN_MAXENVELOPE_SIZE_NOT_SUPPORTED
        default:
            let words = (fault.text + " " + (fault.detailMessage ?? "")).lowercased()
            if words.contains("concurrent shells") {
                self = .shellsPerUser
            } else if words.contains("concurrent operations") {
                self = .concurrentOperationsPerUser
            } else if fault.subcodeName == "QuotaLimit" {
                self = .concurrentUsers
            } else if fault.subcodeName == "EncodingLimit" || words.contains("maxenvelopesize") {
                self = .envelopeSize
            } else {
                return nil
            }
        }
    }

    /// Whether waiting (closing operations elsewhere) can lift it, as opposed to a size that
    /// will not change until the setting does.
    public var isQuota: Bool { self != .envelopeSize }

    /// What to do, naming the Windows setting.
    public var advice: String {
        switch self {
        case .concurrentOperationsPerUser:
            "the listener's per-user operations quota is used up: let other clients of this account finish, or raise Service/MaxConcurrentOperationsPerUser on the Windows host (winrm set winrm/config/service @{MaxConcurrentOperationsPerUser=\"N\"})"
        case .shellsPerUser:
            "this account has as many shells open as the listener allows: close unused shells (other clients of the account), or raise Winrs/MaxShellsPerUser on the Windows host (winrm set winrm/config/winrs @{MaxShellsPerUser=\"N\"})"
        case .concurrentUsers:
            "the listener serves as many users at once as it allows: retry later, or raise Winrs/MaxConcurrentUsers on the Windows host"
        case .pluginQuota:
            "a quota of the listener's plug-in is used up: retry later, or raise it under WSMan:\\localhost\\Plugin\\<plug-in>\\Quotas on the Windows host"
        case .envelopeSize:
            "the message does not fit the listener's MaxEnvelopeSizekb: raise it on the Windows host (winrm set winrm/config @{MaxEnvelopeSizekb=\"N\"})"
        }
    }
}
