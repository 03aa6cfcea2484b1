import BrokerCore
import JSONText

extension DomainList {
    /// The `domains.list` answer in a JSON-RPC response line, read straight from its bytes into
    /// records — Foundation's `JSONDecoder` takes ~14 ms for the 588 KB of 1,600 records,
    /// this a fraction of that (BENCHMARKS.md §1). Nil for anything but a result of the shape
    /// the daemon writes (an error, a missing or mistyped member): the caller then decodes the
    /// line the general way, so the answer means what `JSONDecoder` would make of it.
    public static func read(response bytes: [UInt8]) -> DomainList? {
        bytes.withUnsafeBufferPointer { buffer in
            var cursor = JSONCursor(buffer)
            var list: DomainList?
            let read = cursor.object { cursor, name in
                switch name {
                case "result":
                    list = DomainList.read(&cursor)
                    return list != nil
                case "error": return false
                default: return cursor.skipValue()
                }
            }
            guard read, cursor.atEnd() else { return nil }
            return list
        }
    }

    private static func read(_ cursor: inout JSONCursor) -> DomainList? {
        var domains: [DomainRecord]?, errors: [BackendFailure]?, freshness: [BackendFreshness]?
        let read = cursor.object { cursor, name in
            switch name {
            case "domains":
                var records: [DomainRecord] = []
                guard cursor.array({ cursor in
                    guard let record = DomainRecord.read(&cursor) else { return false }
                    records.append(record)
                    return true
                }) else { return false }
                domains = records
            case "errors":
                var failures: [BackendFailure] = []
                guard cursor.array({ cursor in
                    var backend: String?, code: ErrorCode?, message: String?
                    guard cursor.object({ cursor, name in
                        switch name {
                        case "backend": backend = cursor.string()
                        case "code": code = cursor.string().flatMap(ErrorCode.init(rawValue:))
                        case "message": message = cursor.string()
                        default: return cursor.skipValue()
                        }
                        return true
                    }), let backend, let code, let message else { return false }
                    failures.append(BackendFailure(backend: backend, code: code, message: message))
                    return true
                }) else { return false }
                errors = failures
            case "freshness":
                var entries: [BackendFreshness] = []
                guard cursor.array({ cursor in
                    var backend: String?, age: Int?, source: BackendFreshness.Source?
                    guard cursor.object({ cursor, name in
                        switch name {
                        case "backend": backend = cursor.string()
                        case "age_ms": age = cursor.integer()
                        case "source": source = cursor.string().flatMap(BackendFreshness.Source.init(rawValue:))
                        default: return cursor.skipValue()
                        }
                        return true
                    }), let backend, let age, let source else { return false }
                    entries.append(BackendFreshness(backend: backend, ageMs: age, source: source))
                    return true
                }) else { return false }
                freshness = entries
            default:
                return cursor.skipValue()
            }
            return true
        }
        guard read, let domains, let errors, let freshness else { return nil }
        return DomainList(domains: domains, errors: errors, freshness: freshness)
    }
}

extension DomainRecord {
    /// One record as the daemon writes it (every member present, null where absent); nil for
    /// anything else.
    fileprivate static func read(_ cursor: inout JSONCursor) -> DomainRecord? {
        var name: String?, backend: String?, host: String?, uuid: String?, state: DomainState?, backendState: String?
        var routes: [String]?, vcpus: Int?, memory: UInt64?, maxMemory: UInt64?
        var id: Int?, reason: String?, platform: String?, cpuTime: UInt64?, persistent: Bool?, autostart: Bool?, managedSave: Bool?
        var seen = 0
        func optional<T>(_ cursor: inout JSONCursor, _ read: (inout JSONCursor) -> T?, into value: inout T?) -> Bool {
            if cursor.null() { return true }
            value = read(&cursor)
            return value != nil
        }
        let read = cursor.object { cursor, key in
            seen += 1
            switch key {
            case "name": name = cursor.string(); return name != nil
            case "backend": backend = cursor.string(); return backend != nil
            case "host": host = cursor.string(); return host != nil
            case "uuid": uuid = cursor.string(); return uuid != nil
            case "state": state = cursor.string().flatMap(DomainState.init(rawValue:)); return state != nil
            case "backend_state": backendState = cursor.string(); return backendState != nil
            case "vcpus": vcpus = cursor.integer(); return vcpus != nil
            case "memory_kib": memory = cursor.unsigned(); return memory != nil
            case "max_memory_kib": maxMemory = cursor.unsigned(); return maxMemory != nil
            case "id": return optional(&cursor, { $0.integer() }, into: &id)
            case "reason": return optional(&cursor, { $0.string() }, into: &reason)
            case "platform": return optional(&cursor, { $0.string() }, into: &platform)
            case "cpu_time_ns": return optional(&cursor, { $0.unsigned() }, into: &cpuTime)
            case "persistent": return optional(&cursor, { $0.bool() }, into: &persistent)
            case "autostart": return optional(&cursor, { $0.bool() }, into: &autostart)
            case "managed_save": return optional(&cursor, { $0.bool() }, into: &managedSave)
            case "routes":
                var list: [String] = []
                guard cursor.array({ cursor in
                    guard let route = cursor.string() else { return false }
                    list.append(route)
                    return true
                }) else { return false }
                routes = list
                return true
            default:
                seen -= 1
                return cursor.skipValue()
            }
        }
        // Every member, once: a repeated or missing one is for the general decoder to judge.
        guard read, seen == 17, let name, let backend, let host, let uuid, let state, let backendState, let routes,
              let vcpus, let memory, let maxMemory, name.hasPrefix(backend + "/") else { return nil }
        let domain = Domain(
            name: String(name.dropFirst(backend.count + 1)), uuid: uuid, id: id, state: state, backendState: backendState, reason: reason,
            host: host, platform: platform, vcpus: vcpus, memoryKiB: memory, maxMemoryKiB: maxMemory, cpuTimeNs: cpuTime,
            persistent: persistent, autostart: autostart, managedSave: managedSave)
        var record = DomainRecord(domain, backend: backend, routes: routes)
        record.name = name
        record.uuid = uuid
        return record
    }
}
