import ArgumentParser
import BrokerAPI
import BrokerCore
import Synchronization

/// `virtfed event [DOMAIN] [--all] [--loop] [--timeout S]`: waits for lifecycle events, as
/// `virsh event` does, from every backend of the federation at once.
struct Event: ClientCommand {
    static let configuration = CommandConfiguration(
        commandName: "event",
        abstract: "Wait for VM lifecycle events from every backend (virsh event).",
        discussion: "Needs the daemon. Prints one line per event; --json prints one JSON object per line."
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "Only this VM: backend/name, bare name or UUID.")
    var domain: String?

    @Flag(help: "Backend events too (a backend going down or coming back), besides lifecycle events.")
    var all = false

    @Flag(help: "Keep waiting after the first event.")
    var loop = false

    @Option(help: "Stop after this many seconds.")
    var timeout: Int?

    @Option(name: .customLong("backend"), help: "Only events from this backend (repeatable).")
    var backends: [String] = []

    func validate() throws {
        if let timeout, timeout <= 0 { throw ValidationError("--timeout must be a positive number of seconds") }
    }

    func run(with client: any FederationClient) async throws(BackendError) -> ExitCode {
        let filter = EventFilter(backends: backends.isEmpty ? nil : backends, domains: domain.map { [$0] }, jobs: all)
        let deadline = timeout.map { ContinuousClock.now + .seconds($0) }
        let received = Mutex(0)
        let (json, all, loop) = (global.json, all, loop)
        try await client.watchEvents(filter, until: deadline) { event in
            guard let line = Self.line(event, json: json, all: all) else { return true }
            Output.print(line)
            received.withLock { $0 += 1 }
            return loop
        }
        if !json {
            if let deadline, ContinuousClock.now >= deadline { Output.print("event loop timed out") }
            Output.print("events received: \(received.withLock { $0 })")
        }
        return ExitStatus.success
    }

    /// The line printed for an event (nil: not shown), in virsh's words for lifecycle events.
    static func line(_ event: BrokerEvent, json: Bool, all: Bool) -> String? {
        switch event {
        case .domain(let record):
            if json { return Output.compactJSON(record) }
            let detail = record.detail.map { " " + $0.capitalizedFirst } ?? ""
            return "event 'lifecycle' for domain '\(record.domain)': \(record.type.rawValue.capitalizedFirst)\(detail)"
        case .backend(let record):
            guard all else { return nil }
            if json { return Output.compactJSON(record) }
            return "event 'backend' for backend '\(record.backend)': \(record.type.rawValue)" + (record.message.map { " (\($0))" } ?? "")
        case .job(let record):
            guard all else { return nil }
            if json { return Output.compactJSON(record) }
            return "event 'job' \(record.id) for domain '\(record.domain)': \(record.action.rawValue) \(record.state.rawValue) \(record.percent)%"
                + (record.message.map { " (\($0))" } ?? "")
        case .lost(let count):
            if json { return Output.compactJSON(["lost": count]) }
            return "events lost: \(count) (this client fell behind)"
        }
    }
}

extension String {
    fileprivate var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
