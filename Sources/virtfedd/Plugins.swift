import BrokerCore
import HyperVPlugin
import LibvirtPlugin

/// The plugins the daemon registers — the only place it names them.
enum Plugins {
    static let all: [any BackendPlugin] = [LibvirtPlugin(), HyperVPlugin()]
    static let registry = PluginRegistry(all)
}
