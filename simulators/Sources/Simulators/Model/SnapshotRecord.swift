import Foundation

/// One checkpoint of a simulated VM: a `Msvm_VirtualSystemSettingData` of type
/// `Microsoft:Hyper-V:Snapshot:Realized`, with the settings the VM had when it was taken.
struct SnapshotRecord: Sendable, Codable {
    /// Uppercase GUID; the settings' `InstanceID` is `Microsoft:<id>`.
    var id: String
    /// `ElementName` (Hyper-V's default: "VM - (M/d/yyyy - h:mm:ss tt)").
    var name: String
    /// `Notes`.
    var notes: String?
    /// `CreationTime`.
    var created: Date
    /// The snapshot it was taken on top of (its `Parent`), if any.
    var parentID: String?
    /// The VM's `EnabledState` when it was taken: a standard checkpoint of a running (or paused)
    /// VM holds its memory, so applying it leaves the VM Saved; otherwise Off.
    var takenState: Int
    /// The VM's settings then (name, processors, memory, notes), restored by `ApplySnapshot`.
    var spec: VMSpec

    /// Hyper-V's default name for a checkpoint of `vmName` taken at `date` (host local time;
    /// the simulator's host runs in UTC): `web-01 - (12/5/2026 - 3:07:49 AM)`.
    static func defaultName(vmName: String, at date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let hour24 = parts.hour ?? 0
        let hour = hour24 % 12 == 0 ? 12 : hour24 % 12
        let minute = String(format: "%02d", parts.minute ?? 0), second = String(format: "%02d", parts.second ?? 0)
        return "\(vmName) - (\(parts.month ?? 1)/\(parts.day ?? 1)/\(parts.year ?? 1970) - \(hour):\(minute):\(second) \(hour24 < 12 ? "AM" : "PM"))"
    }
}
