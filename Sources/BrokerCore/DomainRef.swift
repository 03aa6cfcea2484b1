/// How the broker names a VM to the backend that owns it.
public enum DomainRef: Sendable, Hashable, CustomStringConvertible {
    /// The backend's own name for the VM.
    case name(String)
    /// The VM's UUID.
    case uuid(String)

    public var description: String {
        switch self {
        case .name(let name): name
        case .uuid(let uuid): uuid
        }
    }
}
