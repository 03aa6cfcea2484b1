import BrokerAPI
import BrokerCore
import Federation
import Foundation
import Logging
import StateStore
import Testing

/// The state database with real SQLite files: jobs kept in the order asked for, replaced as
/// they change, trimmed to the newest ended ones; audit records committed; both readable again
/// after reopening.
@Suite struct StateStoreTests {
    func scratch() throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vf-state-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return directory
    }

    func job(_ id: String, _ state: JobRecord.State, percent: Int = 0) -> JobRecord {
        JobRecord(id: id, domain: "hv01/web-01", uuid: "6c3c5d2e-0000-0000-0000-000000000001", route: "hv01", action: .save, state: state,
                  percent: percent, message: nil, started: "2026-12-04T10:00:00.000Z", finished: state == .running ? nil : "2026-12-04T10:00:05.000Z",
                  backendJobID: "JOB-\(id)", resultingState: state == .completed ? .saved : nil, code: nil)
    }

    @Test func jobsSurviveReopeningInOrderAndAreTrimmed() async throws {
        let directory = try scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/virtfed.db"
        do {
            // Retention 2: trimmed once 1 job (a tenth, at least one) has ended since the last trim.
            let journal = SQLiteJobJournal(try StateDatabase(path: path), retention: 2, logger: Logger(label: "test"))
            for id in ["a", "b", "c", "d"] { journal.save(job(id, .running)) }
            journal.save(job("b", .running, percent: 40))
            for id in ["a", "b", "c"] { journal.save(job(id, .completed, percent: 100)) }
            await journal.flush()
        }
        let reopened = SQLiteJobJournal(try StateDatabase(path: path), retention: 2, logger: Logger(label: "test"))
        let kept = try await reopened.load()
        // "a" was the oldest ended job; "d" still runs and is never trimmed.
        #expect(kept.map(\.id) == ["b", "c", "d"])
        #expect(kept[0] == job("b", .completed, percent: 100))
        #expect(kept[2].state == .running && kept[2].backendJobID == "JOB-d" && kept[2].uuid == job("d", .running).uuid)
        // Readable by the daemon alone, its WAL too.
        for file in [path, path + "-wal"] {
            var info = stat()
            #expect(stat(file, &info) == 0 && info.st_mode & 0o777 == 0o600, "\(file): \(String(info.st_mode & 0o777, radix: 8))")
        }
        // WAL mode.
        let mode = try runSQLite(path, "PRAGMA journal_mode;")
        #expect(mode == "wal")
    }

    @Test func auditRecordsAreCommitted() async throws {
        let directory = try scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/virtfed.db"
        let trail = SQLiteAuditTrail(try StateDatabase(path: path), logger: Logger(label: "test"))
        try await trail.record(AuditEntry(time: "2026-12-04T10:00:00.000Z", peer: (pid: 42, uid: 1000, gid: 1000), listener: "rw",
                                          method: "domain.save", domain: "hv01/web-01", route: nil, result: "sending", code: nil, message: nil))
        try await trail.record(AuditEntry(time: "2026-12-04T10:00:01.000Z", peer: nil, listener: "rw", method: "domain.save",
                                          domain: "hv01/web-01", route: "hv01", result: "ok", code: nil, message: nil))
        // The outcome is queued (committed within 20 ms); the "sending" record is already there.
        #expect(try runSQLite(path, "SELECT result FROM audit;") == "sending")
        await trail.flush()
        let rows = try runSQLite(path, "SELECT method, result, uid, route FROM audit ORDER BY sequence;")
        #expect(rows == "domain.save|sending|1000|\ndomain.save|ok||hv01")
    }

    @Test func anUnwritableDatabaseIsAClearError() async throws {
        #expect(throws: BackendError.self) { try StateDatabase(path: "/proc/virtfed-cannot-be-here/virtfed.db") }
    }

    /// Debian's sqlite3 reading the file, as an operator would.
    func runSQLite(_ path: String, _ sql: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = [path, sql]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
