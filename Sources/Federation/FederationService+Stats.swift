import Broker
import BrokerAPI
import BrokerCore
import Foundation

extension FederationService {
    /// Each selected VM's load, from the inventory cache where a backend's figures are at most
    /// `max_age_ms` old (the monitors' full refreshes read them), otherwise from the backend
    /// live. A VM seen through several backends reports through the first route that measures
    /// it (a Hyper-V host's own figures before SCVMM's, when Hyper-V is configured first).
    public func statistics(_ query: DomainStatsQuery) async throws(BackendError) -> DomainStatsList {
        let maxAge = query.filter.maxAgeMs ?? DomainStatsQuery.defaultMaxAgeMs
        let sources = await broker.sources(detail: .load, maxAge: .milliseconds(maxAge))
        let namespace = sources.namespace
        let entries: [Namespace.Entry]
        if let names = query.domains {
            entries = try names.map { (name) throws(BackendError) in try namespace.resolve(name) }
        } else {
            entries = namespace.entries.filter { Self.passes($0.record, query.filter) }
        }
        let now = Date().timeIntervalSince1970
        let ages = Dictionary(sources.freshness.map { ($0.backend, Double($0.ageMs) / 1000) }, uniquingKeysWith: { first, _ in first })
        let records = entries.compactMap { entry -> DomainStatsRecord? in
            guard let route = entry.routes.first(where: { $0.domain.stats != nil }) ?? entry.routes.first else { return nil }
            return DomainStatsRecord(name: entry.record.name, backend: route.backend, domain: route.domain,
                                     sampledAt: now - (ages[route.backend] ?? 0))
        }
        return DomainStatsList(domains: records, errors: sources.failures)
    }

    /// One VM's load (see `statistics(_:)`).
    public func statistics(of argument: String) async throws(BackendError) -> DomainStatsRecord {
        let answer = try await statistics(DomainStatsQuery(domains: [argument]))
        guard let record = answer.domains.first else { throw BackendError(.notFound, "domain not found: \(argument)") }
        return record
    }
}
