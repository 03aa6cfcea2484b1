import CLibvirt

/// The one owner of a `virConnectPtr`. Every method is a blocking libvirt call: callers run
/// them on a thread of their own, never on Swift's cooperative pool or an event loop.
/// libvirt connections are thread-safe, hence `@unchecked Sendable`.
public final class LibvirtConnection: @unchecked Sendable {
    let pointer: virConnectPtr

    /// Opens a connection with `virConnectOpenAuth`; the credentials answer libvirt's prompts
    /// (esx, vpx, ssh …) and are never logged.
    public init(uri: String, username: String?, password: String?) throws(LibvirtError) {
        LibvirtRuntime.start()
        let answers = LibvirtAuthAnswers(username: username, password: password)
        let opened = answers.withAuth { auth in virConnectOpenAuth(uri, auth, 0) }
        guard let opened else { throw LibvirtError.takeLast(or: "cannot open \(uri)") }
        pointer = opened
    }

    deinit { virConnectClose(pointer) }

    /// Whether the connection is still usable (`virConnectIsAlive`, no round trip).
    public var isAlive: Bool { virConnectIsAlive(pointer) == 1 }

    /// Starts libvirt keepalive (remote connections only; the in-process test driver refuses).
    @discardableResult
    public func setKeepAlive(interval: Int32, count: UInt32) -> Bool {
        virConnectSetKeepAlive(pointer, interval, count) == 0
    }

    /// The host's name.
    public func hostname() throws(LibvirtError) -> String {
        try ownedString(virConnectGetHostname(pointer), "hostname")
    }

    /// The driver's hypervisor type (`QEMU`, `TEST`, `ESX` …).
    public func hypervisorType() throws(LibvirtError) -> String {
        guard let type = virConnectGetType(pointer) else { throw LibvirtError.takeLast(or: "cannot get the hypervisor type") }
        return String(cString: type)
    }

    /// The hypervisor's packed version (`major * 1_000_000 + minor * 1_000 + release`).
    public func hypervisorVersion() throws(LibvirtError) -> UInt {
        var version: UInt = 0
        guard virConnectGetVersion(pointer, &version) == 0 else { throw LibvirtError.takeLast(or: "cannot get the version") }
        return version
    }

    /// The host's hardware (`virNodeGetInfo`).
    public func nodeInfo() throws(LibvirtError) -> LibvirtNodeInfo {
        var info = virNodeInfo()
        guard virNodeGetInfo(pointer, &info) == 0 else { throw LibvirtError.takeLast(or: "cannot get node info") }
        return LibvirtNodeInfo(info)
    }

    /// All domains matching `filter` (all of them when empty), in one call.
    public func listAllDomains(_ filter: LibvirtListFilter = []) throws(LibvirtError) -> [LibvirtDomain] {
        var list: UnsafeMutablePointer<virDomainPtr?>?
        let count = virConnectListAllDomains(pointer, &list, filter.rawValue)
        guard count >= 0, let list else { throw LibvirtError.takeLast(or: "cannot list domains") }
        defer { free(list) }
        return (0..<Int(count)).compactMap { list[$0].map(LibvirtDomain.init(adopting:)) }
    }

    /// Bulk statistics for every domain (`virConnectGetAllDomainStats`), in one call.
    public func allDomainStats(_ groups: LibvirtStatsGroups) throws(LibvirtError) -> [LibvirtDomainStats] {
        var records: UnsafeMutablePointer<virDomainStatsRecordPtr?>?
        let count = virConnectGetAllDomainStats(pointer, groups.rawValue, &records, 0)
        guard count >= 0, let records else { throw LibvirtError.takeLast(or: "cannot get domain stats") }
        defer { virDomainStatsRecordListFree(records) }
        return (0..<Int(count)).compactMap { index in
            guard let record = records[index] else { return nil }
            return LibvirtDomainStats(record.pointee)
        }
    }

    /// `virDomainDefineXML`: defines (or, for a name and UUID it has, redefines) a domain.
    public func define(xml: String) throws(LibvirtError) -> LibvirtDomain {
        guard let domain = virDomainDefineXML(pointer, xml) else { throw LibvirtError.takeLast(or: "cannot define the domain") }
        return LibvirtDomain(adopting: domain)
    }

    /// The domain with this name.
    public func lookup(name: String) throws(LibvirtError) -> LibvirtDomain {
        guard let domain = virDomainLookupByName(pointer, name) else {
            throw LibvirtError.takeLast(or: "domain not found: \(name)")
        }
        return LibvirtDomain(adopting: domain)
    }

    /// The domain with this UUID (string form).
    public func lookup(uuid: String) throws(LibvirtError) -> LibvirtDomain {
        guard let domain = virDomainLookupByUUIDString(pointer, uuid) else {
            throw LibvirtError.takeLast(or: "domain not found: \(uuid)")
        }
        return LibvirtDomain(adopting: domain)
    }

    private func ownedString(_ value: UnsafeMutablePointer<CChar>?, _ what: String) throws(LibvirtError) -> String {
        guard let value else { throw LibvirtError.takeLast(or: "cannot get the \(what)") }
        defer { free(value) }
        return String(cString: value)
    }
}
