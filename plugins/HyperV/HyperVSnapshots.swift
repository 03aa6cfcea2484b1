import BrokerCore
import Foundation

/// A VM's checkpoints from its `Msvm_VirtualSystemSettingData` rows of type
/// `Microsoft:Hyper-V:Snapshot:Realized`: each row's `Parent` is the WMI object path of the
/// checkpoint it was taken on (empty for a root), and the VM's realized settings' `Parent` names
/// the current one. Ordered parents before children, siblings oldest first.
struct HyperVSnapshots {
    let snapshots: [DomainSnapshot]

    init(rows: [[String: String]], current: String?) {
        struct Node { var id: String; var snapshot: DomainSnapshot; var parentID: String? }
        var nodes: [Node] = rows.compactMap { row in
            guard let id = row["InstanceID"] else { return nil }
            let snapshot = DomainSnapshot(name: row["ElementName"] ?? id, description: row["Notes"].flatMap { $0.isEmpty ? nil : $0 },
                                          creationTime: row["CreationTime"].flatMap(Self.epochSeconds),
                                          isCurrent: current?.lowercased() == id.lowercased(), id: id)
            return Node(id: id, snapshot: snapshot, parentID: row["Parent"].flatMap(Self.instanceID(inPath:)))
        }
        nodes.sort { ($0.snapshot.creationTime ?? 0, $0.id) < ($1.snapshot.creationTime ?? 0, $1.id) }
        let names = Dictionary(nodes.map { ($0.id.lowercased(), $0.snapshot.name) }, uniquingKeysWith: { first, _ in first })
        // Parents before children: roots (or checkpoints whose parent is not listed) first, then
        // each level, oldest first within it.
        var ordered: [DomainSnapshot] = []
        var placed: Set<String> = []
        var remaining = nodes
        while !remaining.isEmpty {
            let ready = remaining.filter { node in node.parentID.map { placed.contains($0.lowercased()) || names[$0.lowercased()] == nil } ?? true }
            let batch = ready.isEmpty ? remaining : ready
            for node in batch {
                var snapshot = node.snapshot
                snapshot.parent = node.parentID.flatMap { names[$0.lowercased()] }
                ordered.append(snapshot)
                placed.insert(node.id.lowercased())
            }
            let taken = Set(batch.map(\.id))
            remaining.removeAll { taken.contains($0.id) }
        }
        snapshots = ordered
    }

    /// The `InstanceID` key of a WMI object path such as
    /// `\\HV01\root\virtualization\v2:Msvm_VirtualSystemSettingData.InstanceID="Microsoft:…"`
    /// (`\\` and `\"` unescaped); nil for an empty path.
    static func instanceID(inPath path: String) -> String? {
        guard let range = path.range(of: "InstanceID=\"", options: .caseInsensitive) else { return nil }
        var value = ""
        var escaping = false
        for character in path[range.upperBound...] {
            if escaping {
                value.append(character)
                escaping = false
            } else if character == "\\" {
                escaping = true
            } else if character == "\"" {
                return value
            } else {
                value.append(character)
            }
        }
        return nil
    }

    /// A CIM datetime as WinRM writes it (`2026-12-05T03:07:49Z`, fractions or an offset
    /// allowed) or in DMTF form (`20261205030749.000000+000`), as seconds since the epoch.
    static func epochSeconds(_ text: String) -> Int64? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.count >= 14, trimmed.prefix(14).allSatisfy(\.isNumber) {
            var components = DateComponents()
            let digits = Array(trimmed)
            func number(_ start: Int, _ length: Int) -> Int { Int(String(digits[start..<start + length])) ?? 0 }
            components.year = number(0, 4); components.month = number(4, 2); components.day = number(6, 2)
            components.hour = number(8, 2); components.minute = number(10, 2); components.second = number(12, 2)
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "UTC")!
            guard let date = calendar.date(from: components) else { return nil }
            var offsetMinutes = 0
            if digits.count >= 25, let sign = ["+": 1, "-": -1][String(digits[21])] { offsetMinutes = sign * number(22, 3) }
            return Int64(date.timeIntervalSince1970) - Int64(offsetMinutes * 60)
        }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: trimmed) { return Int64(date.timeIntervalSince1970) }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: trimmed).map { Int64($0.timeIntervalSince1970) }
    }
}
