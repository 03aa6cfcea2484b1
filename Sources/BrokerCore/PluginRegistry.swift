/// The plugins a program registered, resolved by a URI's driver part. Only executables
/// register plugins; the engine sees nothing but this table.
public struct PluginRegistry: Sendable {
    private var byScheme: [String: any BackendPlugin] = [:]
    /// The plugins, in the order registered.
    public private(set) var plugins: [any BackendPlugin] = []

    /// An empty registry.
    public init() {}

    /// Creates a registry holding the given plugins.
    public init(_ plugins: [any BackendPlugin]) {
        for plugin in plugins { register(plugin) }
    }

    /// Registers a plugin for each scheme it declares (a later plugin wins a shared scheme).
    public mutating func register(_ plugin: any BackendPlugin) {
        plugins.append(plugin)
        for scheme in type(of: plugin).schemes { byScheme[scheme.lowercased()] = plugin }
    }

    /// Each plugin's name and the schemes it owns, sorted (what `broker.version` reports).
    public var schemesByPlugin: [String: [String]] {
        Dictionary(plugins.map { (type(of: $0).name, type(of: $0).schemes.sorted()) }, uniquingKeysWith: { first, _ in first })
    }

    /// Every scheme some plugin owns, sorted.
    public var knownSchemes: [String] { byScheme.keys.sorted() }

    /// The plugin owning the URI's driver, or an error naming the known schemes.
    public func plugin(for uri: BackendURI) throws(BackendError) -> any BackendPlugin {
        guard let plugin = byScheme[uri.driver] else {
            throw BackendError(
                .invalidArgument,
                "no plugin owns the URI scheme '\(uri.driver)'; known schemes: \(knownSchemes.joined(separator: ", "))"
            )
        }
        return plugin
    }
}
