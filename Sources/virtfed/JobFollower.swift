import BrokerAPI
import BrokerCore
import Dispatch
import Foundation
import Synchronization

/// Follows a running job until it ends, showing its progress on stderr: on a terminal a bar
/// redrawn in place, otherwise one line whenever the percent or the message changes (nothing
/// with `--json`). Ctrl-C detaches — the job goes on in the daemon — and says how to follow it.
struct JobFollower {
    let client: any FederationClient
    let json: Bool
    /// Between two looks at the job.
    var interval: Duration = .milliseconds(250)

    /// How long an action's call waits for its job before the command follows it: most libvirt
    /// actions are done by then, and a long job's progress shows at once (Ctrl-C detaches).
    static let firstWait: Duration = .milliseconds(250)

    /// The job's final record, or nil when the user detached.
    func follow(_ start: JobRecord) async throws(BackendError) -> JobRecord? {
        let interrupted = Interrupts()
        defer { interrupted.stop() }
        let terminal = isatty(STDERR_FILENO) == 1 && !json
        var job = start
        var shown: (Int, String?)?
        while true {
            if !json && (shown == nil || shown! != (job.percent, job.message)) {
                Self.show(job, terminal: terminal)
                shown = (job.percent, job.message)
            }
            if job.state.isFinal {
                if terminal { FileHandle.standardError.write(Data("\n".utf8)) }
                return job
            }
            if interrupted.happened {
                if terminal { FileHandle.standardError.write(Data("\n".utf8)) }
                Output.warning("detached from job \(job.id); it goes on in the daemon. Follow it with 'virtfed job \(job.id)', cancel it with 'virtfed job-cancel \(job.id)'")
                return nil
            }
            try? await Task.sleep(for: interval)
            job = try await client.job(job.id)
        }
    }

    /// One progress report.
    static func show(_ job: JobRecord, terminal: Bool) {
        let message = job.message.map { "  \($0)" } ?? ""
        if terminal {
            let width = 30, filled = width * min(100, max(0, job.percent)) / 100
            let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
            let line = "\r\u{1B}[2K\(job.action.rawValue) \(job.domain) [\(bar)] \(String(format: "%3d", job.percent))%\(message)"
            FileHandle.standardError.write(Data(line.utf8))
        } else {
            FileHandle.standardError.write(Data("job \(job.id): \(job.action.rawValue) \(job.domain) \(job.state.rawValue) \(job.percent)%\(message)\n".utf8))
        }
    }
}

/// SIGINT, caught while a job is followed (and the default behaviour restored after).
private final class Interrupts {
    private final class Flag: Sendable {
        let raised = Atomic<Bool>(false)
    }

    private let flag = Flag()
    private let source: any DispatchSourceSignal

    init() {
        signal(SIGINT, SIG_IGN)
        source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler { [flag] in flag.raised.store(true, ordering: .relaxed) }
        source.resume()
    }

    var happened: Bool { flag.raised.load(ordering: .relaxed) }

    func stop() {
        source.cancel()
        signal(SIGINT, SIG_DFL)
    }
}
