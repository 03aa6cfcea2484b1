import BrokerCore
import Foundation
import TOMLKit

/// Reads and validates a TOML configuration without connecting to anything. Every problem
/// names the file, the line and the key; all problems are reported at once.
public struct ConfigurationLoader: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// Resolves URI schemes to plugins (an unknown scheme is a configuration error).
    public var registry: PluginRegistry
    /// Where `password_env` is looked up.
    public var environment: [String: String]

    static let topKeys: Set<String> = ["daemon", "broker", "backends", "cluster"]
    static let clusterKeys: Set<String> = ["store", "password_file", "password_env", "node", "site", "lease_ms"]
    static let daemonKeys: Set<String> = [
        "socket", "readonly_socket", "socket_mode", "socket_group", "readonly_socket_mode", "audit_log", "state_dir", "metrics",
        "max_message_bytes", "max_clients", "max_in_flight", "idle_timeout_ms", "event_queue_limit",
        "libvirt_socket", "libvirt_readonly_socket",
    ]
    static let brokerKeys: Set<String> = ["prefer", "refresh_concurrency", "connect_concurrency", "connects_per_second", "job_timeout_ms",
                                          "job_retention"]
    /// The keys every `[[backends]]` entry may have; a plugin adds its own `settings`.
    static let backendKeys: Set<String> = [
        "name", "uri", "username", "password_file", "password_env", "timeout_ms", "max_concurrency", "poll_interval_ms", "site",
    ]

    /// The placeholder in URIs replaced by the configuration file's directory, so that a
    /// config can name test-driver host files beside it: `test://{config_dir}/hosts/a.xml`.
    public static let configDirectoryPlaceholder = "{config_dir}"

    /// Never the environment: it may hold secrets (`password_env`).
    public var description: String { "ConfigurationLoader(schemes: \(registry.knownSchemes))" }
    public var debugDescription: String { description }

    /// Creates a loader.
    public init(registry: PluginRegistry, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.registry = registry
        self.environment = environment
    }

    /// Loads a file.
    public func load(file path: String) throws(InvalidConfiguration) -> BrokerConfiguration {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw InvalidConfiguration([ConfigurationError(file: path, line: 0, key: nil, message: "cannot read the file")])
        }
        return try parse(text, file: path)
    }

    /// Parses configuration text; `file` names it in messages and anchors relative paths.
    public func parse(_ text: String, file: String) throws(InvalidConfiguration) -> BrokerConfiguration {
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw InvalidConfiguration([ConfigurationError(file: file, line: error.source.begin.line, key: nil, message: error.description)])
        } catch {
            throw InvalidConfiguration([ConfigurationError(file: file, line: 0, key: nil, message: "\(error)")])
        }
        var reader = Reader(file: file, locator: TOMLKeyLocator(source: text))
        let directory = URL(fileURLWithPath: file).deletingLastPathComponent().standardizedFileURL.path

        reader.unknownKeys(table.keys, allowed: Self.topKeys, table: "", index: 0, prefix: "")
        var daemon = BrokerConfiguration.Daemon()
        if let section = reader.table(table["daemon"], name: "daemon") {
            reader.unknownKeys(section.keys, allowed: Self.daemonKeys, table: "daemon", index: 0, prefix: "daemon.")
            daemon.socket = reader.path(section, "socket", table: "daemon", directory: directory)
            daemon.readonlySocket = reader.path(section, "readonly_socket", table: "daemon", directory: directory)
            daemon.socketMode = reader.mode(section, "socket_mode")
            daemon.socketGroup = reader.string(section, "socket_group", table: "daemon")
            daemon.readonlySocketMode = reader.mode(section, "readonly_socket_mode")
            daemon.libvirtSocket = reader.path(section, "libvirt_socket", table: "daemon", directory: directory)
            daemon.libvirtReadonlySocket = reader.path(section, "libvirt_readonly_socket", table: "daemon", directory: directory)
            daemon.auditLog = reader.path(section, "audit_log", table: "daemon", directory: directory)
            daemon.stateDirectory = reader.path(section, "state_dir", table: "daemon", directory: directory)
            daemon.metrics = reader.string(section, "metrics", table: "daemon")
            if let metrics = daemon.metrics {
                do throws(MetricsListenAddress.Invalid) {
                    _ = try MetricsListenAddress(parsing: metrics)
                } catch {
                    reader.fail("daemon.metrics", table: "daemon", index: 0, key: "metrics", error.description)
                }
            }
            daemon.maxMessageBytes = reader.positive(section, "max_message_bytes", table: "daemon", index: 0, dotted: "daemon.max_message_bytes")
            daemon.maxClients = reader.positive(section, "max_clients", table: "daemon", index: 0, dotted: "daemon.max_clients")
            daemon.maxInFlight = reader.positive(section, "max_in_flight", table: "daemon", index: 0, dotted: "daemon.max_in_flight")
            daemon.idleTimeoutMilliseconds = reader.positive(section, "idle_timeout_ms", table: "daemon", index: 0, dotted: "daemon.idle_timeout_ms")
            daemon.eventQueueLimit = reader.positive(section, "event_queue_limit", table: "daemon", index: 0, dotted: "daemon.event_queue_limit")
        }
        var prefer = RouteKind.direct
        var limits = EngineLimits()
        var jobTimeout: Int?, jobRetention: Int?
        if let section = reader.table(table["broker"], name: "broker") {
            for (key, path) in [("refresh_concurrency", \EngineLimits.refreshConcurrency), ("connect_concurrency", \EngineLimits.connectConcurrency),
                                ("connects_per_second", \EngineLimits.connectsPerSecond)] {
                if let value = reader.positive(section, key, table: "broker", index: 0, dotted: "broker." + key) { limits[keyPath: path] = value }
            }
            jobTimeout = reader.positive(section, "job_timeout_ms", table: "broker", index: 0, dotted: "broker.job_timeout_ms")
            jobRetention = reader.positive(section, "job_retention", table: "broker", index: 0, dotted: "broker.job_retention")
            reader.unknownKeys(section.keys, allowed: Self.brokerKeys, table: "broker", index: 0, prefix: "broker.")
            if let value = reader.string(section, "prefer", table: "broker") {
                if let kind = RouteKind(rawValue: value) {
                    prefer = kind
                } else {
                    reader.fail("broker.prefer", table: "broker", index: 0, key: "prefer", "must be \"direct\" or \"manager\", not \"\(value)\"")
                }
            }
        }

        var cluster: ClusterConfiguration?
        if let section = reader.table(table["cluster"], name: "cluster") {
            reader.unknownKeys(section.keys, allowed: Self.clusterKeys, table: "cluster", index: 0, prefix: "cluster.")
            if let store = reader.string(section, "store", table: "cluster") {
                if !(store.hasPrefix("postgresql://") || store.hasPrefix("postgres://")) {
                    reader.fail("cluster.store", table: "cluster", index: 0, key: "store", "must be a postgresql:// URL")
                } else if let at = store.firstIndex(of: "@"), store[..<at].dropFirst("postgresql://".count).contains(":") {
                    reader.fail("cluster.store", table: "cluster", index: 0, key: "store",
                                "must not carry a password: give it with password_file or password_env")
                }
                let password = reader.secret(section, table: "cluster", index: 0, dotted: { "cluster." + $0 }, directory: directory,
                                             environment: environment)
                let node = reader.string(section, "node", table: "cluster") ?? ProcessInfo.processInfo.hostName
                if !BackendConfiguration.isValidName(node) {
                    reader.fail("cluster.node", table: "cluster", index: 0, key: "node", "'\(node)' is not a valid node name (a-z, 0-9, '.', '_', '-')")
                }
                let lease = reader.positive(section, "lease_ms", table: "cluster", index: 0, dotted: "cluster.lease_ms")
                    ?? ClusterConfiguration.defaultLeaseMilliseconds
                if lease < 1000 {
                    reader.fail("cluster.lease_ms", table: "cluster", index: 0, key: "lease_ms", "must be at least 1000")
                }
                cluster = ClusterConfiguration(store: store, password: password, node: node, site: reader.string(section, "site", table: "cluster"),
                                               leaseMilliseconds: lease)
            } else {
                reader.fail("cluster.store", table: "cluster", index: 0, key: "store", "[cluster] needs store = \"postgresql://…\"")
            }
        }

        var backends: [BackendConfiguration] = []
        var seen: [String: Int] = [:]
        let entries: [TOMLTable]
        if let value = table["backends"] {
            if let array = value.array {
                entries = array.compactMap { $0.table }
            } else {
                reader.fail("backends", table: "", index: 0, key: "backends", "must be an array of tables ([[backends]])")
                entries = []
            }
        } else {
            entries = []
        }
        for (index, entry) in entries.enumerated() {
            if let backend = reader.backend(entry, index: index, directory: directory, registry: registry, environment: environment) {
                if let first = seen[backend.name] {
                    reader.fail("backends[\(index)].name", table: "backends", index: index, key: "name",
                                "duplicate backend name '\(backend.name)' (first defined at line \(first))")
                } else {
                    seen[backend.name] = backend.line
                    backends.append(backend)
                }
            }
        }
        if !reader.problems.isEmpty { throw InvalidConfiguration(reader.problems) }
        var configuration = BrokerConfiguration(file: file, daemon: daemon, preferredRoute: prefer, limits: limits, backends: backends)
        configuration.warnings = reader.warnings
        configuration.jobTimeoutMilliseconds = jobTimeout
        configuration.jobRetention = jobRetention
        configuration.cluster = cluster
        return configuration
    }
}

