import Foundation

/// A blocking connection to a Unix socket that speaks one line per message. The CLI's
/// calls are sequential, so a plain socket serves; it runs off the cooperative pool.
final class UnixLineConnection {
    /// Why the connection failed.
    struct Failure: Error {
        let errno: Int32
        let message: String
    }

    private let descriptor: Int32
    private var buffer: [UInt8] = []

    init(path: String) throws(Failure) {
        descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw Failure(errno: errno, message: String(cString: strerror(errno))) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            close(descriptor)
            throw Failure(errno: ENAMETOOLONG, message: "socket path too long")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard connected == 0 else {
            let failure = Failure(errno: errno, message: String(cString: strerror(errno)))
            close(descriptor)
            throw failure
        }
    }

    deinit { close(descriptor) }

    /// Sends one line (the newline is added).
    func send(_ line: Data) throws(Failure) {
        var payload = [UInt8](line)
        payload.append(UInt8(ascii: "\n"))
        var sent = 0
        while sent < payload.count {
            let written = payload[sent...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                throw Failure(errno: errno, message: String(cString: strerror(errno)))
            }
            sent += written
        }
    }

    /// Reads one line (without its newline); throws when the peer closes first.
    func receive() throws(Failure) -> Data {
        // Without a deadline there is always a line or a failure.
        try receive(until: nil)!
    }

    /// Reads one line, or nil when `deadline` passes first.
    func receive(until deadline: ContinuousClock.Instant?) throws(Failure) -> Data? {
        var chunk = [UInt8](repeating: 0, count: 1 << 18)
        // Bytes already searched for the newline: a long line (a 37 MB listing) is read in
        // many chunks, and each is searched once.
        var searched = 0
        while true {
            if let newline = buffer[searched...].firstIndex(of: UInt8(ascii: "\n")) {
                let line = Data(buffer[..<newline])
                buffer.removeSubrange(...newline)
                return line
            }
            searched = buffer.count
            if let deadline {
                let left = deadline - .now
                if left <= .zero { return nil }
                var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
                let milliseconds = Int32(min(Double(Int32.max), max(1, (Double(left.components.seconds) * 1000 + Double(left.components.attoseconds) / 1e15).rounded(.up))))
                let ready = poll(&poller, 1, milliseconds)
                if ready < 0 && errno == EINTR { continue }
                if ready == 0 { continue }
            }
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else {
                throw Failure(errno: count == 0 ? ECONNRESET : errno, message: "the daemon closed the connection")
            }
            buffer.append(contentsOf: chunk[..<count])
        }
    }
}
