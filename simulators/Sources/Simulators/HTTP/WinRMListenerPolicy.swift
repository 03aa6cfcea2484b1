/// What a WinRM listener accepts besides encrypted Negotiate, with Windows' own defaults
/// (`winrm quickconfig`: `Service/Auth/Basic = false`, `Service/AllowUnencrypted = false`,
/// `Service/Auth/CbtHardeningLevel = Relaxed`): a simulator refuses what Windows refuses unless
/// a caller turns a leniency on by name (`--allow-basic`, `--allow-unencrypted`,
/// `--cbt-hardening-level None`).
public struct WinRMListenerPolicy: Sendable, Equatable {
    /// `Service/Auth/Basic`: HTTP Basic is offered and accepted.
    public var allowBasic: Bool
    /// `Service/AllowUnencrypted`: SOAP in the clear over http (https is always fine).
    public var allowUnencrypted: Bool
    /// `Service/Auth/CbtHardeningLevel`: channel binding over https.
    public var cbtHardeningLevel: CbtHardeningLevel

    /// Windows' defaults: neither leniency, channel binding Relaxed.
    public init(allowBasic: Bool = false, allowUnencrypted: Bool = false, cbtHardeningLevel: CbtHardeningLevel = .relaxed) {
        self.allowBasic = allowBasic
        self.allowUnencrypted = allowUnencrypted
        self.cbtHardeningLevel = cbtHardeningLevel
    }

    /// Both leniencies, for a test of something else than the listener's policy.
    public static let lenient = WinRMListenerPolicy(allowBasic: true, allowUnencrypted: true)
}
