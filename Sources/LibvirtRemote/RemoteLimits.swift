/// The protocol's bounds (virnetprotocol.x, remote_protocol.x).
public enum RemoteLimits {
    /// The largest packet, length word included (`VIR_NET_MESSAGE_MAX`).
    public static let messageMax = 16 * 1024 * 1024
    /// The header's size (`VIR_NET_MESSAGE_HEADER_MAX`).
    public static let headerSize = 24
    /// The length word's size.
    public static let lengthSize = 4
    /// `REMOTE_STRING_MAX`.
    public static let stringMax: UInt32 = 4_194_304
    /// `REMOTE_DOMAIN_LIST_MAX` (also the name and id list bounds).
    public static let domainListMax: UInt32 = 16384
    /// `REMOTE_CONNECT_GET_ALL_DOMAIN_STATS_MAX`.
    public static let domainStatsMax: UInt32 = 262_144
}
