import BrokerCore
import Foundation
import JSONRPC

/// The audit trail of mutating calls: one JSON line each, appended with a single `write` to
/// an `O_APPEND` file and synced to disk before the caller is answered. At open, a torn last
/// line (a crash mid-write) is closed with a newline so that it never merges with the next.
final class AuditLog: Sendable {
    /// One record.
    struct Entry: Encodable {
        let time: String
        let peer: PeerCredentials?
        let listener: String
        let method: String
        let domain: String?
        let route: String?
        let result: String
        let code: String?
        let message: String?

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(time, forKey: .time)
            try container.encode(peer, forKey: .peer)
            try container.encode(listener, forKey: .listener)
            try container.encode(method, forKey: .method)
            try container.encode(domain, forKey: .domain)
            try container.encode(route, forKey: .route)
            try container.encode(result, forKey: .result)
            try container.encode(code, forKey: .code)
            try container.encode(message, forKey: .message)
        }

        enum CodingKeys: String, CodingKey { case time, peer, listener, method, domain, route, result, code, message }
    }

    private let descriptor: Int32
    private let queue = BlockingQueue(label: "virtfed.audit")

    init(path: String) throws {
        descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw BackendError(.internal, "cannot open the audit log \(path): \(String(cString: strerror(errno)))")
        }
        // Close a torn last line left by a crash.
        let reader = open(path, O_RDONLY | O_CLOEXEC)
        if reader >= 0 {
            var last: UInt8 = 0
            if lseek(reader, -1, SEEK_END) >= 0, read(reader, &last, 1) == 1, last != UInt8(ascii: "\n") {
                _ = "\n".withCString { write(descriptor, $0, 1) }
            }
            close(reader)
        }
    }

    deinit { close(descriptor) }

    /// Appends and syncs one entry, off the caller's thread.
    func record(_ entry: Entry) async {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard var line = try? encoder.encode(entry) else { return }
        line.append(UInt8(ascii: "\n"))
        let descriptor = self.descriptor
        let bytes = line
        _ = try? await queue.run { () throws(BackendError) in
            bytes.withUnsafeBytes { raw in
                _ = write(descriptor, raw.baseAddress, raw.count)
            }
            fdatasync(descriptor)
        }
    }

    static func timestamp() -> String {
        Date().formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
    }
}