/// Collects values and located problems while walking the TOML tree.
private struct Reader {
    let file: String
    let locator: TOMLKeyLocator
    var problems: [ConfigurationError] = []
    var warnings: [ConfigurationError] = []

    init(file: String, locator: TOMLKeyLocator) {
        self.file = file
        self.locator = locator
    }

    mutating func fail(_ dotted: String, table: String, index: Int, key: String, _ message: String) {
        problems.append(ConfigurationError(file: file, line: locator.line(of: key, in: table, index: index), key: dotted, message: message))
    }

    mutating func warn(_ dotted: String, table: String, index: Int, key: String, _ message: String) {
        warnings.append(ConfigurationError(file: file, line: locator.line(of: key, in: table, index: index), key: dotted, message: message))
    }

    mutating func table(_ value: TOMLValueConvertible?, name: String) -> TOMLTable? {
        guard let value else { return nil }
        guard let table = value.table else {
            fail(name, table: "", index: 0, key: name, "must be a table")
            return nil
        }
        return table
    }

    mutating func unknownKeys(_ keys: [String], allowed: Set<String>, table: String, index: Int, prefix: String) {
        for key in keys where !allowed.contains(key) {
            fail(prefix + key, table: table, index: index, key: key,
                 "unknown key; known keys: \(allowed.sorted().joined(separator: ", "))")
        }
    }

