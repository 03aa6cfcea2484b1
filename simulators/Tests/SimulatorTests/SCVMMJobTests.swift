import Foundation
@testable import Simulators
import Testing

@Suite("SCVMM simulator: cmdlets, jobs and failures")
struct SCVMMJobTests {
    static func model(jobMilliseconds: Int = 150, failJobs: Double = 0, deny: [String] = []) throws -> SCVMMModel {
        SCVMMModel(inventory: try SCVMMInventory.load(path: SCVMMScripts.demo), jobDuration: .milliseconds(jobMilliseconds),
                   failJobFraction: failJobs, deniedVMNames: deny)
    }

    static func vm(_ name: String, _ model: SCVMMModel) throws -> SCVMMVirtualMachine {
        try #require(model.virtualMachines().first { $0.name == name })
    }

    static func job(_ result: (stdout: String, stderr: String, exitCode: Int32)) throws -> [String: Any] {
        #expect(result.exitCode == 0, "\(result.stderr)")
        return try #require(try SCVMMScripts.json(result.stdout)["job"] as? [String: Any])
    }

    @Test("Start: a Running job at 0 %, the VM Starting; then Completed at 100 %, the VM Running")
    func startJob() async throws {
        let model = try Self.model()
        let vm = try Self.vm("build-agent", model)
        #expect(vm.state == .powerOff)
        let started = try Self.job(SCVMMScripts.run(SCVMMScripts.action(SCVMMScripts.actionLines[.start]!, id: vm.id), on: model))
        #expect(started["Name"] as? String == "Start virtual machine")
        #expect(started["Status"] as? String == "Running" && started["Progress"] as? String == "0 %" && started["ErrorInfo"] as? String == "")
        #expect(try Self.vm("build-agent", model).state == .starting)
        let id = try #require(started["ID"] as? String)
        try await Task.sleep(for: .milliseconds(250))
        let done = try Self.job(SCVMMScripts.run(SCVMMScripts.job(id), on: model))
        #expect(done["Status"] as? String == "Completed" && done["Progress"] as? String == "100 %" && done["ID"] as? String == id)
        #expect(try Self.vm("build-agent", model).state == .running)
    }

    @Test("Every action of the table reaches its target state through its transitional state", arguments: [
        (SCVMMAction.shutdown, "sql-01", VMComputerSystemState.poweringOff, VMComputerSystemState.powerOff),
        (.stop, "web-01", .poweringOff, .powerOff), (.save, "sql-01", .saving, .saved), (.suspend, "web-01", .pausing, .paused),
        (.resume, "test-linux", .starting, .running), (.reset, "sql-01", .reset, .running), (.start, "dc-02", .restoring, .running),
        (.stop, "dc-02", .discardSavedState, .powerOff),
    ])
    func actions(_ action: SCVMMAction, _ name: String, _ transitional: VMComputerSystemState, _ target: VMComputerSystemState) async throws {
        let model = try Self.model(jobMilliseconds: 50)
        let vm = try Self.vm(name, model)
        let job = try Self.job(SCVMMScripts.run(SCVMMScripts.action(SCVMMScripts.actionLines[action]!, id: vm.id), on: model))
        #expect(job["Status"] as? String == "Running")
        #expect(try Self.vm(name, model).state == transitional)
        try await Task.sleep(for: .milliseconds(120))
        #expect(try Self.vm(name, model).state == target)
    }

    @Test("Wrong state: 12700 synchronously at the cmdlet, CLIXML on stderr, exit 1, no job")
    func wrongState() throws {
        let model = try Self.model()
        let vm = try Self.vm("sql-01", model)
        let result = SCVMMScripts.run(SCVMMScripts.action(SCVMMScripts.actionLines[.start]!, id: vm.id), on: model)
        #expect(result.exitCode == 1 && result.stdout.isEmpty)
        #expect(result.stderr.hasPrefix("#< CLIXML\r\n"))
        let text = SCVMMScripts.unwrapped(SCVMMScripts.cleaned(result.stderr))
        #expect(SCVMMScripts.cleaned(result.stderr).split(separator: "\n").allSatisfy { $0.count <= 79 })
        #expect(text.hasPrefix("Start-SCVirtualMachine : VMM cannot complete the requested operation because the virtual machine sql-01 is in the Running state. (Error ID: 12700)\n"))
        #expect(model.jobs().isEmpty)
    }

    @Test("Unknown VM: Get-SCVirtualMachine -ID returns nothing, the plugin's throw comes back; the one-VM script gives vms = []")
    func unknownVM() throws {
        let model = try Self.model()
        let id = "00000000-0000-4000-8000-000000000001"
        let result = SCVMMScripts.run(SCVMMScripts.action(SCVMMScripts.actionLines[.stop]!, id: id), on: model)
        #expect(result.exitCode == 1)
        #expect(SCVMMScripts.cleaned(result.stderr).hasPrefix("VirtfedVMNotFound: \(id)\nAt line:5 char:22\n"))
        let one = SCVMMScripts.run(SCVMMScripts.oneVM(id), on: model)
        #expect(one.exitCode == 0 && one.stdout == "{\"vms\":[]}\r\n")
        let found = SCVMMScripts.run(SCVMMScripts.oneVM(try Self.vm("dc-02", model).id), on: model)
        let vms = try #require(try SCVMMScripts.json(found.stdout)["vms"] as? [[String: Any]])
        #expect(vms.count == 1 && vms[0]["VirtualMachineState"] as? String == "Saved" && vms[0]["Name"] as? String == "dc-02")
    }

