/// A snapshot to take.
public struct SnapshotRequest: Sendable, Equatable, Codable {
    /// Its name; nil lets the backend choose (libvirt: the time; Hyper-V: "VM - (date)").
    public var name: String?
    /// A free text description.
    public var description: String?

    /// Creates a request.
    public init(name: String?, description: String? = nil) {
        self.name = name
        self.description = description
    }
}