    mutating func string(_ table: TOMLTable, _ key: String, table name: String, index: Int = 0, dotted: String? = nil) -> String? {
        guard let value = table[key] else { return nil }
        guard let string = value.string else {
            fail(dotted ?? "\(name).\(key)", table: name, index: index, key: key, "must be a string")
            return nil
        }
        return string
    }

    mutating func positive(_ table: TOMLTable, _ key: String, table name: String, index: Int, dotted: String) -> Int? {
        guard let value = table[key] else { return nil }
        guard let int = value.int, int > 0 else {
            fail(dotted, table: name, index: index, key: key, "must be a positive integer")
            return nil
        }
        return int
    }

    /// A plugin's settings, each checked against its kind.
    mutating func options(_ entry: TOMLTable, settings: [BackendSetting], index: Int, directory: String) -> BackendOptions {
        var options = BackendOptions()
        for setting in Set(settings) where entry[setting.key] != nil {
            let dotted = "backends[\(index)].\(setting.key)"
            switch setting.kind {
            case .string:
                if let value = string(entry, setting.key, table: "backends", index: index, dotted: dotted) { options.values[setting.key] = .string(value) }
            case .readableFile:
                guard let file = path(entry, setting.key, table: "backends", directory: directory) else { continue }
                if FileManager.default.isReadableFile(atPath: file) {
                    options.values[setting.key] = .string(file)
                } else {
                    fail(dotted, table: "backends", index: index, key: setting.key, "cannot read \(setting.help) \(file)")
                }
            case .positiveInteger:
                if let value = positive(entry, setting.key, table: "backends", index: index, dotted: dotted) { options.values[setting.key] = .integer(value) }
            case .boolean:
                if let value = entry[setting.key]?.bool {
                    options.values[setting.key] = .boolean(value)
                } else {
                    fail(dotted, table: "backends", index: index, key: setting.key, "must be true or false")
                }
            }
        }
        return options
    }

    /// A path; relative paths are taken from the configuration file's directory.
    mutating func path(_ table: TOMLTable, _ key: String, table name: String, directory: String) -> String? {
        guard let value = string(table, key, table: name) else { return nil }
        return value.hasPrefix("/") ? value : directory + "/" + value
    }

    /// A file mode written as an octal string (`"0660"`).
    mutating func mode(_ table: TOMLTable, _ key: String) -> UInt32? {
        guard let text = string(table, key, table: "daemon") else { return nil }
        guard let mode = UInt32(text, radix: 8), mode <= 0o777 else {
            fail("daemon.\(key)", table: "daemon", index: 0, key: key, "must be an octal mode such as \"0660\"")
            return nil
        }
        return mode
    }

