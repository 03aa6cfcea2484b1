import BrokerCore
import Foundation
import Testing
@testable import SCVMMPlugin

@Suite("SCVMM load: Perf* rates, devices, integrated totals")
struct SCVMMLoadTests {
    static let row = #"""
        {"server":"vmm","hosts":[],"vms":[{"Name":"web","ID":"11111111-0000-4000-8000-000000000001","VMId":"7A3E0C4B-2F1D-4E5A-9B8C-1D2E3F4A5B6C",
          "HostName":"hv01","VirtualMachineState":"Running","CPUCount":2,"Memory":4096,
          "PerfCPUUtilization":25,"PerfMemory":3000,"PerfDiskBytesRead":1024,"PerfDiskBytesWrite":2048,
          "Disks":[{"Location":"C:\\VMs\\web.vhdx","Size":1000,"MaximumSize":4000}],
          "Adapters":[{"MACAddress":"00:1D:D8:B7:2C:B6","VirtualNetwork":"vswitch","PerfNetworkKBytesRead":2,"PerfNetworkKBytesWrite":1}]}]}
        """#

    @Test func theListingsRatesBecomeTotalsAcrossListings() throws {
        let vm = try #require(try SCVMMInventory(json: Array(Self.row.utf8)).vms.first)
        let load = try #require(vm.load)
        let integrator = RateIntegrator()
        let start = ContinuousClock.now
        let first = load.stats(of: vm.domain, integrator: integrator, now: start)
        #expect(first.cpuTimeNs == 0)
        #expect(first.stats.cpuUtilization == 25 && first.stats.memoryUsedKiB == 3000 * 1024)
        #expect(first.stats.disks.count == 1 && first.stats.disks[0].source == #"C:\VMs\web.vhdx"#)
        #expect(first.stats.disks[0].capacityBytes == 4000 && first.stats.disks[0].allocationBytes == 1000)
        #expect(first.stats.interfaces[0].mac == "00:1d:d8:b7:2c:b6" && first.stats.interfaces[0].network == "vswitch")
        let later = load.stats(of: vm.domain, integrator: integrator, now: start + .seconds(10))
        // A quarter of two vCPUs for 10 s is 5 CPU-seconds; the disk's one disk gets the VM's I/O.
        #expect(later.cpuTimeNs == 5_000_000_000)
        #expect(later.stats.disks[0].readBytes == 10_240 && later.stats.disks[0].writeBytes == 20_480)
        #expect(later.stats.interfaces[0].rxBytes == 20_480 && later.stats.interfaces[0].txBytes == 10_240)
    }

    @Test func aVMWithSeveralDisksGetsItsIOOnAVMWideEntryAndAStoppedOneHasNone() {
        let running = Domain(name: "x", uuid: "u", state: .running, backendState: "", host: "h", vcpus: 1)
        let load = SCVMMLoad(cpuPercent: 10, memoryMB: 1, diskReadBps: 1, diskWriteBps: 1,
                             disks: [.init(location: "a"), .init(location: "b")], adapters: [])
        let stats = load.stats(of: running, integrator: RateIntegrator(), now: .now).stats
        #expect(stats.disks.map(\.target) == ["sda", "sdb", ""])
        #expect(stats.disks[2].readBytes == 0 && stats.disks[0].readBytes == nil)
        var off = running
        off.state = .shutoff
        let stopped = load.stats(of: off, integrator: RateIntegrator(), now: .now)
        #expect(stopped.cpuTimeNs == nil && stopped.stats.cpuUtilization == nil && stopped.stats.disks.count == 2)
    }

    @Test func powerShells51WrappingOfSeveralDisksIsReadAsTheirList() throws {
        let json = #"""
            {"vms":[{"Name":"two","ID":"11111111-0000-4000-8000-000000000002","VirtualMachineState":"Running","CPUCount":1,"Memory":1,
              "PerfCPUUtilization":1,"Disks":{"value":[{"Location":"J:\\a.vhdx"},{"Location":"J:\\b.vhdx"}],"Count":2},
              "Adapters":{"MACAddress":"00:15:5D:00:00:01","VirtualNetwork":"sw"}},
             {"Name":"none","ID":"11111111-0000-4000-8000-000000000003","VirtualMachineState":"PowerOff","CPUCount":1,"Memory":1,
              "PerfCPUUtilization":0,"Disks":null,"Adapters":null}]}
            """#
        let vms = try SCVMMInventory(json: Array(json.utf8)).vms
        #expect(vms[0].load?.disks.map(\.location) == [#"J:\a.vhdx"#, #"J:\b.vhdx"#])
        #expect(vms[0].load?.adapters.map(\.network) == ["sw"])
        #expect(vms[1].load?.disks.isEmpty == true && vms[1].load?.adapters.isEmpty == true)
    }

    @Test func theRealCapturesDevicesAreRead() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/scvmm/get_inventory_output.json")
        let inventory = try SCVMMInventory(json: Array(try Data(contentsOf: url)))
        let vm = try #require(inventory.vms.first { $0.domain.name == "ag_test_prov_3" })
        let load = try #require(vm.load)
        #expect(load.disks.first?.location == #"J:\ag_test_prov_3\fedora-small.vhdx"#)
        #expect(load.disks.first?.maximumSize == 3_221_225_472)
        #expect(load.adapters.first?.mac == "00:1D:D8:B7:2C:B6" && load.adapters.first?.network == "vswitch-2")
        #expect(load.adapters.first?.readKBps == 0)
    }
}
