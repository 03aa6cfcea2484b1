import BrokerCore
import Foundation

/// A VM's checkpoints as `Get-SCVMCheckpoint` reports them (Name, Description, CheckpointID,
/// ParentCheckpointID, AddedTime), ordered parents before children, siblings oldest first;
/// the current one is the VM's `LastRestoredCheckpointID` when it is listed, else the newest.
struct SCVMMCheckpoints {
    struct Entry: Equatable {
        var id: String
        var name: String
        var description: String?
        var parentID: String?
        var added: Double
    }

    let entries: [Entry]
    let current: String?

    /// Decodes the checkpoints script's stdout.
    init(json: [UInt8]) throws(BackendError) {
        guard let root = try? JSONSerialization.jsonObject(with: Data(json), options: [.fragmentsAllowed]) as? [String: Any] else {
            throw BackendError(.internal, "SCVMM answered a checkpoint query with malformed JSON (\(json.count) bytes)")
        }
        // Windows PowerShell 5.1 writes one element as the object itself, several as an array.
        let rows: [[String: Any]]
        switch root["checkpoints"] {
        case let array as [[String: Any]]: rows = array
        case let one as [String: Any]: rows = one["value"] as? [[String: Any]] ?? [one]
        default: rows = []
        }
        var entries: [Entry] = rows.enumerated().compactMap { index, row in
            guard let id = (row["CheckpointID"] as? String)?.lowercased(), !id.isEmpty else { return nil }
            let parent = (row["ParentCheckpointID"] as? String).flatMap { $0.isEmpty || $0 == "00000000-0000-0000-0000-000000000000" ? nil : $0.lowercased() }
            let description = (row["Description"] as? String).flatMap { $0.isEmpty ? nil : $0 }
            return Entry(id: id, name: row["Name"] as? String ?? id, description: description, parentID: parent,
                         added: Self.seconds(row["AddedTime"]) ?? Double(index) / 1000)
        }
        entries.sort { $0.added < $1.added }
        let ids = Set(entries.map(\.id))
        let restored = (root["lastRestored"] as? String)?.lowercased()
        current = restored.flatMap { ids.contains($0) ? $0 : nil } ?? entries.last?.id
        // Parents before children.
        var ordered: [Entry] = [], placed: Set<String> = [], remaining = entries
        while !remaining.isEmpty {
            let ready = remaining.filter { $0.parentID.map { placed.contains($0) || !ids.contains($0) } ?? true }
            let batch = ready.isEmpty ? remaining : ready
            ordered += batch
            placed.formUnion(batch.map(\.id))
            remaining.removeAll { entry in batch.contains { $0.id == entry.id } }
        }
        self.entries = ordered
    }

    /// As the contract's records.
    var snapshots: [DomainSnapshot] {
        let names = Dictionary(entries.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        return entries.map { entry in
            DomainSnapshot(name: entry.name, description: entry.description, parent: entry.parentID.flatMap { names[$0] },
                           creationTime: Int64(entry.added.rounded(.down)), isCurrent: entry.id == current, id: entry.id)
        }
    }

    /// The newest checkpoint of that name (VMM allows two of one name).
    func newest(named name: String) -> Entry? {
        entries.filter { $0.name == name }.max { $0.added < $1.added }
    }

    /// Every descendant of `id`, deepest first (children before their parents).
    func descendants(of id: String) -> [String] {
        var out: [String] = []
        func visit(_ parent: String) {
            for child in entries where child.parentID == parent {
                visit(child.id)
                out.append(child.id)
            }
        }
        visit(id)
        return out
    }

    /// `/Date(ms)/` (ConvertTo-Json's DateTime) or an ISO 8601 text, as seconds since the epoch.
    static func seconds(_ value: Any?) -> Double? {
        guard let text = value as? String else { return (value as? NSNumber)?.doubleValue }
        if let open = text.range(of: "/Date("), let close = text.range(of: ")/", range: open.upperBound..<text.endIndex) {
            let digits = text[open.upperBound..<close.lowerBound].prefix { $0.isNumber || $0 == "-" }
            return Double(digits).map { $0 / 1000 }
        }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date.timeIntervalSince1970 }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)?.timeIntervalSince1970
    }
}
