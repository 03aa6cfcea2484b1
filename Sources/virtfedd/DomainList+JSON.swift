import BrokerAPI
import JSONRPC

extension DomainList {
    /// The listing as JSON written directly — the same value `Codable` gives, without
    /// `JSONEncoder`'s cost per record (a federation answer holds thousands of them).
    func preEncoded() -> RPCPreEncoded {
        RPCPreEncoded(parts: [domainsAndErrorsJSON(), freshnessJSON()])
    }

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

    /// `[…]}` — the freshness entries, whose ages move with every call, and the end.
    func freshnessJSON() -> [UInt8] {
        var writer = JSONWriter(capacity: 16 + freshness.count * 64)
        writer.raw("[")
        for (index, entry) in freshness.enumerated() {
            if index > 0 { writer.raw(",") }
            writer.raw(#"{"backend":"#); writer.string(entry.backend)
            writer.raw(#","age_ms":"#); writer.integer(entry.ageMs)
            writer.raw(#","source":"#); writer.string(entry.source.rawValue)
            writer.raw("}")
        }
        writer.raw("]}")
        return writer.bytes
    }
}

extension DomainRecord {
    /// One record, with the keys `DomainRecord.encode(to:)` writes.
    fileprivate func write(to writer: inout JSONWriter) {
        writer.raw(#"{"name":"#); writer.string(name)
        writer.raw(#","backend":"#); writer.string(backend)
        writer.raw(#","host":"#); writer.string(host)
        writer.raw(#","uuid":"#); writer.string(uuid)
        writer.raw(#","id":"#); writer.integer(id)
        writer.raw(#","state":"#); writer.string(state.rawValue)
        writer.raw(#","backend_state":"#); writer.string(backendState)
        writer.raw(#","reason":"#); writer.string(reason)
        writer.raw(#","platform":"#); writer.string(platform)
        writer.raw(#","vcpus":"#); writer.integer(vcpus)
        writer.raw(#","memory_kib":"#); writer.integer(memoryKiB)
        writer.raw(#","max_memory_kib":"#); writer.integer(maxMemoryKiB)
        writer.raw(#","cpu_time_ns":"#); writer.integer(cpuTimeNs)
        writer.raw(#","persistent":"#); writer.bool(persistent)
        writer.raw(#","autostart":"#); writer.bool(autostart)
        writer.raw(#","managed_save":"#); writer.bool(managedSave)
        writer.raw(#","routes":"#); writer.strings(routes)
        writer.raw("}")
    }
}
