/// A VM host as SCVMM knows it (`Get-SCVMHost`): typed platform and communication state, and every
/// other property of the inventory record carried through.
public struct SCVMMHost: Sendable, Equatable {
    /// `Name` (the FQDN).
    public var name: String
    /// `ID` (lowercase GUID).
    public var id: String
    /// `VirtualizationPlatform`.
    public var platform: VirtualizationPlatform
    /// `CommunicationState`.
    public var communication: CommunicationState
    /// The other properties of the inventory record, in order.
    public var extra: [PSProperty]

    static let typedProperties: Set<String> = ["name", "id", "virtualizationplatform", "virtualizationplatformstring",
                                               "communicationstate", "communicationstatestring"]

    /// The cmdlet output object.
    var object: PSObject {
        let properties = [PSProperty("Name", .string(name)), PSProperty("ID", .string(id)),
                          PSProperty("VirtualizationPlatform", platform.value), PSProperty("CommunicationState", communication.value),
                          PSProperty("VirtualizationPlatformString", .string(platform.name)),
                          PSProperty("CommunicationStateString", .string(communication.name))] + extra
        return PSObject(typeName: "Microsoft.SystemCenter.VirtualMachineManager.Host", properties: properties, display: name,
                        reference: .host(id))
    }
}
