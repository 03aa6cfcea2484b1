import ArgumentParser
import BrokerAPI
import BrokerCore
import Foundation

/// `virtfed top`: the busiest VMs across the federation — CPU % of their vCPUs, memory in use,
/// disk and network bytes per second — refreshed every `--interval` seconds. On a terminal:
/// `c`, `m`, `d`, `n` sort by CPU, memory, disk, network; `q` quits. Otherwise (or with
/// `--once`) one table, from two samples `--interval` apart, then exit.
struct Top: ClientCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the busiest VMs across every backend, refreshing (q quits; c/m/d/n sort).")

    /// What the table is sorted by, busiest first.
    enum SortKey: String, ExpressibleByArgument, CaseIterable, Sendable {
        case cpu, memory, disk, net
    }

    @OptionGroup var global: GlobalOptions

    @Option(help: ArgumentHelp("Sort by cpu, memory, disk or net.", valueName: "key"))
    var sort: SortKey = .cpu

    @Option(help: ArgumentHelp("Seconds between samples.", valueName: "s"))
    var interval: Double = 5

    @Option(name: [.customShort("n"), .long], help: ArgumentHelp("Rows to show (default: what fits the terminal, or 20).", valueName: "n"))
    var rows: Int?

    @Flag(help: "Print one table and exit (the default when standard output is not a terminal).")
    var once = false

    func validate() throws {
        guard interval >= 0.2, interval <= 3600 else { throw ValidationError("--interval must be between 0.2 and 3600 seconds") }
        if let rows, rows < 1 { throw ValidationError("--rows must be at least 1") }
    }

    func run(with client: any FederationClient) async throws(BackendError) -> ExitCode {
        // Running VMs only; figures as the daemon's cache has them, as fresh as one interval.
        let query = DomainStatsQuery(filter: DomainFilter(all: false, maxAgeMs: Int(interval * 1000)))
        var before = try await client.statistics(query)
        let interactive = !once && !global.json && isatty(STDOUT_FILENO) == 1
        let terminal = interactive ? TerminalKeys() : nil
        defer { terminal?.restore() }
        var sortKey = sort
        if terminal == nil {
            try? await Task.sleep(for: .seconds(interval))
            let now = try await client.statistics(query)
            let lines = Self.table(now, before: before, sortKey: sortKey, rows: rows ?? 20)
            if global.json {
                Output.json(now)
            } else {
                Output.print(lines, terminator: "")
            }
            return ExitStatus.warnings(now.errors)
        }
        // Keys and refresh ticks, in one stream.
        let (events, sink) = AsyncStream.makeStream(of: UInt8?.self)
        let keys = terminal!.keys
        let forwardKeys = Task {
            for await key in keys { sink.yield(key) }
        }
        let ticks = Task { [interval] in
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(interval))
                sink.yield(nil)
            }
        }
        defer {
            forwardKeys.cancel()
            ticks.cancel()
        }
        var current = before
        draw(current, before: before, sortKey: sortKey)
        for await event in events {
            switch event {
            case UInt8(ascii: "q")?, UInt8(ascii: "Q")?: return ExitStatus.success
            case UInt8(ascii: "c")?: sortKey = .cpu
            case UInt8(ascii: "m")?: sortKey = .memory
            case UInt8(ascii: "d")?: sortKey = .disk
            case UInt8(ascii: "n")?: sortKey = .net
            case nil:
                let next = try await client.statistics(query)
                // Rates need figures read at different times: keep the older sample until then.
                if next.domains.map(\.sampledAt) != current.domains.map(\.sampledAt) { before = current }
                current = next
            default: continue
            }
            draw(current, before: before, sortKey: sortKey)
        }
        return ExitStatus.success
    }

    private func draw(_ current: DomainStatsList, before: DomainStatsList, sortKey: SortKey) {
        Output.print("\u{1B}[H\u{1B}[2J" + Self.header(current, sortKey: sortKey)
                     + Self.table(current, before: before, sortKey: sortKey, rows: rows ?? Self.terminalRows()), terminator: "")
    }

    private static func header(_ answer: DomainStatsList, sortKey: SortKey) -> String {
        let backends = Set(answer.domains.map(\.backend)).count
        return "virtfed top — \(answer.domains.count) running VMs on \(backends) backends, sorted by \(sortKey.rawValue)"
            + "   (c/m/d/n sort, q quits)\n\n"
    }

    /// The table, busiest first.
    static func table(_ now: DomainStatsList, before: DomainStatsList, sortKey: SortKey, rows: Int) -> String {
        let earlier = Dictionary(before.domains.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let loads = now.domains.map { ($0, LoadRates($0, before: earlier[$0.name])) }
        let sorted = loads.sorted { left, right in
            switch sortKey {
            case .cpu: (left.1.cpuPercent ?? -1) > (right.1.cpuPercent ?? -1)
            case .memory: left.1.memoryUsedKiB > right.1.memoryUsedKiB
            case .disk: (left.1.diskBytesPerSecond ?? -1) > (right.1.diskBytesPerSecond ?? -1)
            case .net: (left.1.netBytesPerSecond ?? -1) > (right.1.netBytesPerSecond ?? -1)
            }
        }
        var table = Table("Name", "Platform", "CPU%", "Mem MiB", "Disk KiB/s", "Net KiB/s", "Host")
        for (record, load) in sorted.prefix(rows) {
            table.add(record.name, record.platform ?? "-", load.cpuPercent.map { String(format: "%.1f", $0) } ?? "-",
                      "\(load.memoryUsedKiB / 1024)", load.diskBytesPerSecond.map { String(format: "%.1f", $0 / 1024) } ?? "-",
                      load.netBytesPerSecond.map { String(format: "%.1f", $0 / 1024) } ?? "-", record.host)
        }
        return table.rendered
    }

    /// The terminal's height less the header and the table's own lines.
    private static func terminalRows() -> Int {
        var size = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_row > 6 else { return 20 }
        return Int(size.ws_row) - 6
    }
}
