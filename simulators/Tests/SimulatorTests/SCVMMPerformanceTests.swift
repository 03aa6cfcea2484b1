import Foundation
@testable import Simulators
import Testing

@Suite("SCVMM simulator: VM performance, disks and adapters through the listing script")
struct SCVMMPerformanceTests {
    static func listing(_ model: SCVMMModel) throws -> [[String: Any]] {
        let result = SCVMMScripts.run(SCVMMScripts.performanceListing, on: model)
        #expect(result.exitCode == 0 && result.stderr.isEmpty, "\(result.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
    }

    static func vm(_ name: String, in vms: [[String: Any]]) throws -> [String: Any] {
        try #require(vms.first { $0["Name"] as? String == name })
    }

    @Test("The real capture: Perf fields, Disks and Adapters as PowerShell 5.1 writes them; rates for running VMs, zeros for stopped ones")
    func capture() throws {
        let vms = try Self.listing(SCVMMModel(inventory: try SCVMMInventory.load(path: SCVMMScripts.fixture)))
        #expect(vms.count == 28)
        for vm in vms {
            let running = vm["VirtualMachineState"] as? String == "Running"
            let cpu = try #require(vm["PerfCPUUtilization"] as? Int)
            let read = try #require(vm["PerfDiskBytesRead"] as? Int), written = try #require(vm["PerfDiskBytesWrite"] as? Int)
            let memory = try #require(vm["PerfMemory"] as? Int)
            if running {
                #expect((0...100).contains(cpu) && read > 0 && written > 0 && memory == vm["Memory"] as? Int)
            } else {
                #expect(cpu == 0 && read == 0 && written == 0 && memory == 0)
            }
            // One adapter each in the capture: one object (a one-element @(...) is unrolled).
            let adapter = try #require(vm["Adapters"] as? [String: Any])
            #expect(Array(adapter.keys).sorted() == ["MACAddress", "PerfNetworkKBytesRead", "PerfNetworkKBytesWrite", "VirtualNetwork"])
            let kbRead = try #require(adapter["PerfNetworkKBytesRead"] as? Int), kbWritten = try #require(adapter["PerfNetworkKBytesWrite"] as? Int)
            #expect(running ? kbRead > 0 && kbWritten > 0 : kbRead == 0 && kbWritten == 0)
        }
        let first = try Self.vm("ag_test_prov_3", in: vms)
        let disk = try #require(first["Disks"] as? [String: Any])
        #expect(disk["Location"] as? String == #"J:\ag_test_prov_3\fedora-small.vhdx"#)
        #expect(disk["Size"] as? Int == 1_614_807_040 && disk["MaximumSize"] as? Int == 3_221_225_472 && disk.count == 3)
        #expect((first["Adapters"] as? [String: Any])?["MACAddress"] as? String == "00:1D:D8:B7:2C:B6")
        #expect((first["Adapters"] as? [String: Any])?["VirtualNetwork"] as? String == "vswitch-2")
        // Two disks: a [psobject]-wrapped object[], which 5.1's ConvertTo-Json writes with its ETS Count.
        let twoDisks = try Self.vm("otsuman_test_win_ftp", in: vms)
        let wrapped = try #require(twoDisks["Disks"] as? [String: Any])
        #expect(wrapped["Count"] as? Int == 2)
        let disks = try #require(wrapped["value"] as? [[String: Any]])
        #expect(disks.count == 2 && disks.allSatisfy { Array($0.keys).sorted() == ["Location", "MaximumSize", "Size"] })
    }

