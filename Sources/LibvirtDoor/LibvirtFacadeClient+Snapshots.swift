import BrokerAPI
import BrokerCore
import LibvirtRemote

/// Snapshots through the facade — what `virsh snapshot-*` and virt-manager's snapshot page
/// call — answered from the service for every VM of every backend: libvirt's own snapshots,
/// Hyper-V's and SCVMM's checkpoints. A snapshot is named by its name and its domain.
extension LibvirtFacadeClient {
    static let snapshotTable: [RemoteProcedure: Handler] = [
        .domainListAllSnapshots: { client, args in
            let dom = try NonnullDomain(from: &args)
            let needResults = try args.readInt32("need_results")
            let flags = try args.readUInt32("flags")
            let snapshots = try await client.listed(dom, flags: flags)
            return LibvirtFacadeClient.snapshotList(snapshots, dom: dom, needResults: needResults)
        },
        .domainSnapshotListAllChildren: { client, args in
            let snap = try NonnullDomainSnapshot(from: &args)
            let needResults = try args.readInt32("need_results")
            let flags = try args.readUInt32("flags")
            return LibvirtFacadeClient.snapshotList(try await client.children(of: snap, flags: flags), dom: snap.domain, needResults: needResults)
        },
        .domainSnapshotNum: { client, args in
            let dom = try NonnullDomain(from: &args)
            let flags = try args.readUInt32("flags")
            return XDRWriter.reply(Int32(try await client.listed(dom, flags: flags).count))
        },
        .domainSnapshotListNames: { client, args in
            let dom = try NonnullDomain(from: &args)
            let maxNames = try args.readInt32("maxnames")
            let flags = try args.readUInt32("flags")
            let names = try await client.listed(dom, flags: flags).map(\.name)
            var out = XDRWriter()
            out.writeArray(Array(names.prefix(Int(max(maxNames, 0))))) { $0.write($1) }
            return out
        },
        .domainSnapshotNumChildren: { client, args in
            let snap = try NonnullDomainSnapshot(from: &args)
            let flags = try args.readUInt32("flags")
            return XDRWriter.reply(Int32(try await client.children(of: snap, flags: flags).count))
        },
        .domainSnapshotListChildrenNames: { client, args in
            let snap = try NonnullDomainSnapshot(from: &args)
            let maxNames = try args.readInt32("maxnames")
            let flags = try args.readUInt32("flags")
            let names = try await client.children(of: snap, flags: flags).map(\.name)
            var out = XDRWriter()
            out.writeArray(Array(names.prefix(Int(max(maxNames, 0))))) { $0.write($1) }
            return out
        },
        .domainSnapshotLookupByName: { client, args in
            let dom = try NonnullDomain(from: &args)
            let name = try args.readString(limit: RemoteLimits.stringMax, "name")
            _ = try args.readUInt32("flags")
            let snapshot = try LibvirtFacadeClient.named(NonnullDomainSnapshot(name: name, domain: dom), in: try await client.snapshots(dom))
            return XDRWriter.reply(NonnullDomainSnapshot(name: snapshot.name, domain: dom))
        },
        .domainHasCurrentSnapshot: { client, args in
            let dom = try NonnullDomain(from: &args)
            _ = try args.readUInt32("flags")
            return XDRWriter.reply(Int32(try await client.snapshots(dom).contains(where: \.isCurrent) ? 1 : 0))
        },
        .domainSnapshotCurrent: { client, args in
            let dom = try NonnullDomain(from: &args)
            _ = try args.readUInt32("flags")
            guard let current = try await client.snapshots(dom).last(where: \.isCurrent) else {
                throw RemoteError(.noDomainSnapshot, "the domain does not have a current snapshot", domain: .domainSnapshot)
            }
            return XDRWriter.reply(NonnullDomainSnapshot(name: current.name, domain: dom))
        },
        .domainSnapshotIsCurrent: { client, args in
            let snap = try NonnullDomainSnapshot(from: &args)
            _ = try args.readUInt32("flags")
            return XDRWriter.reply(Int32(try LibvirtFacadeClient.named(snap, in: try await client.snapshots(snap.domain)).isCurrent ? 1 : 0))
        },
        .domainSnapshotHasMetadata: { client, args in
            let snap = try NonnullDomainSnapshot(from: &args)
            _ = try args.readUInt32("flags")
            _ = try LibvirtFacadeClient.named(snap, in: try await client.snapshots(snap.domain))
            return XDRWriter.reply(Int32(1))
        },
        .domainSnapshotGetParent: { client, args in
            let snap = try NonnullDomainSnapshot(from: &args)
            _ = try args.readUInt32("flags")
            guard let parent = try LibvirtFacadeClient.named(snap, in: try await client.snapshots(snap.domain)).parent else {
                throw RemoteError(.noDomainSnapshot, "snapshot '\(snap.name)' does not have a parent", domain: .domainSnapshot)
            }
            return XDRWriter.reply(NonnullDomainSnapshot(name: parent, domain: snap.domain))
        },
        .domainSnapshotGetXMLDesc: { client, args in
            let snap = try NonnullDomainSnapshot(from: &args)
            _ = try args.readUInt32("flags")
            let record = try await client.record(snap.domain)
            return XDRWriter.reply(try await client.snapshotCall { () throws(BackendError) in try await client.service.snapshotXML(snap.name, of: record.uuid) })
        },
        .domainSnapshotCreateXML: { client, args in
            let dom = try NonnullDomain(from: &args)
            let xml = try args.readString(limit: RemoteLimits.stringMax, "xml_desc")
            let flags = try args.readUInt32("flags")
            // ATOMIC (128) and VALIDATE (512) ask nothing a backend does not do anyway.
            guard flags & ~UInt32(128 | 512) == 0 || client.isReadOnly else {
                throw RemoteError(.noSupport, "virtfed takes snapshots as each backend does: flags 0x\(String(flags, radix: 16)) of virDomainSnapshotCreateXML are not supported")
            }
            let name = client.isReadOnly ? dom.name : try await client.record(dom).name
            client.invalidate()
            let result = try await client.snapshotCall { () throws(BackendError) in
                try await client.service.createSnapshot(xml: xml, on: name, caller: client.caller, operation: "virDomainSnapshotCreateXML")
            }
            // The new snapshot is the VM's current one.
            let after = try await client.snapshots(dom)
            guard let made = after.last(where: \.isCurrent) ?? after.last else {
                throw RemoteError(.internalError, "the snapshot was taken (job \(result.job.id)) but the backend lists none")
            }
            return XDRWriter.reply(NonnullDomainSnapshot(name: made.name, domain: dom))
        },
        .domainRevertToSnapshot: { client, args in
            let snap = try NonnullDomainSnapshot(from: &args)
            let flags = try args.readUInt32("flags")
            // FORCE (4) is what a backend's revert is anyway; RUNNING and PAUSED choose a state virtfed does not.
            guard flags & ~UInt32(4) == 0 || client.isReadOnly else {
                throw RemoteError(.noSupport, "virtfed reverts as each backend does: flags 0x\(String(flags, radix: 16)) of virDomainRevertToSnapshot are not supported")
            }
            _ = try await client.changeSnapshot(.revertSnapshot(snap.name), snap, api: "virDomainRevertToSnapshot")
            return XDRWriter()
        },
        .domainSnapshotDelete: { client, args in
            let snap = try NonnullDomainSnapshot(from: &args)
            let flags = try args.readUInt32("flags")
            guard flags & ~UInt32(1) == 0 || client.isReadOnly else {  // CHILDREN
                throw RemoteError(.noSupport, "virtfed deletes a snapshot or it with its children: flags 0x\(String(flags, radix: 16)) of virDomainSnapshotDelete are not supported")
            }
            _ = try await client.changeSnapshot(.deleteSnapshot(snap.name, children: flags & 1 != 0), snap, api: "virDomainSnapshotDelete")
            return XDRWriter()
        },
    ]

