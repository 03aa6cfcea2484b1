/// A VM template in the library (`Get-SCVMTemplate`): the hardware a VM made from it gets.
/// Loaded from the inventory's `images` (the real capture has 22).
public struct SCVMMTemplate: Sendable, Equatable {
    /// `ID` (lowercase GUID).
    public var id: String
    /// `Name`.
    public var name: String
    /// `CPUCount`.
    public var cpuCount: Int
    /// `Memory` (MB).
    public var memoryMB: Int

    /// Creates a template.
    public init(id: String, name: String, cpuCount: Int, memoryMB: Int) {
        self.id = id
        self.name = name
        self.cpuCount = cpuCount
        self.memoryMB = memoryMB
    }

    /// The cmdlet output object.
    var object: PSObject {
        PSObject(typeName: "Microsoft.SystemCenter.VirtualMachineManager.Template", properties: [
            PSProperty("Name", .string(name)), PSProperty("ID", .string(id)), PSProperty("CPUCount", .int(cpuCount)),
            PSProperty("Memory", .int(memoryMB)),
        ], display: name, reference: .template(id))
    }
}