    @Test("Default devices for VMs the inventory lists without them; the MAC and device ID the Hyper-V simulator gives the same VM")
    func defaults() throws {
        let vms = try Self.listing(try SCVMMJobTests.model())
        let sql = try Self.vm("sql-01", in: vms)
        let disk = try #require(sql["Disks"] as? [String: Any])
        #expect(disk["Location"] as? String == #"C:\ClusterStorage\Volume1\sql-01\sql-01.vhdx"#)
        #expect(disk["MaximumSize"] as? Int == 136_365_211_648 && (1..<136_365_211_648).contains(disk["Size"] as? Int ?? 0))
        let adapter = try #require(sql["Adapters"] as? [String: Any])
        #expect(adapter["MACAddress"] as? String == "00:15:5D:4A:5B:6C" && adapter["VirtualNetwork"] as? String == "Default Switch")
        let hyperV = HyperVModel(inventory: try SimulatorHarness.demoInventory())
        let port = try #require(hyperV.instances(of: WMISchema.syntheticEthernetPortSettingData).first)
        #expect(port["Address"]?.text == "00155D4A5B6C")
        let carried = try #require(try SCVMMJobTests.vm("sql-01", try SCVMMJobTests.model()).items("VirtualNetworkAdapters").first)
        #expect(PSInterpreter.member("DeviceID", of: carried).text == port["InstanceID"]?.text)
        let paused = try Self.vm("test-linux", in: vms)
        #expect(paused["PerfCPUUtilization"] as? Int == 0 && (paused["PerfMemory"] as? Int ?? 0) > 0 && paused["PerfDiskBytesRead"] as? Int == 0)
    }

    @Test("Stopping a VM zeroes its rates, starting it brings them back; rates move with time")
    func stopStartAndMotion() async throws {
        let model = try SCVMMJobTests.model(jobMilliseconds: 20)
        let id = try SCVMMJobTests.vm("web-01", model).id
        _ = try model.finish(jobID: model.perform(.stop, on: id).id)
        let stopped = try Self.vm("web-01", in: try Self.listing(model))
        #expect(stopped["PerfCPUUtilization"] as? Int == 0 && stopped["PerfMemory"] as? Int == 0 && stopped["PerfDiskBytesWrite"] as? Int == 0)
        #expect((stopped["Adapters"] as? [String: Any])?["PerfNetworkKBytesRead"] as? Int == 0)
        _ = try model.finish(jobID: model.perform(.start, on: id).id)
        let started = try Self.vm("web-01", in: try Self.listing(model))
        #expect((started["PerfDiskBytesWrite"] as? Int ?? 0) > 0 && started["PerfMemory"] as? Int == 4096)
        #expect(((started["Adapters"] as? [String: Any])?["PerfNetworkKBytesRead"] as? Int ?? 0) > 0)

        let vm = try SCVMMJobTests.vm("sql-01", model)
        let now = ContinuousClock.now
        let samples = [0, 37, 91].map { vm.performance(at: now + .seconds($0)).map(\.value.text) }
        #expect(Set(samples.map { $0[2] }).count == 3 && Set(samples.map { $0[1] }).count > 1)
    }

    @Test("The product's inventory form: -InputObject @{ vms = @(…) } with -Depth 5 keeps disk and adapter objects")
    func inventoryForm() throws {
        let script = SCVMMScripts.prologue + """

            $vms = @(Get-SCVirtualMachine -VMMServer $vmm -All | \(SCVMMScripts.vmSelectWithPerformance))
            ConvertTo-Json -Depth 5 -Compress -InputObject @{ vms = $vms }
            """
        let result = SCVMMScripts.run(script, on: SCVMMModel(inventory: try SCVMMInventory.load(path: SCVMMScripts.fixture)))
        #expect(result.exitCode == 0, "\(result.stderr)")
        let vms = try #require(try SCVMMScripts.json(result.stdout)["vms"] as? [[String: Any]])
        let wrapped = try #require(try Self.vm("cluster-storage", in: vms)["Disks"] as? [String: Any])
        #expect((wrapped["value"] as? [[String: Any]])?.allSatisfy { $0["Location"] is String } == true)
        #expect(try Self.vm("scvmm2", in: vms)["Adapters"] is [String: Any])
    }
}
