import BrokerCore
import HyperVPlugin
import LibvirtPlugin
import SCVMMPlugin

/// The plugins the daemon registers — the only place it names them.
enum Plugins {
    static let all: [any BackendPlugin] = [LibvirtPlugin(), HyperVPlugin(), SCVMMPlugin()]
    static let registry = PluginRegistry(all)
}
