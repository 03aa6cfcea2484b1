/// The params of the changes beyond lifecycle actions (`domain.define`, `domain.undefine`,
/// `domain.migrate`, `domain.set_autostart`, `snapshot.*`), one shape for all: each method
/// takes the members docs/API.md lists for it and refuses any other; absent members are not sent.
public struct ChangeParams: Sendable, Codable {
    /// The VM: `backend/name`, a UUID, or an unambiguous bare name (not for `domain.define`).
    public var domain: String?
    /// `domain.define`: the backend to create the VM on, its host (SCVMM), and the domain XML.
    public var backend: String?
    public var host: String?
    public var xml: String?
    /// `domain.define`: a template to make the VM from (SCVMM).
    public var template: String?
    /// `domain.migrate`: `backend` or `backend/host`, and whether to move it running.
    public var to: String?
    public var live: Bool?
    /// `snapshot.create`: the new snapshot's name (nil: the backend's choice) and description.
    public var name: String?
    public var description: String?
    /// `snapshot.revert`, `snapshot.delete`, `snapshot.xml`: the snapshot's name; `children`
    /// deletes its descendants too.
    public var snapshot: String?
    public var children: Bool?
    /// `domain.undefine`: remove snapshot metadata and the managed-save image too.
    public var snapshotsMetadata: Bool?
    public var managedSave: Bool?
    /// `domain.set_autostart`.
    public var enabled: Bool?
    /// How long to wait for the job to end before answering with it running.
    public var waitMs: Int?

    /// Creates params; set the members the method takes.
    public init(domain: String? = nil) {
        self.domain = domain
    }

    enum CodingKeys: String, CodingKey {
        case domain, backend, host, template, xml, to, live, name, description, snapshot, children, enabled
        case snapshotsMetadata = "snapshots_metadata"
        case managedSave = "managed_save"
        case waitMs = "wait_ms"
    }
}
