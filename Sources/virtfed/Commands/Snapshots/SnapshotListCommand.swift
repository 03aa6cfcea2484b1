import ArgumentParser
import BrokerAPI
import BrokerCore
import Foundation

/// `virtfed snapshot-list D [--parent] [--tree]`: a VM's snapshots, in virsh's table or tree.
struct SnapshotListCommand: ClientCommand {
    static let configuration = CommandConfiguration(commandName: "snapshot-list", abstract: "List a VM's snapshots (checkpoints).")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "backend/name, UUID, or an unambiguous name.")
    var domain: String

    @Flag(help: "Add each snapshot's parent.")
    var parent = false

    @Flag(help: "Draw the snapshots as a tree.")
    var tree = false

    func run(with client: any FederationClient) async throws(BackendError) -> ExitCode {
        let list = try await client.snapshots(of: domain)
        if global.json {
            Output.json(list)
        } else if tree {
            Output.print(Self.tree(list.snapshots), terminator: "")
        } else {
            var table = parent ? Table("Name", "Creation Time", "State", "Parent") : Table("Name", "Creation Time", "State")
            for snapshot in list.snapshots {
                let time = snapshot.creationTime.map(Self.time) ?? "-"
                let state = Self.state(snapshot.state)
                if parent { table.add(snapshot.name, time, state, snapshot.parent ?? "") } else { table.add(snapshot.name, time, state) }
            }
            Output.print(table.rendered)
        }
        return ExitStatus.success
    }

    /// virsh's `--tree`: each root, its children below it behind `+-`.
    static func tree(_ snapshots: [DomainSnapshot]) -> String {
        let names = Set(snapshots.map(\.name))
        var children: [String: [String]] = [:]
        for snapshot in snapshots { children[snapshot.parent.flatMap { names.contains($0) ? $0 : nil } ?? "", default: []].append(snapshot.name) }
        var out = ""
        func draw(_ name: String, prefix: String, last: Bool, root: Bool) {
            out += root ? "\(name)\n" : "\(prefix)+- \(name)\n"
            let kids = children[name] ?? []
            let inner = root ? "  " : prefix + (last ? "    " : "|   ")
            for (index, kid) in kids.enumerated() {
                out += "\(inner)|\n"
                draw(kid, prefix: inner, last: index == kids.count - 1, root: false)
            }
        }
        for root in children[""] ?? [] {
            draw(root, prefix: "", last: true, root: true)
            out += "\n"
        }
        return out
    }

    /// virsh's creation time: `2024-01-31 10:00:00 +0000`.
    static func time(_ seconds: Int64) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss Z"
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }

    /// libvirt's words for the VM's state in a snapshot.
    static func state(_ state: DomainState?) -> String {
        switch state {
        case .running?: "running"
        case .paused?: "paused"
        case .saved?: "saved"
        case nil: "-"
        default: "shutoff"
        }
    }
}
