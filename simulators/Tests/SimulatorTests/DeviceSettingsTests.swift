import Foundation
import Simulators
import Testing
import XML

@Suite("Disks, network adapters and switches (SASD, synthetic ports, port allocations)")
struct DeviceSettingsTests {
    static let vmGUIDs = ["7A3E0C4B-2F1D-4E5A-9B8C-1D2E3F4A5B6C", "B3F1A2C4-6D7E-4F80-9A1B-2C3D4E5F6A7B", "0D9C8B7A-6F5E-4D3C-8B2A-19F8E7D6C5B4",
                          "1E2D3C4B-5A69-4788-9A6B-5C4D3E2F1A0B", "9F8E7D6C-5B4A-4392-8181-706F5E4D3C2B", "3C4D5E6F-7081-4293-A4B5-C6D7E8F90A1B"]

    @Test("The demo inventory unchanged: one VHD and one adapter on Default Switch per VM, InstanceIDs under Microsoft:<VM GUID>\\")
    func defaults() async throws {
        let harness = try await SimulatorHarness.start()
        defer { Task { await harness.stop() } }
        let disks = try harness.query("SELECT * FROM Msvm_StorageAllocationSettingData ")
        #expect(disks.count == 6)
        for (disk, guid) in zip(disks, Self.vmGUIDs) {
            let id = try #require(disk.property("InstanceID"))
            #expect(id.hasPrefix(#"Microsoft:\#(guid)\"#) && id.hasSuffix(#"\0\0\L"#))
            #expect(disk.property("ResourceType") == "31" && disk.property("ElementName") == "Hard Disk Image")
            #expect(disk.property("ResourceSubType") == "Microsoft:Hyper-V:Virtual Hard Disk")
            #expect(disk.property("Address") == "0" && disk.property("AddressOnParent") == "0")
        }
        #expect(disks[1].propertyArray("HostResource") == [#"C:\ProgramData\Microsoft\Windows\Virtual Hard Disks\web-01.vhdx"#])

        let ports = try harness.query("SELECT * FROM Msvm_SyntheticEthernetPortSettingData ")
        let allocations = try harness.query("SELECT * FROM Msvm_EthernetPortAllocationSettingData ")
        #expect(ports.count == 6 && allocations.count == 6)
        for ((port, allocation), guid) in zip(zip(ports, allocations), Self.vmGUIDs) {
            let id = try #require(port.property("InstanceID"))
            #expect(id.hasPrefix(#"Microsoft:\#(guid)\"#) && id.count == "Microsoft:".count + 36 + 1 + 36)
            #expect(port.property("ElementName") == "Network Adapter" && port.property("ResourceType") == "10")
            let mac = try #require(port.property("Address"))
            #expect(mac.count == 12 && mac.allSatisfy { $0.isHexDigit && !$0.isLowercase } && mac == "00155D" + guid.suffix(6))
            #expect(port.property("StaticMacAddress") == "false")
            #expect(allocation.property("InstanceID") == id + #"\C"#)
            #expect(allocation.property("ResourceType") == "33" && allocation.property("EnabledState") == "2")
            #expect(allocation.property("LastKnownSwitchName") == "Default Switch")
            #expect(allocation.property("Parent") == #"\\HV01\root\virtualization\v2:Msvm_SyntheticEthernetPortSettingData.InstanceID=""#
                    + id.replacingOccurrences(of: #"\"#, with: #"\\"#) + "\"")
            #expect(allocation.propertyArray("HostResource") == [
                #"\\HV01\root\virtualization\v2:Msvm_VirtualEthernetSwitch.CreationClassName="Msvm_VirtualEthernetSwitch",Name="C08CB7B8-9B3C-408E-8E30-5E16A3AEB444""#,
            ])
        }
        let switches = try harness.query("SELECT * FROM Msvm_VirtualEthernetSwitch ")
        #expect(switches.map { $0.property("ElementName") } == ["Default Switch", "Lab LAN"])  // the inventory declares Lab LAN, which no VM uses yet
        let settings = try harness.query("SELECT * FROM Msvm_VirtualSystemSettingData ")
        #expect(settings.allSatisfy { $0.property("VirtualSystemSubType") == "Microsoft:Hyper-V:SubType:2" })
    }

    @Test("Explicit generation, disks and adapters; ASSOCIATORS OF the settings reach them")
    func explicitDevices() async throws {
        var inventory = try SimulatorHarness.demoInventory()
        inventory.vms[0].generation = 1
        inventory.vms[0].disks = [VirtualDiskSpec(path: #"D:\VMs\sql-01\os.vhdx"#), VirtualDiskSpec(path: #"D:\VMs\sql-01\data.vhdx"#)]
        inventory.vms[0].nics = [NetworkAdapterSpec(mac: "00-15-5d-0a-0b-01", switch: "External"), NetworkAdapterSpec()]
        try inventory.validate()
        let harness = try await SimulatorHarness.start(inventory: inventory)
        defer { Task { await harness.stop() } }
        let guid = Self.vmGUIDs[0]
        let vssd = try #require(harness.query("SELECT * FROM Msvm_VirtualSystemSettingData WHERE VirtualSystemIdentifier = '\(guid)'").first)
        #expect(vssd.property("VirtualSystemSubType") == "Microsoft:Hyper-V:SubType:1")
        let path = "{Msvm_VirtualSystemSettingData.InstanceID='Microsoft:\(guid)'}"
        let disks = try harness.query("ASSOCIATORS OF \(path) WHERE AssocClass = Msvm_VirtualSystemSettingDataComponent ResultClass = Msvm_StorageAllocationSettingData")
        #expect(disks.map { $0.propertyArray("HostResource") } == [[#"D:\VMs\sql-01\os.vhdx"#], [#"D:\VMs\sql-01\data.vhdx"#]])
        #expect(disks.map { $0.property("InstanceID") } == [#"Microsoft:\#(guid)\83F8638B-8DCA-4152-9EDA-2CA8B33039B4\0\0\L"#,
                                                            #"Microsoft:\#(guid)\83F8638B-8DCA-4152-9EDA-2CA8B33039B4\0\1\L"#])
        let ports = try harness.query("ASSOCIATORS OF \(path) WHERE ResultClass = Msvm_SyntheticEthernetPortSettingData")
        #expect(ports.map { $0.property("Address") } == ["00155D0A0B01", "00155D4A5B6D"])
        #expect(ports.map { $0.property("StaticMacAddress") } == ["true", "false"])
        let allocations = try harness.query("ASSOCIATORS OF \(path) WHERE ResultClass = Msvm_EthernetPortAllocationSettingData")
        #expect(allocations.map { $0.property("LastKnownSwitchName") } == ["External", "Default Switch"])
        let switches = try harness.query("SELECT * FROM Msvm_VirtualEthernetSwitch WHERE ElementName = 'External'")
        let external = try #require(switches.first?.property("Name"))
        #expect(allocations.first?.propertyArray("HostResource").first?.hasSuffix("Name=\"\(external)\"") == true)
    }

    @Test("Inventory validation: generation 1 or 2, MACs of 12 hex digits, non-empty paths and switch names")
    func validation() throws {
        var inventory = try SimulatorHarness.demoInventory()
        inventory.vms[0].generation = 3
        #expect(throws: InventoryError.self) { try inventory.validate() }
        inventory.vms[0].generation = 2
        inventory.vms[0].nics = [NetworkAdapterSpec(mac: "00155D0A0B")]
        #expect(throws: InventoryError.self) { try inventory.validate() }
        inventory.vms[0].nics = [NetworkAdapterSpec(switch: "")]
        #expect(throws: InventoryError.self) { try inventory.validate() }
        inventory.vms[0].nics = nil
        inventory.vms[0].disks = [VirtualDiskSpec(path: "")]
        #expect(throws: InventoryError.self) { try inventory.validate() }
        let json = #"{"host": {"name": "h", "dnsHostName": "h.lab", "cpuModel": "x", "sockets": 1, "coresPerSocket": 1, "logicalPerSocket": 1, "mhz": 1, "memoryBytes": 1, "osVersion": "10.0.17763"}, "vms": [{"name": "a", "guid": "7A3E0C4B-2F1D-4E5A-9B8C-1D2E3F4A5B6C", "biosGuid": "E1C2A3B4-5D6E-4F70-8192-A3B4C5D6E7F8", "enabledState": 2, "vcpus": 1, "memoryMiB": 1, "maxMemoryMiB": 1, "generation": 1, "disks": [{"path": "C:\\a.vhdx"}], "nics": [{"mac": "00155D0A0B01", "switch": "External"}]}]}"#
        let decoded = try HyperVInventory.decode(Data(json.utf8))
        #expect(decoded.vms[0].generation == 1 && decoded.vms[0].disks == [VirtualDiskSpec(path: #"C:\a.vhdx"#)])
        #expect(decoded.vms[0].nics == [NetworkAdapterSpec(mac: "00155D0A0B01", switch: "External")])
    }
}
