/// What a WinRM listener accepts besides encrypted Negotiate, and its size and quota limits, with
/// Windows' own defaults (`winrm quickconfig`: `Service/Auth/Basic = false`,
/// `Service/AllowUnencrypted = false`, `Service/Auth/CbtHardeningLevel = Relaxed`,
/// `MaxEnvelopeSizekb = 500`, `Service/MaxConcurrentOperationsPerUser = 1500`): a simulator
/// refuses what Windows refuses unless a caller relaxes a setting by name (`--allow-basic`,
/// `--allow-unencrypted`, `--allow-certificate`, `--cbt-hardening-level None`, `--max-envelope-kb`,
/// `--max-operations-per-user`).
public struct WinRMListenerPolicy: Sendable, Equatable {
    /// `Service/Auth/Basic`: HTTP Basic is offered and accepted.
    public var allowBasic: Bool
    /// `Service/AllowUnencrypted`: SOAP in the clear over http (https is always fine).
    public var allowUnencrypted: Bool
    /// `Service/Auth/Certificate` (false by default): a request naming the `https/mutual`
    /// profile is authenticated by the client certificate of its TLS connection, mapped by the
    /// configuration's certmapping table. Over http it is always refused.
    public var allowCertificate: Bool
    /// `Service/Auth/CbtHardeningLevel`: channel binding over https.
    public var cbtHardeningLevel: CbtHardeningLevel
    /// `MaxEnvelopeSizekb`: no reply is larger than this many KiB (MS-WSMV 3.1.4.1.7: a request's
    /// `w:MaxEnvelopeSize` above it is lowered to it); an enumeration's items are cut over more
    /// Pulls to stay under it.
    public var maxEnvelopeSizeKB: Int
    /// `Service/MaxConcurrentOperationsPerUser`: open enumerations one user may hold (MS-WSMV
    /// 3.1.4.1.19); one more Enumerate gets Windows' quota fault. The simulators have one
    /// account, so this counts every open enumeration.
    public var maxConcurrentOperationsPerUser: Int

    /// Windows' defaults: no Basic, nothing in the clear, no certificates, channel binding Relaxed, 500 KiB
    /// envelopes, 1500 operations.
    public init(allowBasic: Bool = false, allowUnencrypted: Bool = false, allowCertificate: Bool = false,
                cbtHardeningLevel: CbtHardeningLevel = .relaxed, maxEnvelopeSizeKB: Int = 500, maxConcurrentOperationsPerUser: Int = 1500) {
        self.allowBasic = allowBasic
        self.allowUnencrypted = allowUnencrypted
        self.allowCertificate = allowCertificate
        self.cbtHardeningLevel = cbtHardeningLevel
        self.maxEnvelopeSizeKB = maxEnvelopeSizeKB
        self.maxConcurrentOperationsPerUser = maxConcurrentOperationsPerUser
    }

    /// `maxEnvelopeSizeKB` in octets, as `w:MaxEnvelopeSize` counts.
    public var maxEnvelopeSizeBytes: Int { maxEnvelopeSizeKB * 1024 }

    /// Both leniencies (Basic, SOAP in the clear), for a test of something else than the
    /// listener's policy; the limits stay Windows'.
    public static let lenient = WinRMListenerPolicy(allowBasic: true, allowUnencrypted: true)
}