    @Test("--deny: access denied (1603); --fail-jobs 1: the job ends Failed with ErrorInfo, the VM back where it was")
    func deniedAndFailed() async throws {
        let denied = try Self.model(deny: ["WEB-01"])
        let result = SCVMMScripts.run(SCVMMScripts.action(SCVMMScripts.actionLines[.shutdown]!, id: try Self.vm("web-01", denied).id), on: denied)
        #expect(result.exitCode == 1)
        #expect(SCVMMScripts.unwrapped(SCVMMScripts.cleaned(result.stderr)).hasPrefix("Stop-SCVirtualMachine : You do not have access to the specified object. (Error ID: 1603)"))

        let failing = try Self.model(jobMilliseconds: 30, failJobs: 1)
        let vm = try Self.vm("legacy-app", failing)
        let job = try Self.job(SCVMMScripts.run(SCVMMScripts.action(SCVMMScripts.actionLines[.start]!, id: vm.id), on: failing))
        try await Task.sleep(for: .milliseconds(80))
        let ended = try Self.job(SCVMMScripts.run(SCVMMScripts.job(try #require(job["ID"] as? String)), on: failing))
        #expect(ended["Status"] as? String == "Failed")
        #expect((ended["ErrorInfo"] as? String)?.hasSuffix("(Error ID: 12711)") == true)
        #expect(try Self.vm("legacy-app", failing).state == .powerOff)
    }

    @Test("Names are data: a VM named with quotes, $, backticks, ; and newlines is found by -Name and never executed")
    func injection() throws {
        let name = "x'; Stop-SCVirtualMachine -VM $vm -Force; '$(Get-Foo)`\"\n‘y’"
        let json = """
            {"hosts": [{"Name": "hv01.lab.local", "ID": "11111111-2222-3333-4444-555555555555", "VirtualizationPlatformString": "HyperV"}],
             "vms": [{"Name": \(PSJSONWriter.quoted(name)), "ID": "21111111-2222-3333-4444-555555555555", "VirtualMachineStateString": "Running", "HostName": "hv01.lab.local"}]}
            """
        let model = SCVMMModel(inventory: try SCVMMInventory.parse(Array(json.utf8)))
        let script = "$ErrorActionPreference = 'Stop'\n$vm = Get-SCVirtualMachine -Name \(SCVMMScripts.quoted(name))\nConvertTo-Json -Compress -InputObject @{ n = $vm.Name; s = [string]$vm.VirtualMachineState }"
        let result = SCVMMScripts.run(script, on: model)
        #expect(result.exitCode == 0, "\(SCVMMScripts.cleaned(result.stderr))")
        let document = try SCVMMScripts.json(result.stdout)
        #expect(document["n"] as? String == name && document["s"] as? String == "Running")
        #expect(model.jobs().isEmpty)
    }

    @Test("Get-SCVMHost and Get-SCVMMServer; Get-SCJob with an unknown or malformed ID")
    func otherCmdlets() throws {
        let model = try Self.model()
        let hosts = SCVMMScripts.run("Get-SCVMHost | Select-Object Name, @{N='P'; E={[string]$_.VirtualizationPlatform}} | ConvertTo-Json -Compress", on: model)
        #expect(hosts.stdout.contains("\"P\":\"VMWareESX\"") && hosts.stdout.contains("\"P\":\"XENServer\""))
        #expect(SCVMMScripts.run("(Get-SCVMMServer -ComputerName 'localhost').FQDN", on: model).stdout == "vmm.lab.local\r\n")
        #expect(SCVMMScripts.run("Get-SCVMMServer -ComputerName 'elsewhere'", on: model).exitCode == 1)
        let none = SCVMMScripts.run(SCVMMScripts.job("00000000-0000-4000-8000-000000000009"), on: model)
        #expect(none.exitCode == 0 && none.stdout == "{\"job\":null}\r\n")
        let malformed = SCVMMScripts.run("$ErrorActionPreference = 'Stop'\nGet-SCJob -ID 'x'", on: model)
        #expect(malformed.exitCode == 1 && SCVMMScripts.cleaned(malformed.stderr).contains("Cannot bind parameter 'ID'"))
    }

    @Test("cmd.exe's 8191-character command line limit: the wire scripts fit, a longer line is refused")
    func commandLineLimit() throws {
        let runner = SCVMMShellRunner(model: try Self.model())
        let inventory = "-NoProfile -NonInteractive -EncodedCommand " + PowerShellCommandLine.encode(SCVMMScripts.inventory)
        #expect(inventory.count < 8191)
        #expect(runner.run(command: "powershell", arguments: [inventory]).exitCode == 0)
        let long = runner.run(command: "echo", arguments: [String(repeating: "x", count: 8200)])
        #expect(long.exitCode == 1 && String(decoding: long.stderr, as: UTF8.self) == "The command line is too long.\r\n")
    }
}
