/// The libvirt release whose remote protocol this implementation follows (Debian 12's 9.0.0).
/// Clients read it as the daemon's library version (`virConnectGetLibVersion`) and use it to
/// decide which calls they may make.
public enum RemoteProtocolLevel {
    /// major × 1,000,000 + minor × 1,000 + release.
    public static let libvirtVersion: UInt64 = 9_000_000
}
