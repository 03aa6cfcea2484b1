import BrokerAPI
import BrokerCore
import Foundation
import LibvirtRemote

/// The facade's driver table: procedure → handler, each reading libvirt's exact argument
/// layout and writing its exact return layout (remote_protocol.x). Everything not here is
/// answered VIR_ERR_NO_SUPPORT and the connection goes on.
extension LibvirtFacadeClient {
    typealias Handler = @Sendable (LibvirtFacadeClient, inout XDRReader) async throws -> XDRWriter

    /// Procedures a client may call before CONNECT_OPEN.
    static let beforeOpen: Set<RemoteProcedure> = [.authList, .connectSupportsFeature, .connectOpen, .connectClose]

    /// Every procedure the facade answers: these, the load procedures (`statsTable`), the
    /// snapshot procedures (`snapshotTable`) and define/undefine (`definitionTable`).
    static let table = coreTable.merging(statsTable) { core, _ in core }.merging(snapshotTable) { core, _ in core }
        .merging(definitionTable) { core, _ in core }

    static let coreTable: [RemoteProcedure: Handler] = [
        // Open sequence and connection facts.
        .authList: { _, _ in
            var out = XDRWriter()
            out.writeArray([Int32(0)]) { $0.write($1) }  // REMOTE_AUTH_NONE
            return out
        },
        .connectSupportsFeature: { _, args in
            let feature = try args.readInt32("feature")
            let supported: Set<Int32> = [DriverFeature.programKeepalive.rawValue, DriverFeature.remoteEventCallback.rawValue,
                                         DriverFeature.remoteCloseCallback.rawValue]
            return XDRWriter.reply(supported.contains(feature))
        },
        .connectOpen: { client, args in
            let name = try args.readOptional("name") { r throws(XDRError) in try r.readString() }
            let flags = try args.readUInt32("flags")
            client.state.withLock { state in
                state.opened = true
                state.uri = name
                if flags & 1 != 0 { state.readOnly = true }  // VIR_CONNECT_RO
            }
            return XDRWriter()
        },
        .connectClose: { client, _ in
            client.state.withLock { $0.opened = false }
            await client.disconnected()
            return XDRWriter()
        },
        // The name the client opened with; a client that opened with none learns the facade's own.
        .connectGetURI: { client, _ in XDRWriter.reply(client.state.withLock { $0.uri } ?? "virtfed:///federation") },
        .connectGetType: { _, _ in XDRWriter.reply("virtfed") },
        .connectGetVersion: { _, _ in XDRWriter.reply(versionNumber(BrokerVersion.current)) },
        .connectGetLibVersion: { _, _ in XDRWriter.reply(RemoteProtocolLevel.libvirtVersion) },
        .connectGetHostname: { _, _ in XDRWriter.reply(ProcessInfo.processInfo.hostName) },
        .connectIsSecure: { _, _ in XDRWriter.reply(true) },  // a local Unix socket
        .connectGetCapabilities: { client, _ in XDRWriter.reply(try await client.capabilities()) },
        .nodeGetInfo: { client, _ in
            var out = XDRWriter()
            out.write(try await client.facade.nodeCache.value { () throws(RemoteError) in await client.federationNodeInfo() })
            return out
        },
        .nodeGetSecurityModel: { _, _ in
            var out = XDRWriter()
            out.write(UInt32(0))  // char model<>: empty, no security driver
            out.write(UInt32(0))  // char doi<>
            return out
        },
        .connectRegisterCloseCallback: { _, _ in XDRWriter() },
        .connectUnregisterCloseCallback: { _, _ in XDRWriter() },

        // Listings.
        .connectListAllDomains: { client, args in
            let needResults = try args.readInt32("need_results")
            let flags = try args.readUInt32("flags")
            guard flags & 0x3000 == 0 else {  // VIR_CONNECT_LIST_DOMAINS_HAS_SNAPSHOT / NO_SNAPSHOT
                throw RemoteError(.noSupport, "virtfed does not filter a listing by snapshots (it would ask every VM's backend): "
                    + "list each VM's snapshots instead", domain: .dom)
            }
            let records = await client.listAll().filter { matches($0, flags: flags) }
            var out = XDRWriter()
            let domains = needResults != 0 ? records.map { client.wire($0) } : []
            out.writeArray(domains) { $0.write($1) }
            out.write(UInt32(records.count))
            return out
        },
        .connectNumOfDomains: { client, _ in XDRWriter.reply(Int32(await client.listAll().filter { $0.state.isActive }.count)) },
        .connectListDomains: { client, args in
            let maxIDs = try args.readInt32("maxids")
            guard maxIDs >= 0, UInt32(maxIDs) <= RemoteLimits.domainListMax else {
                throw RemoteError(.rpc, "maxids > REMOTE_DOMAIN_LIST_MAX", domain: .rpc)
            }
            let ids = await client.listAll().filter { $0.state.isActive }.map { client.wire($0).id }.sorted().prefix(Int(maxIDs))
            var out = XDRWriter()
            out.writeArray(Array(ids)) { $0.write($1) }
            return out
        },
        .connectNumOfDefinedDomains: { client, _ in XDRWriter.reply(Int32(await client.listAll().filter { !$0.state.isActive }.count)) },
        .connectListDefinedDomains: { client, args in
            let maxNames = try args.readInt32("maxnames")
            guard maxNames >= 0, UInt32(maxNames) <= RemoteLimits.domainListMax else {
                throw RemoteError(.rpc, "maxnames > REMOTE_DOMAIN_LIST_MAX", domain: .rpc)
            }
            let names = await client.listAll().filter { !$0.state.isActive }.map(\.name).prefix(Int(maxNames))
            var out = XDRWriter()
            out.writeArray(Array(names)) { $0.write($1) }
            return out
        },
        .connectListAllNetworks: emptyListing,
        .connectListAllStoragePools: emptyListing,
        .connectListAllNodeDevices: emptyListing,
        .connectListAllInterfaces: emptyListing,

        // Lookups.
        .domainLookupByName: { client, args in
            XDRWriter.reply(client.wire(try await client.record(named: try args.readString(limit: RemoteLimits.stringMax, "name"))))
        },
        .domainLookupByUUID: { client, args in
            XDRWriter.reply(client.wire(try await client.record(uuid: UUIDBytes.format(try args.readFixedOpaque(count: 16, "uuid")))))
        },
        .domainLookupByID: { client, args in
            let id = try args.readInt32("id")
            var uuid = client.facade.ids.uuid(for: id)
            if uuid == nil {  // ids are given out by listings; make one so a fresh connection knows them
                _ = await client.listAll()
                uuid = client.facade.ids.uuid(for: id)
            }
            guard let uuid, let record = try? await client.record(uuid: uuid), record.state.isActive else {
                throw RemoteError(.noDomain, "no domain with matching id \(id)", domain: .dom)
            }
            return XDRWriter.reply(client.wire(record))
        },

        // Facts about one domain.
        .domainGetInfo: { client, args in
            let record = try await client.record(try NonnullDomain(from: &args))
            var out = XDRWriter()
            out.write(DomainInfoReply(state: UInt32(LibvirtStateMapping.state(record.state)), maxMemKiB: max(record.maxMemoryKiB, record.memoryKiB),
                                      memoryKiB: record.memoryKiB, vcpus: UInt32(max(record.vcpus, 0)), cpuTimeNs: record.cpuTimeNs ?? 0))
            return out
        },
        .domainGetState: { client, args in
            let record = try await client.record(try NonnullDomain(from: &args))
            _ = try args.readUInt32("flags")
            var out = XDRWriter()
            out.write(LibvirtStateMapping.state(record.state))
            out.write(LibvirtStateMapping.reason(record.state, word: record.reason))
            return out
        },
        .domainGetOSType: { client, args in
            _ = try await client.record(try NonnullDomain(from: &args))
            return XDRWriter.reply("hvm")
        },
        .domainGetAutostart: { client, args in XDRWriter.reply((try await client.record(try NonnullDomain(from: &args))).autostart == true) },
        .domainIsActive: { client, args in XDRWriter.reply((try await client.record(try NonnullDomain(from: &args))).state.isActive) },
        .domainIsPersistent: { client, args in XDRWriter.reply((try await client.record(try NonnullDomain(from: &args))).persistent != false) },
        .domainIsUpdated: { client, args in
            _ = try await client.record(try NonnullDomain(from: &args))
            return XDRWriter.reply(Int32(0))
        },
        .domainHasManagedSaveImage: { client, args in
            let record = try await client.record(try NonnullDomain(from: &args))
            _ = try args.readUInt32("flags")
            return XDRWriter.reply(record.managedSave == true || record.state == .saved)
        },
        .domainGetMaxMemory: { client, args in
            let record = try await client.record(try NonnullDomain(from: &args))
            return XDRWriter.reply(max(record.maxMemoryKiB, record.memoryKiB))
        },
        .domainGetMaxVcpus: { client, args in XDRWriter.reply(Int32((try await client.record(try NonnullDomain(from: &args))).vcpus)) },
        .domainGetVcpusFlags: { client, args in
            let record = try await client.record(try NonnullDomain(from: &args))
            _ = try args.readUInt32("flags")
            return XDRWriter.reply(Int32(record.vcpus))
        },
        .domainGetXMLDesc: { client, args in
            let dom = try NonnullDomain(from: &args)
            _ = try args.readUInt32("flags")
            return XDRWriter.reply(try await client.xml(dom))
        },
        .domainGetJobInfo: { client, args in
            _ = try await client.record(try NonnullDomain(from: &args))
            var out = XDRWriter()
            out.write(Int32(0))  // VIR_DOMAIN_JOB_NONE
            for _ in 0..<11 { out.write(UInt64(0)) }
            return out
        },
        .domainGetMetadata: { client, args in
            let record = try await client.record(try NonnullDomain(from: &args))
            throw RemoteError(.noDomainMetadata, "Requested metadata element is not present (\(record.name))", domain: .dom)
        },

        // Lifecycle.
        .domainCreate: { client, args in
            _ = try await client.perform(.start, try NonnullDomain(from: &args), api: "virDomainCreate")
            return XDRWriter()
        },
        .domainCreateWithFlags: { client, args in
            let dom = try NonnullDomain(from: &args)
            let flags = try args.readUInt32("flags")
            // A read-only connection is refused (and audited) whatever the flags.
            guard flags == 0 || client.isReadOnly else {
                throw RemoteError(.invalidArg, "unsupported flags (0x\(String(flags, radix: 16))) in function virDomainCreateWithFlags")
            }
            return XDRWriter.reply(client.wire(try await client.perform(.start, dom, api: "virDomainCreateWithFlags")))
        },
        .domainShutdown: { client, args in try await client.act(.shutdown, &args, flags: false, api: "virDomainShutdown") },
        .domainShutdownFlags: { client, args in try await client.act(.shutdown, &args, flags: true, api: "virDomainShutdownFlags") },
        .domainDestroy: { client, args in try await client.act(.destroy, &args, flags: false, api: "virDomainDestroy") },
        .domainDestroyFlags: { client, args in try await client.act(.destroy, &args, flags: true, api: "virDomainDestroyFlags") },
        .domainReboot: { client, args in try await client.act(.reboot, &args, flags: true, api: "virDomainReboot") },
        .domainReset: { client, args in try await client.act(.reset, &args, flags: true, api: "virDomainReset") },
        .domainSuspend: { client, args in try await client.act(.suspend, &args, flags: false, api: "virDomainSuspend") },
        .domainResume: { client, args in try await client.act(.resume, &args, flags: false, api: "virDomainResume") },
        .domainManagedSave: { client, args in try await client.act(.save, &args, flags: true, api: "virDomainManagedSave") },

        // Events.
        .connectDomainEventCallbackRegisterAny: { client, args in
            let eventID = try args.readInt32("eventID")
            let dom = try args.readOptional("dom") { r throws(XDRError) in try NonnullDomain(from: &r) }
            return XDRWriter.reply(client.register(eventID: eventID, uuid: dom.map { UUIDBytes.format($0.uuid) }))
        },
        .connectDomainEventCallbackDeregisterAny: { client, args in
            try client.deregister(try args.readInt32("callbackID"))
            return XDRWriter()
        },
        // Networks, pools, node devices and secrets: there are none, so their events never fire.
        .connectNetworkEventRegisterAny: otherEventRegistration,
        .connectStoragePoolEventRegisterAny: otherEventRegistration,
        .connectNodeDeviceEventRegisterAny: otherEventRegistration,
        .connectSecretEventRegisterAny: otherEventRegistration,
        .connectNetworkEventDeregisterAny: otherEventDeregistration,
        .connectStoragePoolEventDeregisterAny: otherEventDeregistration,
        .connectNodeDeviceEventDeregisterAny: otherEventDeregistration,
        .connectSecretEventDeregisterAny: otherEventDeregistration,
    ]

