/// A hardware profile (`New-SCHardwareProfile`): what a new VM gets.
public struct SCVMMHardwareProfile: Sendable, Equatable {
    /// `ID` (lowercase GUID).
    public var id: String
    /// `Name`.
    public var name: String
    /// `CPUCount`.
    public var cpuCount: Int
    /// `Memory` (MB).
    public var memoryMB: Int
    /// `Generation` (1 or 2).
    public var generation: Int

    /// The cmdlet output object.
    var object: PSObject {
        PSObject(typeName: "Microsoft.SystemCenter.VirtualMachineManager.HardwareProfile", properties: [
            PSProperty("Name", .string(name)), PSProperty("ID", .string(id)), PSProperty("CPUCount", .int(cpuCount)),
            PSProperty("Memory", .int(memoryMB)), PSProperty("Generation", .int(generation)),
        ], display: name, reference: .hardwareProfile(id))
    }
}
