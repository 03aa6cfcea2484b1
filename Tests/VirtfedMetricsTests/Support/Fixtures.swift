import Broker
import BrokerCore
import Foundation

/// Inventories built in the tests, as the broker's cache would hand them over.
enum Fixtures {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    static func domain(_ name: String, _ state: DomainState, uuid: String, host: String = "host1", platform: String? = "test",
                       vcpus: Int = 2, memoryKiB: UInt64 = 1_048_576, maxMemoryKiB: UInt64 = 2_097_152, cpuTimeNs: UInt64? = nil) -> Domain {
        Domain(name: name, uuid: uuid, id: state.isActive ? 1 : nil, state: state, backendState: state.rawValue,
               host: host, platform: platform, vcpus: vcpus, memoryKiB: memoryKiB, maxMemoryKiB: maxMemoryKiB, cpuTimeNs: cpuTimeNs)
    }

    static func backend(_ name: String, plugin: String = "libvirt", up: Bool = true, stale: Bool = false, domains: [Domain],
                        refreshedAt: Date? = now.addingTimeInterval(-5), lastRefreshSeconds: Double? = 0.25,
                        refreshErrors: Int = 0, reconnects: Int = 0) -> BackendInventory {
        BackendInventory(backend: name, plugin: plugin, up: up, domains: domains, refreshedAt: refreshedAt,
                         lastRefreshSeconds: lastRefreshSeconds, stale: stale, refreshErrors: refreshErrors, reconnects: reconnects)
    }

    /// A UUID for index `n`.
    static func uuid(_ n: Int) -> String {
        String(format: "00000000-0000-4000-8000-%012d", n)
    }
}

