import BrokerCore
import HyperVPlugin
import LibvirtPlugin
import SCVMMPlugin

/// The plugins this program registers — the only place that names them.
enum Plugins {
    static let registry = PluginRegistry([LibvirtPlugin(), HyperVPlugin(), SCVMMPlugin()])
}
