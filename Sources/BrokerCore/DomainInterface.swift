/// One network interface of a VM: what it is (for the domain XML) and, where measured, its
/// traffic since the VM started.
public struct DomainInterface: Sendable, Equatable, Codable {
    /// The host side's device name (libvirt `target dev`: `vnet0`), where there is one.
    public var target: String?
    /// The MAC address, `aa:bb:cc:dd:ee:ff`, lowercased.
    public var mac: String?
    /// What it is plugged into: a libvirt bridge or network, a Hyper-V or SCVMM virtual switch.
    public var network: String?
    /// The model (`virtio`, `e1000`, `netvsc`).
    public var model: String?
    /// Bytes received.
    public var rxBytes: UInt64?
    /// Packets received.
    public var rxPackets: UInt64?
    /// Receive errors.
    public var rxErrors: UInt64?
    /// Received packets dropped.
    public var rxDrops: UInt64?
    /// Bytes sent.
    public var txBytes: UInt64?
    /// Packets sent.
    public var txPackets: UInt64?
    /// Send errors.
    public var txErrors: UInt64?
    /// Sent packets dropped.
    public var txDrops: UInt64?

    enum CodingKeys: String, CodingKey {
        case target, mac, network, model
        case rxBytes = "rx_bytes"
        case rxPackets = "rx_packets"
        case rxErrors = "rx_errors"
        case rxDrops = "rx_drops"
        case txBytes = "tx_bytes"
        case txPackets = "tx_packets"
        case txErrors = "tx_errors"
        case txDrops = "tx_drops"
    }

    /// Creates a record.
    public init(
        target: String? = nil, mac: String? = nil, network: String? = nil, model: String? = nil,
        rxBytes: UInt64? = nil, rxPackets: UInt64? = nil, rxErrors: UInt64? = nil, rxDrops: UInt64? = nil,
        txBytes: UInt64? = nil, txPackets: UInt64? = nil, txErrors: UInt64? = nil, txDrops: UInt64? = nil
    ) {
        self.target = target
        self.mac = mac?.lowercased()
        self.network = network
        self.model = model
        self.rxBytes = rxBytes
        self.rxPackets = rxPackets
        self.rxErrors = rxErrors
        self.rxDrops = rxDrops
        self.txBytes = txBytes
        self.txPackets = txPackets
        self.txErrors = txErrors
        self.txDrops = txDrops
    }
}
