/// The two WMI namespaces the simulator serves, with their WS-Management URIs.
public enum WMINamespace: String, Sendable, Equatable {
    /// `root/virtualization/v2`: every `Msvm_*` class.
    case virtualizationV2 = "root/virtualization/v2"
    /// `root/cimv2`: the `Win32_*` classes.
    case cimv2 = "root/cimv2"

    /// `http://schemas.microsoft.com/wbem/wsman/1/wmi/root/…/` (with the trailing slash).
    public var uriPrefix: String { "http://schemas.microsoft.com/wbem/wsman/1/wmi/\(rawValue)/" }

    /// The Enumerate root URI (`…/*`).
    public var enumerateURI: String { uriPrefix + "*" }

    /// The namespace a class name lives in (`Win32_*` → cimv2, anything else → v2).
    public static func of(className: String) -> WMINamespace {
        className.lowercased().hasPrefix("win32_") ? .cimv2 : .virtualizationV2
    }
}
