/// Another simulated Hyper-V host this one can move VMs to (`--migration-peer NAME=127.0.0.1:PORT`):
/// the name a client gives as `DestinationHost`, and the loopback address of that simulator,
/// which takes the VM on its private `POST /virtfed-sim/migration` path.
public struct MigrationPeer: Sendable, Equatable {
    /// The host name as `DestinationHost` names it (compared case-insensitively, short or full).
    public var name: String
    /// The peer simulator's loopback host (`127.x.x.x`, `::1`, `localhost`).
    public var host: String
    /// Its port.
    public var port: Int

    /// Creates a peer; nil unless `host` is a loopback address.
    public init?(name: String, host: String, port: Int) {
        let lowered = host.lowercased()
        guard !name.isEmpty, (1...65535).contains(port),
              lowered.hasPrefix("127.") || lowered == "::1" || lowered == "[::1]" || lowered == "localhost" else { return nil }
        self.name = name
        self.host = lowered == "[::1]" ? "::1" : lowered
        self.port = port
    }

    /// Parses `NAME=HOST:PORT` (the flag's form); nil when malformed or not loopback.
    public init?(argument: String) {
        guard let equals = argument.firstIndex(of: "="), let colon = argument.lastIndex(of: ":"), colon > equals,
              let port = Int(argument[argument.index(after: colon)...]) else { return nil }
        self.init(name: String(argument[..<equals]), host: String(argument[argument.index(after: equals)..<colon]), port: port)
    }

    /// Whether `DestinationHost` names this peer (its full name, or the first label of either).
    func matches(_ destination: String) -> Bool {
        let wanted = destination.lowercased(), mine = name.lowercased()
        return wanted == mine || wanted.split(separator: ".").first == mine.split(separator: ".").first
    }

    /// The private path the peer takes VMs on.
    public static let path = "/virtfed-sim/migration"
}
