import Foundation
import Simulators
import Testing
import XML

/// `AddResourceSettings` on the wire: controllers, drives, images, adapters and connections
/// linked by `Parent` object paths, all or nothing, with Hyper-V's return codes and a failing
/// job for an image or switch the host does not have.
@Suite("Hyper-V AddResourceSettings: drives, images, adapters, connections")
struct ResourceAdditionTests {
    static let management = VirtualSystemMethodTests.management
    let methods: VirtualSystemMethodTests

    init() throws {
        methods = try VirtualSystemMethodTests()
    }

    /// `\\HV01\root\virtualization\v2:Class.InstanceID="…"` with `\` doubled, as Hyper-V writes it.
    static func path(_ className: String, _ instanceID: String) -> String {
        #"\\HV01\root\virtualization\v2:"# + className + #".InstanceID=""# + instanceID.replacingOccurrences(of: #"\"#, with: #"\\"#) + "\""
    }

    func add(to guid: String, _ className: String, _ properties: [(String, String)], arrays: [(String, [String])] = [])
        throws -> VirtualSystemMethodTests.Output {
        try methods.call(Envelopes.serviceMethod(Self.management, "AddResourceSettings", Envelopes.settings("AffectedConfiguration", "Microsoft:\(guid)")
            + Envelopes.embedded("ResourceSettings", className: className, properties, arrays: arrays)), "AddResourceSettings")
    }

    @Test("a generation 1 VM: a disk drive on IDE 0, an image in it, an adapter on a switch; taken slots and foreign parents are 4")
    func generationOneDrivesAndAdapters() async throws {
        let (guid, job) = try methods.define("devices", subtype: "Microsoft:Hyper-V:SubType:1")
        _ = try await methods.waitForJob(try #require(job))
        let like = "Microsoft:\(guid)%"
        let controllers = methods.query("SELECT * FROM Msvm_ResourceAllocationSettingData WHERE InstanceID LIKE '\(like)' AND ResourceSubType = 'Microsoft:Hyper-V:Emulated IDE Controller'")
        #expect(controllers.map { $0["Address"] } == ["0", "1"])
        let ide0 = try #require(controllers.first?["InstanceID"])

        let drive = try add(to: guid, "Msvm_ResourceAllocationSettingData", [
            ("ResourceType", "17"), ("ResourceSubType", "Microsoft:Hyper-V:Synthetic Disk Drive"),
            ("Parent", Self.path("Msvm_ResourceAllocationSettingData", ide0)), ("AddressOnParent", "0")])
        #expect(drive.returnValue == 0)
        let driveID = try #require(drive.selector("ResultingResourceSettings", "InstanceID"))
        #expect(driveID.hasSuffix(#"\0\0\D"#))
        let again = try add(to: guid, "Msvm_ResourceAllocationSettingData", [
            ("ResourceType", "17"), ("Parent", Self.path("Msvm_ResourceAllocationSettingData", ide0)), ("AddressOnParent", "0")])
        #expect(again.returnValue == 4)
        let foreign = try add(to: guid, "Msvm_ResourceAllocationSettingData", [
            ("ResourceType", "17"), ("Parent", Self.path("Msvm_ResourceAllocationSettingData", ide0.replacingOccurrences(of: guid, with: VirtualSystemMethodTests.buildAgent)))])
        #expect(foreign.returnValue == 4)

        // An image the host does not have fails the job; one it has goes in, with the drive as Parent.
        let absent = try add(to: guid, "Msvm_StorageAllocationSettingData", [
            ("ResourceType", "31"), ("ResourceSubType", "Microsoft:Hyper-V:Virtual Hard Disk"),
            ("Parent", Self.path("Msvm_ResourceAllocationSettingData", driveID))], arrays: [("HostResource", [#"C:\Images\nope.vhdx"#])])
        #expect(absent.returnValue == 4096)
        let failed = try await methods.waitForJob(try #require(absent.job))
        #expect(failed["JobState"] == "10" && failed["ErrorDescription"]?.contains("cannot find the file") == true, "\(failed)")
        let image = try add(to: guid, "Msvm_StorageAllocationSettingData", [
            ("ResourceType", "31"), ("ResourceSubType", "Microsoft:Hyper-V:Virtual Hard Disk"),
            ("Parent", Self.path("Msvm_ResourceAllocationSettingData", driveID))], arrays: [("HostResource", [#"C:\Images\data-01.vhdx"#])])
        #expect(image.returnValue == 0)
        let stored = try #require(methods.query("SELECT * FROM Msvm_StorageAllocationSettingData WHERE InstanceID LIKE '\(like)'").first)
        #expect(stored["HostResource"] == #"C:\Images\data-01.vhdx"# && stored["Parent"]?.contains(#"\\0\\0\\D""#) == true, "\(stored)")

        // An adapter with a MAC that is not 12 hex digits is 4; one on a switch the host lacks fails its connection's job.
        #expect(try add(to: guid, "Msvm_SyntheticEthernetPortSettingData", [("ResourceType", "10"), ("StaticMacAddress", "true"), ("Address", "nope")])
            .returnValue == 4)
        let port = try add(to: guid, "Msvm_SyntheticEthernetPortSettingData", [("ResourceType", "10"), ("StaticMacAddress", "true"), ("Address", "00155D0A0B99")])
        let portID = try #require(port.selector("ResultingResourceSettings", "InstanceID"))
        func connect(_ switchID: String) throws -> VirtualSystemMethodTests.Output {
            try add(to: guid, "Msvm_EthernetPortAllocationSettingData", [("ResourceType", "33"), ("Parent", Self.path("Msvm_SyntheticEthernetPortSettingData", portID))],
                    arrays: [("HostResource", [#"\\HV01\root\virtualization\v2:Msvm_VirtualEthernetSwitch.CreationClassName="Msvm_VirtualEthernetSwitch",Name=""# + switchID + "\""])])
        }
        let nowhere = try connect("00000000-0000-4000-8000-000000000000")
        #expect(try await methods.waitForJob(try #require(nowhere.job))["JobState"] == "10")
        let lab = try #require(methods.query("SELECT * FROM Msvm_VirtualEthernetSwitch WHERE ElementName = 'Lab LAN'").first?["Name"])
        #expect(try connect(lab).returnValue == 0)
        let connection = try #require(methods.query("SELECT * FROM Msvm_EthernetPortAllocationSettingData WHERE InstanceID LIKE '\(like)'").first)
        #expect(connection["LastKnownSwitchName"] == "Lab LAN")

        // A running VM takes no devices here: 32775.
        #expect(try add(to: VirtualSystemMethodTests.web, "Msvm_SyntheticEthernetPortSettingData", [("ResourceType", "10")]).returnValue == 32775)
    }
}
