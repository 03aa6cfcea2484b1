/// The lifecycle operations a backend may offer. Their raw values are the verbs of the CLI
/// and the suffixes of the JSON-RPC methods (`domain.start`).
public enum DomainAction: String, Sendable, Codable, CaseIterable {
    /// Boot a defined, inactive VM (or restore it from a saved state).
    case start
    /// Ask the guest to shut down (ACPI or integration services).
    case shutdown
    /// Power off at once.
    case destroy
    /// Ask the guest to reboot.
    case reboot
    /// Hard reset, like pressing the reset button.
    case reset
    /// Pause the VM in memory.
    case suspend
    /// Continue a paused VM.
    case resume
    /// Save the VM's memory to disk and stop it (libvirt's managed save, Hyper-V's save state).
    case save
}
