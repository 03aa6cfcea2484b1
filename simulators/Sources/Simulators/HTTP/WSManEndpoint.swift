import NIOCore

/// What the HTTP side (`WSManHTTPServer`) serves on `/wsman`: request bytes in, a reply out —
/// at once (the Hyper-V WMI service) or later (a WinRM shell's Receive that waits for output).
public protocol WSManEndpoint: Sendable {
    /// The host name put in faults' `Machine` attribute and in NTLM's TargetInfo (`hv01.lab.local`).
    var machineName: String { get }
    /// Whether `body` is a WS-Management Identify request (answered without authentication when
    /// the client sends `WSMANIDENTIFY: unauthenticated`).
    func identifies(_ body: [UInt8]) -> Bool
    /// Answers one request body; the future completes on `eventLoop`.
    func reply(to body: [UInt8], on eventLoop: any EventLoop) -> EventLoopFuture<WSManReply>
    /// Takes a VM a peer simulator migrates here (`POST /virtfed-sim/migration`): the HTTP status
    /// and text; nil when this endpoint takes none (the path is then not found).
    func receiveMigration(_ body: [UInt8]) -> (status: Int, text: String)?
}

extension WSManEndpoint {
    /// Takes no migrations.
    public func receiveMigration(_ body: [UInt8]) -> (status: Int, text: String)? { nil }
}

extension WSManService: WSManEndpoint {
    /// The host's DNS name (its NetBIOS name when it has none).
    public var machineName: String { model.host.dnsHostName.isEmpty ? model.host.name : model.host.dnsHostName }

    /// `isIdentify(_:)`.
    public func identifies(_ body: [UInt8]) -> Bool { isIdentify(body) }

    /// `HyperVModel.receiveMigration(_:)`.
    public func receiveMigration(_ body: [UInt8]) -> (status: Int, text: String)? { model.receiveMigration(body) }

    /// `handle(_:)`, answered at once.
    public func reply(to body: [UInt8], on eventLoop: any EventLoop) -> EventLoopFuture<WSManReply> {
        eventLoop.makeSucceededFuture(handle(body))
    }
}
