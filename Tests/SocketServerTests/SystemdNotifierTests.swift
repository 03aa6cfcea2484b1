import Foundation
import SystemdSupport
import Testing

/// `sd_notify` without libsystemd: the datagram reaches a socket bound where `NOTIFY_SOCKET`
/// says, a path or an abstract name; anything else means no service manager.
@Suite struct SystemdNotifierTests {
    /// A datagram socket bound to `address` (a leading 0 byte: the abstract namespace).
    private func bound(_ address: [UInt8]) throws -> Int32 {
        let descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        var storage = sockaddr_un()
        storage.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &storage.sun_path) { $0.copyBytes(from: address) }
        let length = socklen_t(MemoryLayout<sockaddr_un>.offset(of: \.sun_path)! + address.count)
        let result = withUnsafePointer(to: &storage) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) } }
        try #require(result == 0, "bind: errno \(errno)")
        return descriptor
    }

    private func receive(_ descriptor: Int32) -> String? {
        var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, 5000) == 1 else { return nil }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = recv(descriptor, &buffer, buffer.count, 0)
        return count > 0 ? String(decoding: buffer[..<count], as: UTF8.self) : nil
    }

    @Test func notifiesAPathSocket() throws {
        let path = "/tmp/vf-notify-\(UUID().uuidString.prefix(8))"
        let descriptor = try bound(Array(path.utf8))
        defer { close(descriptor); unlink(path) }
        let notifier = try #require(SystemdNotifier(environment: ["NOTIFY_SOCKET": path]))
        try notifier.ready(status: "serving 3 backends")
        #expect(receive(descriptor) == "READY=1\nSTATUS=serving 3 backends")
        try notifier.reloading()
        let reloading = receive(descriptor) ?? ""
        let lines = reloading.split(separator: "\n")
        #expect(lines.first == "RELOADING=1" && lines.count == 3, "\(reloading)")
        #expect(lines.dropFirst().first.map { $0.hasPrefix("MONOTONIC_USEC=") && UInt64($0.dropFirst(15)) ?? 0 > 0 } == true, "\(reloading)")
        try notifier.stopping()
        #expect(receive(descriptor) == "STOPPING=1\nSTATUS=stopping")
    }

    @Test func notifiesAnAbstractSocket() throws {
        let name = "vf-notify-\(UUID().uuidString.prefix(8))"
        let descriptor = try bound([0] + Array(name.utf8))
        defer { close(descriptor) }
        let notifier = try #require(SystemdNotifier(environment: ["NOTIFY_SOCKET": "@" + name]))
        try notifier.ready(status: "up")
        #expect(receive(descriptor) == "READY=1\nSTATUS=up")
    }

    @Test func noServiceManagerMeansNoNotifier() {
        #expect(SystemdNotifier(environment: [:]) == nil)
        #expect(SystemdNotifier(environment: ["NOTIFY_SOCKET": "relative/path"]) == nil)
        #expect(SystemdNotifier(environment: ["NOTIFY_SOCKET": "/" + String(repeating: "x", count: 200)]) == nil)
    }

    @Test func aVanishedManagerIsAnErrorNotACrash() throws {
        let notifier = try #require(SystemdNotifier(environment: ["NOTIFY_SOCKET": "/tmp/vf-nobody-listens-\(UUID().uuidString.prefix(8))"]))
        #expect(throws: SystemdNotifier.Failure.self) { try notifier.ready(status: "up") }
    }
}
