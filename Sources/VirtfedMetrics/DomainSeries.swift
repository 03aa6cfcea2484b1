import BrokerCore
import Prometheus

/// One VM's series in the registry, made together and removed together. Keyed by its labels:
/// when a label changes (the VM moved host, was renamed) the old series go and new ones come,
/// so no series outlives what it describes.
final class DomainSeries {
    /// The labels every per-VM series carries: backend, host, domain, uuid, platform.
    struct Key: Hashable {
        var backend: String
        var host: String
        var domain: String
        var uuid: String
        var platform: String

        init(backend: String, domain: Domain) {
            self.backend = backend
            host = domain.host
            self.domain = domain.name
            uuid = domain.uuid
            platform = domain.platform ?? ""
        }

        var labels: [(String, String)] {
            [("backend", backend), ("host", host), ("domain", domain), ("uuid", uuid), ("platform", platform)]
        }
    }

    private let registry: PrometheusCollectorRegistry
    private let labels: [(String, String)]
    private var info: Gauge
    private var infoState: DomainState
    private let stateCode: Gauge
    private let running: Gauge
    private let virtualCPUs: Gauge
    private let maximumMemory: Gauge
    private let memoryUsage: Gauge
    private var cpuTime: Counter?

    init(key: Key, domain: Domain, registry: PrometheusCollectorRegistry) {
        self.registry = registry
        labels = key.labels
        info = registry.makeGauge(descriptor: MetricFamily.domainInfo.descriptor, labels: labels + [("state", domain.state.rawValue)])
        infoState = domain.state
        stateCode = registry.makeGauge(descriptor: MetricFamily.domainStateCode.descriptor, labels: labels)
        running = registry.makeGauge(descriptor: MetricFamily.domainRunning.descriptor, labels: labels)
        virtualCPUs = registry.makeGauge(descriptor: MetricFamily.domainVirtualCPUs.descriptor, labels: labels)
        maximumMemory = registry.makeGauge(descriptor: MetricFamily.domainMaximumMemory.descriptor, labels: labels)
        memoryUsage = registry.makeGauge(descriptor: MetricFamily.domainMemoryUsage.descriptor, labels: labels)
        update(domain)
    }

    /// Sets every value from the VM's latest record.
    func update(_ domain: Domain) {
        if domain.state != infoState {
            registry.unregisterGauge(info)
            info = registry.makeGauge(descriptor: MetricFamily.domainInfo.descriptor, labels: labels + [("state", domain.state.rawValue)])
            infoState = domain.state
        }
        info.set(to: 1)
        stateCode.set(Int64(domain.state.stateCode))
        running.set(to: domain.state.isRunning ? 1 : 0)
        virtualCPUs.set(Int64(domain.vcpus))
        maximumMemory.set(Double(domain.maxMemoryKiB) * 1024)
        memoryUsage.set(Double(domain.memoryKiB) * 1024)
        switch (domain.cpuTimeNs, cpuTime) {
        case (let nanoseconds?, let counter):
            let counter = counter ?? registry.makeCounter(descriptor: MetricFamily.domainCPUTime.descriptor, labels: labels)
            cpuTime = counter
            // The backend's total, not an increment: a restarted VM's lower total is a counter reset.
            counter.reset()
            if nanoseconds > 0 { counter.increment(by: Double(nanoseconds) / 1e9) }
        case (nil, let counter?):
            registry.unregisterCounter(counter)
            cpuTime = nil
        case (nil, nil):
            break
        }
    }

    /// Removes every series of this VM from the registry.
    func unregister() {
        for gauge in [info, stateCode, running, virtualCPUs, maximumMemory, memoryUsage] { registry.unregisterGauge(gauge) }
        if let cpuTime { registry.unregisterCounter(cpuTime) }
    }
}
