import Foundation
@testable import Simulators
import Testing

/// The cmdlets that create, remove, checkpoint and move VMs, run as the shell runs them: their
/// jobs, the VM's transitional states, and VMM's refusals.
@Suite("SCVMM simulator: create, remove, checkpoints, move")
struct SCVMMChangeCmdletTests {
    typealias Scripts = SCVMMScripts

    static func create(_ name: String, host: String, memoryMB: Int = 2048, async: Bool = true) -> String {
        Scripts.prologue + """

            $vmhost = Get-SCVMHost -VMMServer $vmm -ComputerName \(Scripts.quoted(host))
            $hardware = New-SCHardwareProfile -VMMServer $vmm -Name 'virtfed-test' -CPUCount 2 -MemoryMB \(memoryMB) -Generation 2
            $new = New-SCVirtualMachine -Name \(Scripts.quoted(name)) -VMHost $vmhost -Path 'C:\\VMs' -HardwareProfile $hardware -Description 'made here' \(async ? "-RunAsynchronously " : "")-JobVariable 'job'
            $null = Remove-SCHardwareProfile -HardwareProfile $hardware
            ConvertTo-Json -Depth 3 -Compress -InputObject @{ job = ($job | Select-Object ID, Name, @{Name='Status'; Expression={[string]$_.Status}}, @{Name='ErrorInfo'; Expression={[string]$_.ErrorInfo}}); vm = ($new | Select-Object ID, VMId, @{Name='State'; Expression={[string]$_.VirtualMachineState}}) }
            """
    }

    static func onVM(_ id: String, _ line: String) -> String {
        Scripts.prologue + """

            $vm = Get-SCVirtualMachine -VMMServer $vmm -ID \(Scripts.quoted(id))
            \(line)
            \(Scripts.jobSelect)
            """
    }

    @Test("New-SCVirtualMachine: a job, the VM UnderCreation then PowerOff with the profile's hardware; a name taken on that host is refused")
    func create() async throws {
        let model = try SCVMMJobTests.model(jobMilliseconds: 40)
        let result = Scripts.run(Self.create("fresh", host: "hv01.lab.local"), on: model)
        #expect(result.exitCode == 0, "\(result.stderr)")
        let json = try Scripts.json(result.stdout)
        let job = try #require(json["job"] as? [String: Any]), vm = try #require(json["vm"] as? [String: Any])
        #expect(job["Name"] as? String == "Create virtual machine" && job["Status"] as? String == "Running")
        #expect(vm["State"] as? String == "UnderCreation" && (vm["VMId"] as? String)?.count == 36)
        try await Task.sleep(for: .milliseconds(80))
        let created = try SCVMMJobTests.vm("fresh", model)
        #expect(created.state == .powerOff && created.cpuCount == 2 && created.memoryMB == 2048 && created.hostName == "hv01.lab.local")
        #expect(model.virtualMachines().count == 14)

        let again = Scripts.run(Self.create("FRESH", host: "hv01.lab.local"), on: model)
        #expect(again.exitCode == 1 && Scripts.unwrapped(Scripts.cleaned(again.stderr)).contains("already exists on host hv01.lab.local"))
        // Another host may have a VM of that name.
        #expect(Scripts.run(Self.create("fresh", host: "esx01.lab.local"), on: model).exitCode == 0)
    }