    /// The VM's snapshots from the service; its errors in libvirt's snapshot words.
    func snapshots(_ dom: NonnullDomain) async throws -> [DomainSnapshot] {
        let record = try await record(dom)
        return try await snapshotCall { () throws(BackendError) in try await service.snapshots(of: record.uuid).snapshots }
    }

    /// A domain's snapshots that `flags` (`virDomainSnapshotListFlags`, ROOTS among them) select.
    func listed(_ dom: NonnullDomain, flags: UInt32) async throws -> [DomainSnapshot] {
        try Self.filtered(try await snapshots(dom), flags: flags, roots: flags & 1 != 0)
    }

    /// A snapshot's children (with DESCENDANTS, all below it) that `flags` select.
    func children(of snap: NonnullDomainSnapshot, flags: UInt32) async throws -> [DomainSnapshot] {
        let all = try await snapshots(snap.domain)
        return try Self.filtered(Self.children(of: try Self.named(snap, in: all).name, in: all, descendants: flags & 1 != 0), flags: flags, roots: false)
    }

    /// A change to a snapshot, as the service runs it.
    /// Its domain is looked up first (not found: VIR_ERR_NO_DOMAIN), so a later "not found"
    /// is the snapshot's.
    func changeSnapshot(_ change: DomainChange, _ snap: NonnullDomainSnapshot, api: String) async throws -> ActionResult {
        do {
            return try await self.change(change, snap.domain, api: api)
        } catch let error as BackendError where error.code == .notFound {
            throw RemoteError(.noDomainSnapshot, error.message, domain: .domainSnapshot)
        }
    }

