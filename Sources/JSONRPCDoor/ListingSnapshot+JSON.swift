import BrokerAPI
import Federation
import JSONRPC

extension FederatedListing {
    /// The listing as JSON written directly — byte for byte what `JSONEncoder` gives for
    /// `DomainList` (a test holds them equal), without its cost per record: a federation
    /// answer holds thousands. The snapshot's part is written once per snapshot.
    func preEncoded() -> RPCPreEncoded {
        RPCPreEncoded(parts: [snapshot.encoded { $0.domainsAndErrorsJSON() }, Self.freshnessJSON(freshness)])
    }

    /// `[…]}` — the freshness entries, whose ages move with every call, and the end.
    static func freshnessJSON(_ freshness: [BackendFreshness]) -> [UInt8] {
        var writer = JSONWriter(capacity: 16 + freshness.count * 64)
        writer.raw("[")
        for (index, entry) in freshness.enumerated() {
            if index > 0 { writer.raw(",") }
            writer.raw(#"{"age_ms":"#); writer.integer(entry.ageMs)
            writer.raw(#","backend":"#); writer.string(entry.backend)
            writer.raw(#","source":"#); writer.string(entry.source.rawValue)
            writer.raw("}")
        }
        writer.raw("]}")
        return writer.bytes
    }
}

extension ListingSnapshot {
    /// `{"domains":[…],"errors":[…],"freshness":` — the part that only changes with the data.
    func domainsAndErrorsJSON() -> [UInt8] {
        var writer = JSONWriter(capacity: 64 + domains.count * 400)
        writer.raw(#"{"domains":["#)
        for (index, record) in domains.enumerated() {
            if index > 0 { writer.raw(",") }
            record.write(to: &writer)
        }
        writer.raw(#"],"errors":["#)
        for (index, failure) in errors.enumerated() {
            if index > 0 { writer.raw(",") }
            writer.raw(#"{"backend":"#); writer.string(failure.backend)
            writer.raw(#","code":"#); writer.string(failure.code.rawValue)
            writer.raw(#","message":"#); writer.string(failure.message)
            writer.raw("}")
        }
        writer.raw(#"],"freshness":"#)
        return writer.bytes
    }
}

extension DomainRecord {
    /// One record: the keys `DomainRecord.encode(to:)` writes, sorted as the daemon's encoder sorts them.
    fileprivate func write(to writer: inout JSONWriter) {
        writer.raw(#"{"autostart":"#); writer.bool(autostart)
        writer.raw(#","backend":"#); writer.string(backend)
        writer.raw(#","backend_state":"#); writer.string(backendState)
        writer.raw(#","cpu_time_ns":"#); writer.integer(cpuTimeNs)
        writer.raw(#","host":"#); writer.string(host)
        writer.raw(#","id":"#); writer.integer(id)
        writer.raw(#","managed_save":"#); writer.bool(managedSave)
        writer.raw(#","max_memory_kib":"#); writer.integer(maxMemoryKiB)
        writer.raw(#","memory_kib":"#); writer.integer(memoryKiB)
        writer.raw(#","name":"#); writer.string(name)
        writer.raw(#","persistent":"#); writer.bool(persistent)
        writer.raw(#","platform":"#); writer.string(platform)
        writer.raw(#","reason":"#); writer.string(reason)
        writer.raw(#","routes":"#); writer.strings(routes)
        writer.raw(#","state":"#); writer.string(state.rawValue)
        writer.raw(#","uuid":"#); writer.string(uuid)
        writer.raw(#","vcpus":"#); writer.integer(vcpus)
        writer.raw("}")
    }
}