    // MARK: - Shared handler bodies

    private static let emptyListing: Handler = { _, args in
        _ = try args.readInt32("need_results")
        _ = try args.readUInt32("flags")
        var out = XDRWriter()
        out.write(UInt32(0))  // no objects
        out.write(UInt32(0))  // ret
        return out
    }

    private static let otherEventRegistration: Handler = { client, args in
        let eventID = try args.readInt32("eventID")
        return XDRWriter.reply(client.register(eventID: -1 - eventID, uuid: nil))  // kept apart from domain event ids
    }

    private static let otherEventDeregistration: Handler = { client, args in
        try client.deregister(try args.readInt32("callbackID"))
        return XDRWriter()
    }

    /// A lifecycle action whose arguments are `{dom}` or `{dom; unsigned flags}` and whose return is void.
    func act(_ action: DomainAction, _ args: inout XDRReader, flags: Bool, api: String) async throws -> XDRWriter {
        let dom = try NonnullDomain(from: &args)
        if flags { _ = try args.readUInt32("flags") }
        _ = try await perform(action, dom, api: api)
        return XDRWriter()
    }

    // MARK: - Encoding helpers

    /// "0.2.0" → 2000 (major × 1,000,000 + minor × 1,000 + release), libvirt's encoding.
    static func versionNumber(_ dotted: String) -> UInt64 {
        let parts = dotted.split(separator: ".").map { UInt64($0) ?? 0 } + [0, 0, 0]
        return parts[0] * 1_000_000 + parts[1] * 1_000 + parts[2]
    }