    /// Runs service work for a domain already looked up: "not found" is then the snapshot's,
    /// libvirt's VIR_ERR_NO_DOMAIN_SNAPSHOT.
    func snapshotCall<T: Sendable>(_ work: () async throws(BackendError) -> T) async throws -> T {
        do {
            return try await work()
        } catch where error.code == .notFound {
            throw RemoteError(.noDomainSnapshot, error.message, domain: .domainSnapshot)
        }
    }

    /// The snapshot a reference names (the newest of that name, where a backend allows two).
    static func named(_ snap: NonnullDomainSnapshot, in snapshots: [DomainSnapshot]) throws -> DomainSnapshot {
        guard let found = snapshots.last(where: { $0.name == snap.name }) else {
            throw RemoteError(.noDomainSnapshot, "no domain snapshot with matching name '\(snap.name)'", domain: .domainSnapshot)
        }
        return found
    }

    /// A snapshot's children, or with `descendants` all below it.
    static func children(of name: String, in snapshots: [DomainSnapshot], descendants: Bool) -> [DomainSnapshot] {
        var result: [DomainSnapshot] = []
        var parents: Set<String> = [name]
        var added = true
        while added {
            added = false
            for snapshot in snapshots where snapshot.parent.map(parents.contains) == true && !result.contains(snapshot) {
                result.append(snapshot)
                if descendants { parents.insert(snapshot.name); added = true }
            }
        }
        return result
    }

    /// `virDomainSnapshotListFlags`: ROOTS (1, only when listing a domain's), LEAVES (4) and
    /// NO_LEAVES (8), METADATA (2) and NO_METADATA (16: every snapshot here has metadata),
    /// INACTIVE (32), ACTIVE (64), DISK_ONLY (128: none here), INTERNAL (256) and EXTERNAL
    /// (512: all are internal), TOPOLOGICAL (1024: the order is already parents first).
    static func filtered(_ snapshots: [DomainSnapshot], flags: UInt32, roots: Bool) throws -> [DomainSnapshot] {
        let parents = Set(snapshots.compactMap(\.parent))
        return snapshots.filter { snapshot in
            if roots && snapshot.parent != nil { return false }
            let leaf = !parents.contains(snapshot.name)
            if flags & 12 != 0 && flags & 12 != 12 && (flags & 4 != 0) != leaf { return false }
            if flags & 18 == 16 { return false }
            let active = snapshot.state?.isActive == true
            if flags & 224 != 0 {
                let passes = (flags & 32 != 0 && !active) || (flags & 64 != 0 && active)
                if !passes { return false }
            }
            if flags & 768 == 512 { return false }
            return true
        }
    }

    /// `{remote_nonnull_domain_snapshot snapshots<>; int ret}`.
    static func snapshotList(_ snapshots: [DomainSnapshot], dom: NonnullDomain, needResults: Int32) -> XDRWriter {
        var out = XDRWriter()
        let references = needResults != 0 ? snapshots.map { NonnullDomainSnapshot(name: $0.name, domain: dom) } : []
        out.writeArray(references) { $0.write($1) }
        out.write(Int32(snapshots.count))
        return out
    }
}
