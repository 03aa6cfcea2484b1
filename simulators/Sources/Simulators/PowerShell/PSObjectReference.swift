/// The simulated entity an object stands for.
public enum PSObjectReference: Sendable, Equatable, Hashable {
    /// A VMM management server.
    case server
    /// A VM host, by ID.
    case host(String)
    /// A virtual machine, by ID.
    case virtualMachine(String)
    /// A VMM job, by ID.
    case job(String)
    /// A VM checkpoint, by CheckpointID.
    case checkpoint(String)
    /// A hardware profile, by ID.
    case hardwareProfile(String)
    /// A VM template, by ID.
    case template(String)
}
