import Prometheus

/// A metric's name, unit suffix and help, in one place per metric. The names follow the
/// libvirt exporters' (`libvirt_domain_info_virtual_cpus` → `virtfed_domain_virtual_cpus`, …);
/// README "Monitoring with Prometheus" documents them.
public struct MetricFamily: Sendable, Hashable {
    /// The name's middle: subsystem and metric (`domain_virtual`).
    public var metricName: String
    /// The unit suffix (`cpus`, `bytes`, `seconds_total`, …).
    public var unitName: String
    /// The `# HELP` text.
    public var help: String

    /// Creates a family description.
    public init(_ metricName: String, _ unitName: String, help: String) {
        self.metricName = metricName
        self.unitName = unitName
        self.help = help
    }

    /// The full exposed name (`virtfed_domain_virtual_cpus`).
    public var name: String { descriptor.name }

    /// The descriptor swift-prometheus registers under.
    var descriptor: MetricNameDescriptor {
        MetricNameDescriptor(namespace: "virtfed", metricName: metricName, unitName: unitName, helpText: help)
    }
}

extension MetricFamily {
    // Per VM (labels backend, host, domain, uuid, platform).
    /// Always 1; the VM's labels plus its `state` token.
    public static let domainInfo = MetricFamily("domain", "info", help: "Every VM the broker knows, powered off too; value 1, state in the state label.")
    /// libvirt's virDomainState numbering, extended (see `DomainState.stateCode`).
    public static let domainStateCode = MetricFamily("domain_state", "code", help: "VM state: 0 unknown, 1 running, 2 blocked (idle), 3 paused, 4 shutting down, 5 shut off, 6 crashed, 7 pmsuspended, 8 saved, 9 starting, 10 stopping.")
    /// 1 when running or blocked (idle), else 0.
    public static let domainRunning = MetricFamily("domain", "running", help: "1 if the VM is running (running or idle), else 0.")
    /// As `libvirt_domain_info_virtual_cpus`.
    public static let domainVirtualCPUs = MetricFamily("domain_virtual", "cpus", help: "Number of virtual CPUs of the VM.")
    /// As `libvirt_domain_info_maximum_memory_bytes`.
    public static let domainMaximumMemory = MetricFamily("domain_maximum_memory", "bytes", help: "Maximum memory of the VM, in bytes.")
    /// As `libvirt_domain_info_memory_usage_bytes`.
    public static let domainMemoryUsage = MetricFamily("domain_memory_usage", "bytes", help: "Current memory of the VM, in bytes.")
    /// As `libvirt_domain_info_cpu_time_seconds_total`; only where the backend reports it.
    public static let domainCPUTime = MetricFamily("domain_cpu_time", "seconds_total", help: "CPU time used by the VM, in seconds, where the backend reports it.")

    // Per backend (labels backend, plugin).
    /// 1 while the session is connected.
    public static let backendUp = MetricFamily("backend", "up", help: "1 if the backend's session is connected, else 0.")
    /// 1 when the VM series of this backend are last-known data.
    public static let backendStale = MetricFamily("backend", "stale", help: "1 if the backend's VM series are last-known data (latest refresh failed or backend down), else 0.")
    /// How long the last successful read took.
    public static let backendRefreshDuration = MetricFamily("backend_refresh_duration", "seconds", help: "Duration of the backend's last inventory read, in seconds.")
    /// Age of the VM data.
    public static let backendDataAge = MetricFamily("backend_data_age", "seconds", help: "Seconds since the backend's VM data was read (absent if never read).")
    /// VMs in the last known inventory.
    public static let backendDomains = MetricFamily("backend", "domains", help: "Number of VMs in the backend's last known inventory.")
    /// Failed refreshes.
    public static let backendRefreshErrors = MetricFamily("backend_refresh_errors", "total", help: "Failed inventory refreshes of the backend since the daemon started.")
    /// Sessions re-opened.
    public static let backendReconnects = MetricFamily("backend_reconnects", "total", help: "Sessions to the backend re-opened after the first.")
    /// Calls abandoned at their deadline; the session is kept (slow is not dead).
    public static let backendTimeouts = MetricFamily("backend_timeouts", "total", help: "Calls to the backend abandoned at its deadline (its session was kept).")
    /// How long the latest refresh waited for one of the daemon's refresh places.
    public static let backendRefreshLag = MetricFamily("backend_refresh_lag", "seconds",
                                                       help: "How long the backend's latest periodic refresh waited for a place: its interval's stretch under load.")

    // The daemon.
    /// Backends with an open session.
    public static let backendSessions = MetricFamily("backend", "sessions", help: "Backend sessions open now.")
    /// Jobs followed now, by backend.
    public static let jobsRunning = MetricFamily("jobs", "running", help: "Jobs the daemon is following now, by the backend they went through.")
    /// Jobs ended failed, by backend.
    public static let jobsFailed = MetricFamily("jobs_failed", "total", help: "Jobs that ended failed since the daemon started, by the backend they went through.")
    /// Connected JSON-RPC clients, by socket.
    public static let rpcClients = MetricFamily("rpc", "clients", help: "Clients connected now, by socket (rw, ro: JSON-RPC; libvirt-rw, libvirt-ro: libvirt protocol).")
    /// Calls by method.
    public static let rpcRequests = MetricFamily("rpc_requests", "total", help: "JSON-RPC calls answered, by method.")
    /// Failed calls by method and stable error code.
    public static let rpcErrors = MetricFamily("rpc_errors", "total", help: "JSON-RPC calls answered with an error, by method and error code.")
    /// Latency by method.
    public static let rpcDuration = MetricFamily("rpc_request_duration", "seconds", help: "JSON-RPC call latency, by method, in seconds.")
}