    /// `virConnectListAllDomainsFlags` (also the filter bits of GET_ALL_DOMAIN_STATS).
    static func matches(_ record: DomainRecord, flags: UInt32) -> Bool {
        let active = record.state.isActive
        if flags & 3 != 0 && flags & 3 != 3 {
            if flags & 1 != 0 && !active { return false }
            if flags & 2 != 0 && active { return false }
        }
        let persistent = record.persistent != false
        if flags & 12 != 0 && flags & 12 != 12 {
            if flags & 4 != 0 && !persistent { return false }
            if flags & 8 != 0 && persistent { return false }
        }
        if flags & 0xf0 != 0 {
            let state = LibvirtStateMapping.state(record.state)
            let bit: UInt32 = switch state {
            case 1: 16
            case 3: 32
            case 5: 64
            default: 128
            }
            if flags & bit == 0 { return false }
        }
        let saved = record.managedSave == true || record.state == .saved
        if flags & 0x300 != 0 && flags & 0x300 != 0x300 {
            if flags & 0x100 != 0 && !saved { return false }
            if flags & 0x200 != 0 && saved { return false }
        }
        let autostart = record.autostart == true
        if flags & 0xc00 != 0 && flags & 0xc00 != 0xc00 {
            if flags & 0x400 != 0 && !autostart { return false }
            if flags & 0x800 != 0 && autostart { return false }
        }
        return true
    }
}
