import Foundation

/// A real `virtfedd` process on sockets in a scratch directory, stopped when released.
final class Daemon {
    let directory: URL
    let configPath: String
    let pid: pid_t
    var socket: String { directory.appendingPathComponent("rw.sock").path }
    var readonlySocket: String { directory.appendingPathComponent("ro.sock").path }
    var auditLog: String { directory.appendingPathComponent("audit.log").path }
    var logFile: String { directory.appendingPathComponent("virtfedd.log").path }
    private var exitStatus: Int32?

    /// `daemonExtra` goes into `[daemon]`; `backends` become `[[backends]]` tables; `launcher`
    /// runs the daemon (e.g. `taskset -c 0`).
    init(backends: [(name: String, uri: String, extra: String)], daemonExtra: String = "", directory: URL? = nil,
         environment: [String: String] = [:], logLevel: String = "debug", launcher: [String] = []) throws {
        self.directory = try directory ?? scratchDirectory("vfd")
        configPath = self.directory.appendingPathComponent("virtfed.toml").path
        try Daemon.writeConfig(configPath, directory: self.directory, backends: backends, daemonExtra: daemonExtra)
        let command = launcher + [Paths.binDirectory + "/virtfedd", "--config", configPath, "--log-level", logLevel]
        pid = try spawn(command[0], Array(command.dropFirst()),
                        environment: ProcessInfo.processInfo.environment.merging(environment) { $1 }, stdout: "/dev/null",
                        stderr: self.directory.appendingPathComponent("virtfedd.log").path)
        // Ready when both sockets accept connections (a file alone may precede listen()).
        let readOnly = self.directory.appendingPathComponent("ro.sock").path
        var ready = false
        for _ in 0..<1000 where !ready && !hasExited {
            ready = (try? LineClient(path: socket)) != nil && (try? LineClient(path: readOnly)) != nil
            if !ready { usleep(10_000) }
        }
        guard ready else { throw FleetError(message: "virtfedd did not start:\n\(log)") }
    }

    static func writeConfig(_ path: String, directory: URL, backends: [(name: String, uri: String, extra: String)], daemonExtra: String) throws {
        var text = """
            [daemon]
            socket = "\(directory.path)/rw.sock"
            readonly_socket = "\(directory.path)/ro.sock"
            audit_log = "\(directory.path)/audit.log"
            \(daemonExtra)

            """
        for backend in backends {
            text += "[[backends]]\nname = \"\(backend.name)\"\nuri = \"\(backend.uri)\"\n\(backend.extra)\n\n"
        }
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    deinit {
        if !hasExited {
            kill(pid, SIGKILL)
            _ = waitForExit(seconds: 5)
        }
        try? FileManager.default.removeItem(at: directory)
    }

    var log: String { (try? String(contentsOfFile: logFile, encoding: .utf8)) ?? "" }

    /// The `/metrics` URL of a daemon started with `metrics = "127.0.0.1:0"`, from its log (5 s at most).
    func metricsURL() throws -> String {
        for _ in 0..<500 {
            if let range = log.range(of: "url=http://127.0.0.1:"), let port = Int(log[range.upperBound...].prefix(while: \.isNumber)) {
                return "http://127.0.0.1:\(port)/metrics"
            }
            usleep(10_000)
        }
        throw FleetError(message: "no 'metrics listening' line:\n\(log)")
    }

    /// Whether the process has ended (reaping it if so).
    var hasExited: Bool {
        if exitStatus != nil { return true }
        var status: Int32 = 0
        if waitpid(pid, &status, WNOHANG) == pid {
            exitStatus = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
            return true
        }
        return false
    }

    func signal(_ number: Int32) { kill(pid, number) }

    /// Waits for the process to end; its exit status, or nil on time-out.
    func waitForExit(seconds: Double) -> Int32? {
        let deadline = Date().addingTimeInterval(seconds)
        while !hasExited && Date() < deadline { usleep(10_000) }
        return exitStatus
    }

    /// One call on a fresh connection; the answer line (nil when none came).
    func call(_ line: String, socket: String? = nil, timeout: Double = 20) throws -> String? {
        let client = try LineClient(path: socket ?? self.socket)
        try client.send(line)
        return try client.receive(timeout: timeout)
    }

    /// One call, decoded.
    func request(_ method: String, _ params: String = "{}", id: Int = 1, socket: String? = nil) throws -> [String: Any] {
        let line = #"{"jsonrpc":"2.0","method":"\#(method)","params":\#(params),"id":\#(id)}"#
        guard let answer = try call(line, socket: socket),
              let object = try JSONSerialization.jsonObject(with: Data(answer.utf8)) as? [String: Any] else {
            throw FleetError(message: "no answer to \(method)")
        }
        return object
    }
}

/// A plain blocking Unix-socket client speaking one line per message.
final class LineClient {
    let descriptor: Int32
    private var buffer: [UInt8] = []

    init(path: String) throws {
        descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard connected == 0 else {
            // Not closed here: the initializer has set every property, so the deinitializer runs
            // and closes it. Closing it twice could close a descriptor another thread has just
            // been given the same number for (a file being written: EBADF).
            throw FleetError(message: "connect \(path): \(String(cString: strerror(errno)))")
        }
    }

    deinit { close(descriptor) }

    func send(_ line: String, newline: Bool = true) throws {
        try sendBytes(Array(line.utf8) + (newline ? [UInt8(ascii: "\n")] : []))
    }

    func sendBytes(_ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            let written = bytes[sent...].withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard written > 0 else { throw FleetError(message: "send: \(String(cString: strerror(errno)))") }
            sent += written
        }
    }

    /// The next line, or nil if none arrives within `timeout` seconds or the peer closes.
    func receive(timeout: Double = 20) throws -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: buffer[..<newline], as: UTF8.self)
                buffer.removeSubrange(...newline)
                return line
            }
            let remaining = deadline.timeIntervalSinceNow
            guard remaining > 0 else { return nil }
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, Int32(min(remaining, 1) * 1000)) >= 0 else { return nil }
            if poller.revents == 0 { continue }
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            guard count > 0 else { return nil }
            buffer.append(contentsOf: chunk[..<count])
        }
    }

    /// Whether the server closed the connection (within `timeout`).
    func isClosedByPeer(timeout: Double = 5) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        var chunk = [UInt8](repeating: 0, count: 4096)
        while Date() < deadline {
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            if poll(&poller, 1, 100) > 0 {
                let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
                if count <= 0 { return true }
            }
        }
        return false
    }
}

/// Parses a JSON answer line.
func parse(_ line: String?) -> Any? {
    line.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) }
}