    @Test("Placement: a VM needing more memory than the host has free fails its job (23801) and leaves nothing")
    func placement() async throws {
        let model = try SCVMMJobTests.model(jobMilliseconds: 20)
        let result = Scripts.run(Self.create("huge", host: "xen01.lab.local", memoryMB: 98_304), on: model)
        let job = try SCVMMJobTests.job(result)
        #expect(job["Status"] as? String == "Running")
        try await Task.sleep(for: .milliseconds(60))
        let done = try SCVMMJobTests.job(Scripts.run(Scripts.job(try #require(job["ID"] as? String)), on: model))
        #expect(done["Status"] as? String == "Failed" && (done["ErrorInfo"] as? String)?.contains("(Error ID: 23801)") == true)
        #expect(!model.virtualMachines().contains { $0.name == "huge" })
        // Without -RunAsynchronously the failure is the cmdlet's error.
        let waited = Scripts.run(Self.create("huge", host: "xen01.lab.local", memoryMB: 98_304, async: false), on: model)
        #expect(waited.exitCode == 1 && Scripts.unwrapped(Scripts.cleaned(waited.stderr)).contains("sufficient memory"))
    }

    @Test("Remove-SCVirtualMachine: a running VM is refused (12700); an off one is Deleting, then gone")
    func remove() async throws {
        let model = try SCVMMJobTests.model(jobMilliseconds: 30)
        let running = try SCVMMJobTests.vm("sql-01", model)
        let refused = Scripts.run(Self.onVM(running.id, "$null = Remove-SCVirtualMachine -VM $vm -RunAsynchronously -JobVariable 'job'"), on: model)
        #expect(refused.exitCode == 1 && Scripts.unwrapped(Scripts.cleaned(refused.stderr)).contains("(Error ID: 12700)"))
        let off = try SCVMMJobTests.vm("build-agent", model)
        let job = try SCVMMJobTests.job(Scripts.run(Self.onVM(off.id, "$null = Remove-SCVirtualMachine -VM $vm -RunAsynchronously -JobVariable 'job'"), on: model))
        #expect(job["Name"] as? String == "Remove virtual machine")
        #expect(try SCVMMJobTests.vm("build-agent", model).state == .deleting)
        try await Task.sleep(for: .milliseconds(60))
        #expect(model.virtualMachine(id: off.id) == nil)
    }

    @Test("Checkpoints: New (named, on top of the current), Get, Restore of a running VM (Saved after), Remove re-parents")
    func checkpoints() async throws {
        let model = try SCVMMJobTests.model(jobMilliseconds: 20)
        let vm = try SCVMMJobTests.vm("web-01", model)
        #expect(vm.state == .running)
        let first = try SCVMMJobTests.job(Scripts.run(Self.onVM(vm.id, "$null = New-SCVMCheckpoint -VM $vm -Name 'one' -Description 'first' -RunAsynchronously -JobVariable 'job'"), on: model))
        #expect(first["Name"] as? String == "Create virtual machine checkpoint")
        #expect(try SCVMMJobTests.vm("web-01", model).state == .creatingCheckpoint)
        try await Task.sleep(for: .milliseconds(40))
        _ = try SCVMMJobTests.job(Scripts.run(Self.onVM(vm.id, "$null = New-SCVMCheckpoint -VM $vm -Name 'two' -RunAsynchronously -JobVariable 'job'"), on: model))
        try await Task.sleep(for: .milliseconds(40))
        let listing = Scripts.run(Scripts.prologue + """

            $vm = Get-SCVirtualMachine -VMMServer $vmm -ID \(Scripts.quoted(vm.id))
            ConvertTo-Json -Depth 3 -Compress -InputObject @{ checkpoints = @(Get-SCVMCheckpoint -VM $vm | Select-Object Name, Description, CheckpointID, ParentCheckpointID, AddedTime) }
            """, on: model)
        let checkpoints = try #require(try Scripts.json(listing.stdout)["checkpoints"] as? [[String: Any]])
        #expect(checkpoints.map { $0["Name"] as? String } == ["one", "two"])
        #expect(checkpoints[1]["ParentCheckpointID"] as? String == checkpoints[0]["CheckpointID"] as? String)
        #expect((checkpoints[0]["AddedTime"] as? String)?.hasPrefix("/Date(") == true)
        let one = try #require(checkpoints[0]["CheckpointID"] as? String)

        let restore = Scripts.run(Scripts.prologue + """

            $checkpoint = Get-SCVMCheckpoint -VMMServer $vmm -ID \(Scripts.quoted(one))
            $null = Restore-SCVMCheckpoint -VMCheckpoint $checkpoint -RunAsynchronously -JobVariable 'job'
            \(Scripts.jobSelect)
            """, on: model)
        #expect(try SCVMMJobTests.job(restore)["Name"] as? String == "Restore virtual machine checkpoint")
        #expect(try SCVMMJobTests.vm("web-01", model).state == .recoveringCheckpoint)
        try await Task.sleep(for: .milliseconds(40))
        let restored = try SCVMMJobTests.vm("web-01", model)
        #expect(restored.state == .saved && restored.lastRestoredCheckpointID == one)

        let removed = Scripts.run(Scripts.prologue + """

            $null = Remove-SCVMCheckpoint -VMCheckpoint (Get-SCVMCheckpoint -VMMServer $vmm -ID \(Scripts.quoted(one)))
            """, on: model)
        #expect(removed.exitCode == 0, "\(removed.stderr)")
        let left = model.checkpoints(ofVM: vm.id)
        #expect(left.map(\.name) == ["two"] && left[0].parentID == nil)
        let unknown = Scripts.run(Scripts.prologue + "\n$null = Restore-SCVMCheckpoint -VMCheckpoint (Get-SCVMCheckpoint -VMMServer $vmm -ID '\(UUID().uuidString)')", on: model)
        #expect(unknown.exitCode == 1)
    }

    @Test("Move-SCVirtualMachine: UnderMigration, then the same state on the new host; across platforms or without room a failed job")
    func move() async throws {
        // The real capture's Hyper-V hosts qeblade26 and qeblade33.
        let model = SCVMMModel(inventory: try SCVMMInventory.load(path: SCVMMScripts.fixture), jobDuration: .milliseconds(20))
        let vm = try SCVMMJobTests.vm("ag_test_0003", model)
        let line = "$vmhost = Get-SCVMHost -VMMServer $vmm -ComputerName 'qeblade33'\n$null = Move-SCVirtualMachine -VM $vm -VMHost $vmhost -Path 'C:\\VMs' -RunAsynchronously -JobVariable 'job'"
        let job = try SCVMMJobTests.job(Scripts.run(Self.onVM(vm.id, line), on: model))
        #expect(job["Name"] as? String == "Migrate virtual machine")
        #expect(try SCVMMJobTests.vm("ag_test_0003", model).state == .underMigration)
        try await Task.sleep(for: .milliseconds(40))
        let moved = try SCVMMJobTests.vm("ag_test_0003", model)
        #expect(moved.hostName == "qeblade33.cfme-qe-vmm-ad.rhq.lab.eng.bos.redhat.com" && moved.state == .running)

        let noHost = Scripts.run(Self.onVM(vm.id, "$null = Move-SCVirtualMachine -VM $vm -VMHost $null -Path 'C:\\VMs' -RunAsynchronously -JobVariable 'job'"), on: model)
        #expect(noHost.exitCode == 1 && Scripts.cleaned(noHost.stderr).contains("VMHost"))

        // A Hyper-V VM of the demo estate does not move to its ESX host: the job fails, the VM stays.
        let demo = try SCVMMJobTests.model(jobMilliseconds: 20)
        let web = try SCVMMJobTests.vm("web-01", demo)
        let across = "$vmhost = Get-SCVMHost -VMMServer $vmm -ComputerName 'esx01'\n$null = Move-SCVirtualMachine -VM $vm -VMHost $vmhost -Path 'C:\\VMs' -RunAsynchronously -JobVariable 'job'"
        _ = try SCVMMJobTests.job(Scripts.run(Self.onVM(web.id, across), on: demo))
        try await Task.sleep(for: .milliseconds(60))
        let stayed = try SCVMMJobTests.vm("web-01", demo)
        #expect(stayed.hostName == "hv01.lab.local" && stayed.state == .running)
        let failed = demo.jobs().last
        #expect(failed?.failure?.contains("same virtualization platform") == true, "\(String(describing: failed))")
    }
}
