import BrokerCore
import Foundation
import Logging
import Simulators
import Testing

/// Paths and helpers shared by the plugin tests.
enum Fixture {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../..").standardizedFileURL
    static func config(_ name: String) -> String { root.appendingPathComponent("config/\(name)").path }
    static let credentials = Credentials(username: "administrator", password: "s3cret")
    static let logger = Logger(label: "virtfed.test.plugins")
}

/// Follows a job the way the service does (`jobStatus` until it is no longer running); a
/// failed job comes back as its error. A define's `domainUUID` is kept, as the service keeps it.
func finished(_ status: JobStatus, on session: any BackendSession, timeout: Duration = .seconds(10)) async throws(BackendError) -> JobStatus {
    var current = status
    let deadline = ContinuousClock.now + timeout
    while current.phase == .running, let job = current.jobID {
        guard ContinuousClock.now < deadline else { throw BackendError(.timeout, "job \(job) still running") }
        try? await Task.sleep(for: .milliseconds(20))
        current = try await session.jobStatus(job)
        current.domainUUID = current.domainUUID ?? status.domainUUID  // the service keeps the define's VM
    }
    return current
}

/// The error a call threw, or nil (recorded as an issue) if it did not throw.
func failure<T>(_ call: () async throws(BackendError) -> T, sourceLocation: SourceLocation = #_sourceLocation) async -> BackendError? {
    do {
        _ = try await call()
        Issue.record("expected a BackendError", sourceLocation: sourceLocation)
        return nil
    } catch {
        return error
    }
}
