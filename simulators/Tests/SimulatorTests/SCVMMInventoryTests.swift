import Foundation
@testable import Simulators
import Testing

@Suite("SCVMM simulator: inventories")
struct SCVMMInventoryTests {
    @Test("The real capture loads unmodified: 28 VMs on 3 hosts — 10 Running, 15 PowerOff, 3 Saved — no VMId")
    func realCapture() throws {
        let inventory = try SCVMMInventory.load(path: SCVMMScripts.fixture)
        #expect(inventory.hosts.count == 3)
        #expect(inventory.virtualMachines.count == 28)
        let states = Dictionary(grouping: inventory.virtualMachines, by: \.state).mapValues(\.count)
        #expect(states == [.running: 10, .powerOff: 15, .saved: 3])
        #expect(inventory.virtualMachines.allSatisfy { $0.vmID == nil && $0.biosGUID != nil })
        #expect(inventory.hosts.allSatisfy { $0.platform == .hyperV })
        #expect(inventory.hosts.map(\.communication).contains(.notResponding))
        #expect(inventory.virtualMachines.contains { $0.currentStatus == .unsupportedCluster && $0.state == .powerOff })
        let first = try #require(inventory.virtualMachines.first)
        #expect(first.name == "ag_test_prov_3" && first.memoryMB == 512 && first.cpuCount == 1)
        #expect(first.extra.map(\.name).contains("VirtualHardDisks"))
    }

    @Test("The capture through the wire inventory script: hosts and VMs with string enums, VMId null")
    func captureThroughScript() throws {
        let model = SCVMMModel(inventory: try SCVMMInventory.load(path: SCVMMScripts.fixture))
        let result = SCVMMScripts.run(SCVMMScripts.inventory, on: model)
        #expect(result.exitCode == 0 && result.stderr.isEmpty, "\(result.stderr)")
        let document = try SCVMMScripts.json(result.stdout)
        let vms = try #require(document["vms"] as? [[String: Any]])
        let hosts = try #require(document["hosts"] as? [[String: Any]])
        #expect(vms.count == 28 && hosts.count == 3)
        #expect(vms.filter { $0["VirtualMachineState"] as? String == "Running" }.count == 10)
        #expect(vms.allSatisfy { $0["VMId"] is NSNull && $0["VirtualizationPlatform"] as? String == "HyperV" })
        #expect(Set(hosts.compactMap { $0["CommunicationState"] as? String }) == ["Responding", "NotResponding"])
        #expect(hosts.first?["TotalMemory"] as? Int == 77_297_573_888)
        #expect(Array(document.keys).sorted() == ["hosts", "server", "vms"])
    }

    @Test("Uncast, the enums are integers and the capture's other properties come through (Get-SCVirtualMachine -All | ConvertTo-Json -Depth 2)")
    func uncastEnumsAndCarriedProperties() throws {
        let model = SCVMMModel(inventory: try SCVMMInventory.load(path: SCVMMScripts.fixture))
        let result = SCVMMScripts.run("Get-SCVirtualMachine -All | ConvertTo-Json -Depth 2 -Compress", on: model)
        let vms = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        #expect(vms.count == 28)
        let first = try #require(vms.first)
        #expect(first["VirtualMachineState"] as? Int == 1 && first["VirtualizationPlatform"] as? Int == 2)
        #expect(first["VMCPath"] as? String == #"J:\ag_test_prov_3\Virtual Machines\E9BF3DA2-17ED-4E3E-B577-19F74E1C9F1E.xml"#)
        // Depth 2: the VM array is level 0, a VM 1, its properties 2, so disk objects inside an array are strings.
        let disks = try #require(first["VirtualHardDisks"] as? [Any])
        #expect(disks.allSatisfy { $0 is String })
    }

    @Test("config/scvmm-demo.json: hv01 carries exactly config/hv01.json's VMs (VMId = guid, BiosGuid = biosGuid), plus ESX and XenServer hosts")
    func demo() throws {
        let inventory = try SCVMMInventory.load(path: SCVMMScripts.demo)
        let hyperV = try HyperVInventory.load(path: SCVMMScripts.root.appendingPathComponent("config/hv01.json").path)
        #expect(Set(inventory.hosts.map(\.platform)) == [.hyperV, .vmwareESX, .xenServer])
        let hv01 = try #require(inventory.hosts.first { $0.platform == .hyperV })
        #expect(hv01.name.hasPrefix("hv01"))
        let onHV01 = inventory.virtualMachines.filter { $0.hostName == hv01.name }
        #expect(onHV01.count == hyperV.vms.count)
        let states: [Int: VMComputerSystemState] = [2: .running, 3: .powerOff, 6: .saved, 9: .paused]
        for vm in hyperV.vms {
            let match = try #require(onHV01.first { $0.vmID == GUIDText.normalized(vm.guid) }, "\(vm.name)")
            #expect(match.name == vm.name && match.biosGUID == GUIDText.normalized(vm.biosGuid))
            #expect(match.state == states[vm.enabledState] && match.cpuCount == vm.vcpus && match.memoryMB == vm.memoryMiB)
        }
        #expect(inventory.virtualMachines.count > onHV01.count + 4)
        #expect(inventory.serverName == "vmm.lab.local")
    }

    @Test("Bad inventories are refused with a message")
    func validation() {
        let cases = [
            #"{"vms": [{"Name": "a", "ID": "nope", "VirtualMachineStateString": "Running"}]}"#,
            #"{"vms": [{"Name": "a", "ID": "11111111-2222-3333-4444-555555555555", "VirtualMachineStateString": "Sideways"}]}"#,
            #"{"vms": [{"Name": "a", "ID": "11111111-2222-3333-4444-555555555555"}]}"#,
            #"{"hosts": [{"Name": "h", "ID": "11111111-2222-3333-4444-555555555555", "VirtualizationPlatformString": "Bochs"}]}"#,
            #"{"vms": [{"Name": "a", "ID": "11111111-2222-3333-4444-555555555555", "VirtualMachineStateString": "Running"}, {"Name": "b", "ID": "11111111-2222-3333-4444-555555555555", "VirtualMachineStateString": "Running"}]}"#,
            "[1, 2]", "{\"vms\": ",
        ]
        for text in cases {
            #expect(throws: InventoryError.self, "\(text)") { try SCVMMInventory.parse(Array(text.utf8)) }
        }
    }

    @Test("--generate: N VMs over H hosts of all platforms, distinct IDs, stable between runs")
    func generator() {
        let inventory = SCVMMInventory.generated(vmCount: 5_000, hostCount: 50)
        #expect(inventory.virtualMachines.count == 5_000 && inventory.hosts.count == 50)
        #expect(Set(inventory.virtualMachines.map(\.id)).count == 5_000)
        #expect(Set(inventory.hosts.map(\.platform)) == [.hyperV, .vmwareESX, .xenServer])
        #expect(SCVMMInventory.generated(vmCount: 5_000, hostCount: 50) == inventory)
        let model = SCVMMModel(inventory: inventory)
        let result = SCVMMScripts.run(SCVMMScripts.inventory, on: model)
        #expect(result.exitCode == 0)
        #expect(((try? SCVMMScripts.json(result.stdout))?["vms"] as? [Any])?.count == 5_000)
    }
}
