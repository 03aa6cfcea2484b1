import BlockingWork
import BrokerCore
import Foundation

/// The audit trail as a file: one JSON line per call, appended with a single `write` to an
/// `O_APPEND` file and synced to disk before the caller is answered. At open, a torn last
/// line (a crash mid-write) is closed with a newline so that it never merges with the next.
public final class AuditLog: AuditTrail {
    private let descriptor: Int32
    private let path: String
    /// Writes and syncs block; one thread for the trail, off the cooperative pool.
    private static let pool = BlockingPool(name: "virtfed-audit", threads: 1)
    private let queue = BlockingQueue(label: "virtfed.audit", pool: AuditLog.pool)

    /// Opens (or creates, mode 0600) the file.
    public init(path: String) throws(BackendError) {
        self.path = path
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
    public func record(_ entry: AuditEntry) async throws(BackendError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard var line = try? encoder.encode(entry) else { throw BackendError(.internal, "cannot encode an audit record") }
        line.append(UInt8(ascii: "\n"))
        let (descriptor, path, bytes) = (self.descriptor, self.path, line)
        try await queue.run { () throws(BackendError) in
            let written = bytes.withUnsafeBytes { raw in write(descriptor, raw.baseAddress, raw.count) }
            guard written == bytes.count, fdatasync(descriptor) == 0 else {
                throw BackendError(.internal, "cannot write the audit log \(path): \(String(cString: strerror(errno)))")
            }
        }
    }

    /// Now, as the trail writes times (ISO 8601, UTC, milliseconds).
    public static func timestamp() -> String {
        Date().formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
    }
}
