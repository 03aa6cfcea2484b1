/// An `<interface>` of a definition: a network adapter a new VM gets, and what it is plugged into.
public struct DefinedInterface: Sendable, Equatable {
    /// `<interface type='…'>`: `network`, `bridge`, `ethernet`, `user` …
    public var type: String
    /// What it is plugged into: `<source network='…'>` or `<source bridge='…'>` (a Hyper-V or
    /// SCVMM virtual switch or VM network); nil for an adapter left unconnected.
    public var network: String?
    /// `<mac address='…'>`, lowercased; nil lets the backend choose one.
    public var mac: String?
    /// `<model type='…'>`.
    public var model: String?

    /// Creates an interface.
    public init(type: String, network: String? = nil, mac: String? = nil, model: String? = nil) {
        self.type = type
        self.network = network
        self.mac = mac?.lowercased()
        self.model = model
    }

    /// The MAC as 12 hex digits without separators (Hyper-V's and SCVMM's `Address`), nil when
    /// none was given or it is not six octets.
    public var bareMAC: String? {
        guard let mac else { return nil }
        let octets = mac.split(separator: ":", omittingEmptySubsequences: false)
        guard octets.count == 6, octets.allSatisfy({ $0.count == 2 && $0.allSatisfy(\.isHexDigit) }) else { return nil }
        return octets.joined().uppercased()
    }
}
