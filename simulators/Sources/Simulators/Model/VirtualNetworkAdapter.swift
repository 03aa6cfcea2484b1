/// A synthetic network adapter of a simulated VM, resolved from the inventory: one
/// `Msvm_SyntheticEthernetPortSettingData`, one `Msvm_EthernetPortAllocationSettingData` (its
/// connection to a switch) and one `Win32_PerfRawData_NvspNicStats_HyperVVirtualNetworkAdapter`.
struct VirtualNetworkAdapter: Sendable, Equatable {
    /// The adapter's GUID (uppercase), the last part of its `InstanceID`.
    var id: String
    /// `Address`: 12 uppercase hex digits, no separators.
    var mac: String
    /// `StaticMacAddress`: true when the inventory gave the MAC.
    var staticMAC: Bool
    /// The switch it is connected to (`LastKnownSwitchName`); nil while it is not connected.
    var switchName: String?

    /// `Default Switch`, the switch Hyper-V creates on every host.
    static let defaultSwitchName = "Default Switch"
}
