import Foundation
import Logging
import NIOCore
import NIOPosix
import SocketServer
import Synchronization
import Testing

@Suite("The shared server skeleton")
struct ListeningServerTests {
    let group = MultiThreadedEventLoopGroup.singleton
    let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    func scratchPath(_ name: String) -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sockserver-\(UUID().uuidString.prefix(8))")
        return directory.appendingPathComponent(name).path
    }

    func connect(_ path: String) async throws -> any Channel {
        try await ClientBootstrap(group: group).connect(unixDomainSocketPath: path).get()
    }

    /// Leaves a socket file at `path` that nothing listens on, as a crashed process would.
    func bindAndAbandon(_ path: String) -> Bool {
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: Array(path.utf8) + [0])
        }
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        } == 0
    }

    /// Waits (bounded) until `condition` holds.
    func eventually(_ condition: () -> Bool) async throws {
        for _ in 0..<500 where !condition() { try await Task.sleep(for: .milliseconds(10)) }
    }

    /// Runs `server` in a task and waits until it listens.
    func start(_ server: ListeningServer, listened: Box<(any Channel)?>) -> Task<Void, any Error> {
        Task { try await server.run { channel in listened.withLock { $0 = channel } } }
    }

    @Test func publishesTracksLimitsAndRemovesItsSocketFile() async throws {
        let path = scratchPath("rw.sock")
        let seen = Box<[ListeningServer.Connection]>([])
        let server = ListeningServer(
            configuration: .init(endpoint: .unixSocket(UnixSocketFile(path: path, mode: 0o640, group: nil)), maxConnections: 2),
            group: group, logger: logger
        ) { _, connection in seen.withLock { $0.append(connection) } }
        let listened = Box<(any Channel)?>(nil)
        let running = start(server, listened: listened)
        try await eventually { listened.withLock { $0 != nil } }

        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o640)
        #expect(FileManager.default.fileExists(atPath: path + ".\(getpid()).binding") == false)

        var clients: [any Channel] = []
        for _ in 0..<3 { clients.append(try await connect(path)) }
        try await eventually { server.connections == 3 }
        #expect(server.connections == 3)
        #expect(seen.withLock { $0.map(\.isOverLimit) } == [false, false, true])
        #expect(Set(seen.withLock { $0.map(\.id) }).count == 3)

        try await clients[0].close()
        try await eventually { server.connections == 2 }
        #expect(server.connections == 2)

        server.shutdown()
        try await running.value
        #expect(!FileManager.default.fileExists(atPath: path))
        for client in clients.dropFirst() { try await client.closeFuture.get() }
        try await eventually { server.connections == 0 }
        #expect(server.connections == 0)
    }

    @Test func replacesAStaleSocketButNeverALiveOne() async throws {
        let path = scratchPath("ro.sock")
        let endpoint = ListenEndpoint.unixSocket(UnixSocketFile(path: path, mode: 0o600, group: nil))
        let first = ListeningServer(configuration: .init(endpoint: endpoint, maxConnections: 4), group: group, logger: logger) { _, _ in }
        let listened = Box<(any Channel)?>(nil)
        let running = start(first, listened: listened)
        try await eventually { listened.withLock { $0 != nil } }

        let second = ListeningServer(configuration: .init(endpoint: endpoint, maxConnections: 4), group: group, logger: logger) { _, _ in }
        await #expect(throws: UnixSocketFile.Failure.self) { try await second.run { _ in } }
        #expect(FileManager.default.fileExists(atPath: path))
        first.shutdown()
        try await running.value

        // A socket file nobody answers on (a crashed daemon's) is replaced.
        try #require(bindAndAbandon(path))
        #expect(FileManager.default.fileExists(atPath: path))
        let third = ListeningServer(configuration: .init(endpoint: endpoint, maxConnections: 4), group: group, logger: logger) { _, _ in }
        let relistened = Box<(any Channel)?>(nil)
        let rerunning = start(third, listened: relistened)
        try await eventually { relistened.withLock { $0 != nil } }
        let client = try await connect(path)
        third.shutdown()
        try await rerunning.value
        try await client.closeFuture.get()
    }

    @Test func drainsCallsInFlightBeforeClosingClients() async throws {
        let path = scratchPath("drain.sock")
        let server = ListeningServer(
            configuration: .init(endpoint: .unixSocket(UnixSocketFile(path: path, mode: 0o600, group: nil)), maxConnections: 4,
                                 drainTimeout: .seconds(10)),
            group: group, logger: logger
        ) { _, _ in }
        let listened = Box<(any Channel)?>(nil)
        let running = start(server, listened: listened)
        try await eventually { listened.withLock { $0 != nil } }
        let client = try await connect(path)
        try await eventually { server.connections == 1 }

        server.tracker.callStarted()
        server.shutdown()
        try await Task.sleep(for: .milliseconds(100))
        #expect(client.isActive)
        #expect(server.connections == 1)
        server.tracker.callFinished()
        try await running.value
        try await client.closeFuture.get()
        try await eventually { server.connections == 0 }
        #expect(server.connections == 0)
    }

    @Test func abandonsCallsPastTheDrainTimeout() async throws {
        let path = scratchPath("abandon.sock")
        let server = ListeningServer(
            configuration: .init(endpoint: .unixSocket(UnixSocketFile(path: path, mode: 0o600, group: nil)), maxConnections: 4,
                                 drainTimeout: .milliseconds(50)),
            group: group, logger: logger
        ) { _, _ in }
        let listened = Box<(any Channel)?>(nil)
        let running = start(server, listened: listened)
        try await eventually { listened.withLock { $0 != nil } }
        server.tracker.callStarted()
        running.cancel()
        try await running.value
        #expect(server.tracker.calls == 1)
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func readsThePeersCredentials() async throws {
        let path = scratchPath("peer.sock")
        let peer = Box<PeerCredentials?>(nil)
        let server = ListeningServer(
            configuration: .init(endpoint: .unixSocket(UnixSocketFile(path: path, mode: 0o600, group: nil)), maxConnections: 4),
            group: group, logger: logger
        ) { channel, _ in
            try channel.pipeline.syncOperations.addHandler(PeerReader(peer: peer))
        }
        let listened = Box<(any Channel)?>(nil)
        let running = start(server, listened: listened)
        try await eventually { listened.withLock { $0 != nil } }
        let client = try await connect(path)
        try await eventually { peer.withLock { $0 != nil } }
        #expect(peer.withLock { $0 } == PeerCredentials(pid: getpid(), uid: getuid(), gid: getgid()))
        server.shutdown()
        try await running.value
        try await client.closeFuture.get()
    }

    @Test func announcesListeningAndStopped() async throws {
        let path = scratchPath("log.sock")
        let lines = Box<[String]>([])
        let logger = Logger(label: "test", factory: { _ in LineCapture(lines: lines) })
        let server = ListeningServer(
            configuration: .init(endpoint: .unixSocket(UnixSocketFile(path: path, mode: 0o600, group: nil)), maxConnections: 4),
            group: group, logger: logger
        ) { _, _ in }
        let running = Task { try await server.run(label: "libvirt-ro", announcing: "listening (libvirt protocol)") }
        try await eventually { lines.withLock { !$0.isEmpty } }
        server.shutdown()
        try await running.value
        #expect(lines.withLock { $0 } == [
            "info listening (libvirt protocol) listener=libvirt-ro socket=\(path)",
            "info stopped socket=\(path)",
        ])
    }

    @Test func listensOnTCPWithTheBoundPort() async throws {
        let server = ListeningServer(
            configuration: .init(endpoint: .tcp(host: "127.0.0.1", port: 0), backlog: 8, maxConnections: 1), group: group, logger: logger
        ) { _, connection in
            if connection.isOverLimit { throw ChannelError.ioOnClosedChannel }
        }
        let listened = Box<(any Channel)?>(nil)
        let running = start(server, listened: listened)
        try await eventually { listened.withLock { $0 != nil } }
        let port = try #require(listened.withLock { $0?.localAddress?.port })
        #expect(port != 0)
        let first = try await ClientBootstrap(group: group).connect(host: "127.0.0.1", port: port).get()
        try await eventually { server.connections == 1 }
        // Over the limit: the pipeline throws, so NIO closes the connection.
        let second = try await ClientBootstrap(group: group).connect(host: "127.0.0.1", port: port).get()
        try await second.closeFuture.get()
        #expect(first.isActive)
        server.shutdown()
        try await running.value
        try await first.closeFuture.get()
    }
}

/// Reads the peer's credentials once the connection is active.
final class PeerReader: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    let peer: Box<PeerCredentials?>

    init(peer: Box<PeerCredentials?>) {
        self.peer = peer
    }

    func channelActive(context: ChannelHandlerContext) {
        let credentials = PeerCredentials(of: context.channel)
        peer.withLock { $0 = credentials }
        context.fireChannelActive()
    }
}

/// A value shared between the test and the server's event loops.
final class Box<Value: Sendable>: Sendable {
    private let value: Mutex<Value>

    init(_ value: Value) {
        self.value = Mutex(value)
    }

    func withLock<Result: Sendable>(_ body: (inout Value) -> Result) -> Result {
        value.withLock { body(&$0) }
    }
}

/// Keeps each log line as `level message key=value…`, keys sorted.
struct LineCapture: LogHandler {
    let lines: Box<[String]>
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String, file: String,
             function: String, line: UInt) {
        let pairs = (metadata ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        lines.withLock { $0.append((["\(level)", "\(message)"] + pairs).joined(separator: " ")) }
    }
}
