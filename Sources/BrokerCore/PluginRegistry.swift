/// The plugins a program registered, resolved by a URI's driver part. Only executables
/// register plugins; the engine sees nothing but this table.
public struct PluginRegistry: Sendable {
    private var byScheme: [String: any BackendPlugin] = [:]

    /// An empty registry.
    public init() {}

    /// Creates a registry holding the given plugins.
    public init(_ plugins: [any BackendPlugin]) {
        for plugin in plugins { register(plugin) }
    }

    /// Registers a plugin for each scheme it declares (a later plugin wins a shared scheme).
    public mutating func register(_ plugin: any BackendPlugin) {
        for scheme in type(of: plugin).schemes { byScheme[scheme.lowercased()] = plugin }
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
