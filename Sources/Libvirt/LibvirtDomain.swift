import CLibvirt

/// The one owner of a `virDomainPtr`. Name, UUID and id are read from the handle itself (no
/// round trip); every other method is a blocking libvirt call.
public final class LibvirtDomain: @unchecked Sendable {
    private let pointer: virDomainPtr

    /// Takes ownership of a domain pointer libvirt returned (freed on deinit).
    init(adopting pointer: virDomainPtr) {
        self.pointer = pointer
    }

    deinit { virDomainFree(pointer) }

    /// The domain's name.
    public var name: String { virDomainGetName(pointer).map { String(cString: $0) } ?? "" }

    /// The domain's UUID, lowercased string form (formatted here: libvirt's own formatting
    /// goes through printf, which shows up when listing thousands of domains).
    public private(set) lazy var uuid: String = {
        var raw = [UInt8](repeating: 0, count: Int(VIR_UUID_BUFLEN))
        guard raw.withUnsafeMutableBufferPointer({ virDomainGetUUID(pointer, $0.baseAddress) }) == 0 else { return "" }
        let digits = Array("0123456789abcdef".utf8)
        var text = [UInt8]()
        text.reserveCapacity(36)
        for (index, byte) in raw.enumerated() {
            if index == 4 || index == 6 || index == 8 || index == 10 { text.append(UInt8(ascii: "-")) }
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }()

    /// The hypervisor id while running; nil when inactive.
    public var id: Int? {
        let id = virDomainGetID(pointer)
        return id == UInt32.max ? nil : Int(id)
    }

    /// `virDomainGetInfo`: state, memory, vCPUs, CPU time.
    public func info() throws(LibvirtError) -> LibvirtDomainInfo {
        var info = virDomainInfo()
        guard virDomainGetInfo(pointer, &info) == 0 else { throw LibvirtError.takeLast(or: "cannot get domain info") }
        return LibvirtDomainInfo(info)
    }

    /// `virDomainBlockStats` of the disk whose target (or source path) is `disk`.
    public func blockStats(_ disk: String) throws(LibvirtError) -> LibvirtBlockStats {
        var stats = virDomainBlockStatsStruct()
        guard virDomainBlockStats(pointer, disk, &stats, MemoryLayout<virDomainBlockStatsStruct>.size) == 0 else {
            throw LibvirtError.takeLast(or: "cannot get block stats of \(disk)")
        }
        return LibvirtBlockStats(stats)
    }

    /// `virDomainInterfaceStats` of the interface whose target device (or MAC) is `device`.
    public func interfaceStats(_ device: String) throws(LibvirtError) -> LibvirtInterfaceStats {
        var stats = virDomainInterfaceStatsStruct()
        guard virDomainInterfaceStats(pointer, device, &stats, MemoryLayout<virDomainInterfaceStatsStruct>.size) == 0 else {
            throw LibvirtError.takeLast(or: "cannot get interface stats of \(device)")
        }
        return LibvirtInterfaceStats(stats)
    }

    /// `virDomainGetState`: the state and its reason.
    public func state() throws(LibvirtError) -> (state: Int32, reason: Int32) {
        var state: Int32 = 0
        var reason: Int32 = 0
        guard virDomainGetState(pointer, &state, &reason, 0) == 0 else {
            throw LibvirtError.takeLast(or: "cannot get domain state")
        }
        return (state, reason)
    }

    /// Whether the domain has a persistent definition.
    public func isPersistent() throws(LibvirtError) -> Bool {
        try flag(virDomainIsPersistent(pointer), "persistence")
    }

    /// Whether the domain starts with its host.
    public func autostart() throws(LibvirtError) -> Bool {
        var value: Int32 = 0
        guard virDomainGetAutostart(pointer, &value) == 0 else { throw LibvirtError.takeLast(or: "cannot get autostart") }
        return value != 0
    }

    /// Whether the domain has a managed-save image.
    public func hasManagedSaveImage() throws(LibvirtError) -> Bool {
        try flag(virDomainHasManagedSaveImage(pointer, 0), "managed save")
    }

    /// The domain's XML definition.
    public func xml(flags: UInt32 = 0) throws(LibvirtError) -> String {
        guard let xml = virDomainGetXMLDesc(pointer, flags) else { throw LibvirtError.takeLast(or: "cannot get domain XML") }
        defer { free(xml) }
        return String(cString: xml)
    }

    /// `virDomainCreate`: boot (or restore from the managed-save image).
    public func create() throws(LibvirtError) { try check(virDomainCreate(pointer), "start") }
    /// `virDomainShutdown`: ask the guest to shut down.
    public func shutdown() throws(LibvirtError) { try check(virDomainShutdown(pointer), "shut down") }
    /// `virDomainDestroy`: power off at once.
    public func destroy() throws(LibvirtError) { try check(virDomainDestroy(pointer), "destroy") }
    /// `virDomainReboot`: ask the guest to reboot.
    public func reboot() throws(LibvirtError) { try check(virDomainReboot(pointer, 0), "reboot") }
    /// `virDomainReset`: hard reset.
    public func reset() throws(LibvirtError) { try check(virDomainReset(pointer, 0), "reset") }
    /// `virDomainSuspend`: pause.
    public func suspend() throws(LibvirtError) { try check(virDomainSuspend(pointer), "suspend") }
    /// `virDomainResume`: continue.
    public func resume() throws(LibvirtError) { try check(virDomainResume(pointer), "resume") }
    /// `virDomainManagedSave`: save to the managed image and stop.
    public func managedSave() throws(LibvirtError) { try check(virDomainManagedSave(pointer, 0), "save") }

    /// `virDomainUndefineFlags`: remove the definition (`VIR_DOMAIN_UNDEFINE_*` flags).
    public func undefine(flags: LibvirtUndefineFlags) throws(LibvirtError) {
        try check(virDomainUndefineFlags(pointer, flags.rawValue), "undefine")
    }

    /// `virDomainSetAutostart`.
    public func setAutostart(_ enabled: Bool) throws(LibvirtError) {
        try check(virDomainSetAutostart(pointer, enabled ? 1 : 0), "set autostart of")
    }

    /// `virDomainSnapshotCreateXML`: takes a snapshot described by `xml`.
    public func createSnapshot(xml: String) throws(LibvirtError) -> LibvirtSnapshot {
        guard let snapshot = virDomainSnapshotCreateXML(pointer, xml, 0) else { throw LibvirtError.takeLast(or: "cannot take a snapshot") }
        return LibvirtSnapshot(adopting: snapshot)
    }

    /// `virDomainListAllSnapshots`: every snapshot, in libvirt's order.
    public func snapshots() throws(LibvirtError) -> [LibvirtSnapshot] {
        var list: UnsafeMutablePointer<virDomainSnapshotPtr?>?
        let count = virDomainListAllSnapshots(pointer, &list, UInt32(VIR_DOMAIN_SNAPSHOT_LIST_TOPOLOGICAL.rawValue))
        guard count >= 0, let list else { throw LibvirtError.takeLast(or: "cannot list snapshots") }
        defer { free(list) }
        return (0..<Int(count)).compactMap { list[$0].map(LibvirtSnapshot.init(adopting:)) }
    }

    /// `virDomainSnapshotLookupByName`.
    public func snapshot(named name: String) throws(LibvirtError) -> LibvirtSnapshot {
        guard let snapshot = virDomainSnapshotLookupByName(pointer, name, 0) else {
            throw LibvirtError.takeLast(or: "no snapshot named \(name)")
        }
        return LibvirtSnapshot(adopting: snapshot)
    }

    /// `virDomainMigrateToURI3` to the libvirt URI `destination`, peer to peer (the source
    /// host dials the destination): live while running, offline otherwise; the definition
    /// moves with it (persisted there, removed here).
    public func migrate(to destination: String, live: Bool) throws(LibvirtError) {
        let active = virDomainIsActive(pointer)
        guard active >= 0 else { throw LibvirtError.takeLast(or: "cannot tell whether the domain runs") }
        var flags = VIR_MIGRATE_PEER2PEER.rawValue | VIR_MIGRATE_PERSIST_DEST.rawValue | VIR_MIGRATE_UNDEFINE_SOURCE.rawValue
        flags |= active == 1 ? (live ? VIR_MIGRATE_LIVE.rawValue : 0) : VIR_MIGRATE_OFFLINE.rawValue
        try check(virDomainMigrateToURI3(pointer, destination, nil, 0, flags), "migrate")
    }

    private func check(_ result: Int32, _ what: String) throws(LibvirtError) {
        guard result == 0 else { throw LibvirtError.takeLast(or: "cannot \(what) the domain") }
    }

    private func flag(_ result: Int32, _ what: String) throws(LibvirtError) -> Bool {
        guard result >= 0 else { throw LibvirtError.takeLast(or: "cannot get \(what)") }
        return result == 1
    }
}
