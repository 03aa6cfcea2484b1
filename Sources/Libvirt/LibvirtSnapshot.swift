import CLibvirt

/// The one owner of a `virDomainSnapshotPtr`. Its name is read from the handle; every other
/// method is a blocking libvirt call.
public final class LibvirtSnapshot: @unchecked Sendable {
    private let pointer: virDomainSnapshotPtr

    /// Takes ownership of a snapshot pointer libvirt returned (freed on deinit).
    init(adopting pointer: virDomainSnapshotPtr) {
        self.pointer = pointer
    }

    deinit { virDomainSnapshotFree(pointer) }

    /// The snapshot's name.
    public var name: String { virDomainSnapshotGetName(pointer).map { String(cString: $0) } ?? "" }

    /// `virDomainSnapshotGetXMLDesc`: libvirt's snapshot XML.
    public func xml() throws(LibvirtError) -> String {
        guard let xml = virDomainSnapshotGetXMLDesc(pointer, 0) else { throw LibvirtError.takeLast(or: "cannot get the snapshot's XML") }
        defer { free(xml) }
        return String(cString: xml)
    }

    /// `virDomainSnapshotIsCurrent`.
    public func isCurrent() throws(LibvirtError) -> Bool {
        let result = virDomainSnapshotIsCurrent(pointer, 0)
        guard result >= 0 else { throw LibvirtError.takeLast(or: "cannot tell whether the snapshot is current") }
        return result == 1
    }

    /// `virDomainRevertToSnapshot`.
    public func revert() throws(LibvirtError) {
        guard virDomainRevertToSnapshot(pointer, 0) == 0 else { throw LibvirtError.takeLast(or: "cannot revert to the snapshot") }
    }

    /// `virDomainSnapshotDelete`; with `children`, its descendants too.
    public func delete(children: Bool) throws(LibvirtError) {
        let flags = children ? UInt32(VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN.rawValue) : 0
        guard virDomainSnapshotDelete(pointer, flags) == 0 else { throw LibvirtError.takeLast(or: "cannot delete the snapshot") }
    }
}
