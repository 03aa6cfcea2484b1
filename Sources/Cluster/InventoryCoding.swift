import BrokerCore
import Foundation
import NIOPosix

/// The JSON of published inventories, encoded and decoded on NIO's blocking thread pool: a
/// thousand backends' VMs are seconds of CPU, which on Swift's cooperative threads (two here,
/// shared with everything) would hold back the rounds that renew the leases.
enum InventoryCoding {
    /// `domains` as JSON text.
    static func encode(_ domains: [Domain]) async -> String? {
        await offPool {
            (try? JSONEncoder().encode(domains)).map { String(decoding: $0, as: UTF8.self) }
        }
    }

    /// Each backend's VMs from its JSON text (those that do not decode are left out).
    static func decode(_ rows: [String: (version: Int64, json: String)]) async -> [String: (version: Int64, domains: [Domain])] {
        await offPool {
            let decoder = JSONDecoder()
            var decoded: [String: (version: Int64, domains: [Domain])] = [:]
            for (backend, row) in rows {
                if let domains = try? decoder.decode([Domain].self, from: Data(row.json.utf8)) { decoded[backend] = (row.version, domains) }
            }
            return decoded
        }
    }

    private static func offPool<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        (try? await NIOThreadPool.singleton.runIfActive(work)) ?? work()
    }
}