    mutating func backend(
        _ entry: TOMLTable, index: Int, directory: String, registry: PluginRegistry, environment: [String: String]
    ) -> BackendConfiguration? {
        let prefix = "backends[\(index)]."
        let before = problems.count
        func dotted(_ key: String) -> String { prefix + key }

        let name = string(entry, "name", table: "backends", index: index, dotted: dotted("name"))
        if let name, !BackendConfiguration.isValidName(name) {
            fail(dotted("name"), table: "backends", index: index, key: "name", "bad name '\(name)': use lowercase letters, digits, '.', '_' and '-'")
        } else if name == nil && entry["name"] == nil {
            fail(dotted("name"), table: "backends", index: index, key: "name", "missing")
        }

        var uri: BackendURI?
        var plugin: (any BackendPlugin)?
        if let text = string(entry, "uri", table: "backends", index: index, dotted: dotted("uri")) {
            let expanded = text.replacingOccurrences(of: ConfigurationLoader.configDirectoryPlaceholder, with: directory)
            do {
                let parsed = try BackendURI(parsing: expanded)
                plugin = try registry.plugin(for: parsed)
                uri = parsed
            } catch {
                fail(dotted("uri"), table: "backends", index: index, key: "uri", error.message)
            }
        } else if entry["uri"] == nil {
            fail(dotted("uri"), table: "backends", index: index, key: "uri", "missing")
        }
        // The plugin's own keys; with no plugin known, any plugin's.
        let settings = plugin.map { type(of: $0).settings } ?? registry.plugins.flatMap { type(of: $0).settings }
        unknownKeys(entry.keys, allowed: ConfigurationLoader.backendKeys.union(settings.map(\.key)), table: "backends", index: index, prefix: prefix)
        let options = self.options(entry, settings: settings, index: index, directory: directory)

        let timeout = positive(entry, "timeout_ms", table: "backends", index: index, dotted: dotted("timeout_ms")) ?? 5000
        let concurrency = positive(entry, "max_concurrency", table: "backends", index: index, dotted: dotted("max_concurrency")) ?? 8
        let pollInterval = positive(entry, "poll_interval_ms", table: "backends", index: index, dotted: dotted("poll_interval_ms"))
            ?? BackendConfiguration.defaultPollIntervalMilliseconds

        let username = string(entry, "username", table: "backends", index: index, dotted: dotted("username"))
        let password = secret(entry, table: "backends", index: index, dotted: dotted, directory: directory, environment: environment)

        guard problems.count == before, let name, let uri else { return nil }
        let credentials = (username != nil || password != nil) ? Credentials(username: username, password: password) : nil
        var backend = BackendConfiguration(name: name, uri: uri, credentials: credentials, timeoutMilliseconds: timeout,
                                           maxConcurrency: concurrency, pollIntervalMilliseconds: pollInterval, options: options,
                                           line: locator.headerLine("backends", index: index))
        backend.site = string(entry, "site", table: "backends", index: index, dotted: dotted("site"))
        return backend
    }

    /// A secret from `password_file` (relative to the config's directory; a file others can
    /// read is a warning) or `password_env`, not both; nil when neither is given.
    mutating func secret(_ entry: TOMLTable, table: String, index: Int, dotted: (String) -> String, directory: String,
                         environment: [String: String]) -> String? {
        let passwordFile = string(entry, "password_file", table: table, index: index, dotted: dotted("password_file"))
        let passwordEnv = string(entry, "password_env", table: table, index: index, dotted: dotted("password_env"))
        if passwordFile != nil && passwordEnv != nil {
            fail(dotted("password_env"), table: table, index: index, key: "password_env", "give password_file or password_env, not both")
        } else if let passwordFile {
            let path = passwordFile.hasPrefix("/") ? passwordFile : directory + "/" + passwordFile
            var info = stat()
            if stat(path, &info) != 0 {
                fail(dotted("password_file"), table: table, index: index, key: "password_file",
                     "password file \(path): \(String(cString: strerror(errno)))")
            } else if let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) {
                if info.st_mode & 0o044 != 0 {
                    warn(dotted("password_file"), table: table, index: index, key: "password_file",
                         "password file \(path) is readable by \(info.st_mode & 0o004 != 0 ? "everyone" : "its group") (mode \(String(info.st_mode & 0o777, radix: 8))); chmod 600 it")
                }
                return String(text.trimmingSuffix(while: { $0 == "\n" || $0 == "\r" }))
            } else {
                fail(dotted("password_file"), table: table, index: index, key: "password_file", "cannot read password file \(path)")
            }
        } else if let passwordEnv {
            if let value = environment[passwordEnv] { return value }
            fail(dotted("password_env"), table: table, index: index, key: "password_env", "environment variable \(passwordEnv) is not set")
        }
        return nil
    }
}

extension String {
    fileprivate func trimmingSuffix(while predicate: (Character) -> Bool) -> Substring {
        var slice = Substring(self)
        while let last = slice.last, predicate(last) { slice = slice.dropLast() }
        return slice
    }
}
