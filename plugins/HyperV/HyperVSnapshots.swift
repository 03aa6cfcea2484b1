import BrokerCore
import Foundation

/// A VM's checkpoints from its `Msvm_VirtualSystemSettingData` rows of type
/// `Microsoft:Hyper-V:Snapshot:Realized`: each row's `Parent` is the WMI object path of the
/// checkpoint it was taken on (empty for a root), and the VM's realized settings' `Parent` names
/// the current one. Ordered parents before children, siblings oldest first.
struct HyperVSnapshots {
    let snapshots: [DomainSnapshot]
    /// Each checkpoint's creation time to the fraction of a second (by InstanceID), to tell
    /// apart checkpoints of one second.
    let createdAt: [String: Double]

    init(rows: [[String: String]], current: String?) {
        struct Node { var id: String; var snapshot: DomainSnapshot; var parentID: String?; var created: Double; var index: Int }
        var nodes: [Node] = rows.enumerated().compactMap { index, row in
            guard let id = row["InstanceID"] else { return nil }
            let created = row["CreationTime"].flatMap(Self.date)?.timeIntervalSince1970
            let snapshot = DomainSnapshot(name: row["ElementName"] ?? id, description: row["Notes"].flatMap { $0.isEmpty ? nil : $0 },
                                          creationTime: created.map { Int64($0.rounded(.down)) },
                                          isCurrent: current?.lowercased() == id.lowercased(), id: id)
            return Node(id: id, snapshot: snapshot, parentID: row["Parent"].flatMap(Self.instanceID(inPath:)), created: created ?? 0, index: index)
        }
        // Oldest first; checkpoints of the same instant in the host's order.
        nodes.sort { ($0.created, $0.index) < ($1.created, $1.index) }
        createdAt = Dictionary(nodes.map { ($0.id, $0.created) }, uniquingKeysWith: { first, _ in first })
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

    /// The newest checkpoint of that name (Hyper-V allows two of one name; a name means the newest).
    func newest(named name: String) -> DomainSnapshot? {
        snapshots.enumerated().filter { $0.element.name == name }
            .max { (createdAt[$0.element.id ?? ""] ?? 0, $0.offset) < (createdAt[$1.element.id ?? ""] ?? 0, $1.offset) }?.element
    }

    /// A CIM datetime as WinRM writes it (`2026-12-05T03:07:49.123Z`, fractions or an offset
    /// allowed) or in DMTF form (`20261205030749.000000+000`).
    static func date(_ text: String) -> Date? {
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
            var offsetMinutes = 0, fraction = 0.0
            if digits.count >= 21, digits[14] == "." { fraction = Double("0." + String(digits[15..<21])) ?? 0 }
            if digits.count >= 25, let sign = ["+": 1, "-": -1][String(digits[21])] { offsetMinutes = sign * number(22, 3) }
            return date.addingTimeInterval(fraction - Double(offsetMinutes * 60))
        }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: trimmed) { return date }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: trimmed)
    }
}
