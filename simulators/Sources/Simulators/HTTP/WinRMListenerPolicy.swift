/// What a WinRM listener accepts besides encrypted Negotiate, with Windows' own defaults
/// (`winrm quickconfig`: `Service/Auth/Basic = false`, `Service/AllowUnencrypted = false`): a
/// simulator refuses what Windows refuses unless a caller turns a leniency on by name
/// (`--allow-basic`, `--allow-unencrypted`).
public struct WinRMListenerPolicy: Sendable, Equatable {
    /// `Service/Auth/Basic`: HTTP Basic is offered and accepted.
    public var allowBasic: Bool
    /// `Service/AllowUnencrypted`: SOAP in the clear over http (https is always fine).
    public var allowUnencrypted: Bool

    /// Windows' defaults: neither.
    public init(allowBasic: Bool = false, allowUnencrypted: Bool = false) {
        self.allowBasic = allowBasic
        self.allowUnencrypted = allowUnencrypted
    }

    /// Both leniencies, for a test of something else than the listener's policy.
    public static let lenient = WinRMListenerPolicy(allowBasic: true, allowUnencrypted: true)
}
