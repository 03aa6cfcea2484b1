import BrokerCore
import HyperVPlugin
import LibvirtPlugin
import SCVMMPlugin

/// The plugins virtfed ships, registered in one table for both executables — the one place
/// that names them. A new backend kind is one line here (and its target in Package.swift).
public enum BuiltinPlugins {
    /// The registry of every shipped plugin.
    public static let registry = PluginRegistry([LibvirtPlugin(), HyperVPlugin(), SCVMMPlugin()])
}
