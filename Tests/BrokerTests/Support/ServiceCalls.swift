import BrokerAPI
import BrokerCore
import Federation
import Logging
@testable import Broker

/// The engine's tests ask for listings and actions, which the federation service makes from
/// the engine's sources; these calls go through a service over the broker under test.
extension Broker {
    private var service: FederationService {
        FederationService(broker: self, audit: nil, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
    }

    func listDomains(_ filter: DomainFilter = DomainFilter()) async -> DomainList {
        await service.listing(filter).list
    }

    /// A listing and the cache generation its sources were read at (nil: asked live).
    func listing(_ filter: DomainFilter) async -> (list: DomainList, cacheGeneration: Int?) {
        let generation = await sources(detail: filter.detail, maxAge: filter.maxAgeMs.map { .milliseconds($0) }).cacheGeneration
        return (await listDomains(filter), generation)
    }

    func perform(_ action: DomainAction, on argument: String) async throws(BackendError) -> ActionResult {
        try await service.perform(action, on: argument, caller: Caller(door: "test"))
    }

    func domain(_ argument: String) async throws(BackendError) -> DomainRecord {
        try await service.domain(argument)
    }

    func xml(_ argument: String) async throws(BackendError) -> String {
        try await service.xml(argument)
    }
}
