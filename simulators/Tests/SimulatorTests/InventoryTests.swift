import Foundation
import Simulators
import Testing

@Suite("Simulator inventory")
struct InventoryTests {
    @Test("config/hv01.json: host hv01, six VMs covering states 2, 3, 6 and 9")
    func demoInventory() throws {
        let inventory = try SimulatorHarness.demoInventory()
        #expect(inventory.host.name == "hv01")
        #expect(inventory.host.sockets == 2)
        #expect(inventory.host.memoryBytes == 274_877_906_944)
        #expect(inventory.vms.count == 6)
        #expect(inventory.vms.filter { $0.enabledState == 2 }.count == 2)
        #expect(inventory.vms.filter { $0.enabledState == 3 }.count == 2)
        #expect(Set(inventory.vms.map(\.enabledState)) == [2, 3, 6, 9])
        #expect(inventory.vms.first?.name == "sql-01")
        #expect(inventory.vms.first?.maxMemoryMiB == 16384)
    }

    @Test("Bad GUIDs and states are refused with a message")
    func validation() throws {
        let json = #"{"host": {"name": "h", "dnsHostName": "h", "cpuModel": "x", "sockets": 1, "coresPerSocket": 1, "logicalPerSocket": 2, "mhz": 1, "memoryBytes": 1, "osVersion": "10.0.17763"}, "vms": [{"name": "a", "guid": "not-a-guid", "biosGuid": "00000000-0000-0000-0000-000000000000", "enabledState": 2, "vcpus": 1, "memoryMiB": 1, "maxMemoryMiB": 1}]}"#
        #expect(throws: InventoryError.self) { try HyperVInventory.decode(Data(json.utf8)) }
        let badState = json.replacingOccurrences(of: "not-a-guid", with: "11111111-2222-3333-4444-555555555555")
            .replacingOccurrences(of: "\"enabledState\": 2", with: "\"enabledState\": 5")
        do {
            _ = try HyperVInventory.decode(Data(badState.utf8))
            Issue.record("state 5 accepted")
        } catch {
            #expect(error.message.contains("enabledState 5"))
        }
    }

    @Test("The generator makes N distinct, valid VMs")
    func generator() throws {
        let inventory = HyperVInventory.generated(vmCount: 1000)
        #expect(inventory.vms.count == 1000)
        #expect(Set(inventory.vms.map(\.guid)).count == 1000)
        #expect(inventory.vms[41].name == "vm-00042")
        try inventory.validate()
        #expect(GUIDText.normalized(inventory.vms[0].guid) == inventory.vms[0].guid)
    }
}
