import BrokerCore
import Foundation
import Testing
import WSMan
@testable import SCVMMPlugin

@Suite("SCVMM: states, inventory, errors")
struct SCVMMMappingTests {
    @Test func virtualMachineStatesMapHonestly() {
        let expected: [String: DomainState] = [
            "Running": .running, "PowerOff": .shutoff, "Paused": .paused, "Saved": .saved, "Starting": .starting,
            "PoweringOff": .shuttingDown, "Saving": .stopping, "Restoring": .starting, "Stored": .shutoff,
            "Missing": .unknown, "HostNotResponding": .unknown, "UnderMigration": .unknown, "Pausing": .running,
            "0": .running, "1": .shutoff, "3": .saved, "6": .paused, "garbage": .unknown,
        ]
        for (raw, state) in expected { #expect(SCVMMStateMapping.state(raw) == state, "\(raw)") }
        // Never folded into shutoff.
        #expect(SCVMMStateMapping.state("Paused") != .shutoff && SCVMMStateMapping.state("Saved") != .shutoff)
        #expect(SCVMMStateMapping.backendState(virtualMachineState: "Running", status: "UnsupportedCluster")
            == "VirtualMachineState=Running Status=UnsupportedCluster")
        #expect(SCVMMStateMapping.backendState(virtualMachineState: "6", status: nil) == "VirtualMachineState=Paused")
        #expect(SCVMMStateMapping.platform("HyperV") == "Hyper-V")
        #expect(SCVMMStateMapping.platform("VMWareESX") == "VMware ESX")
        #expect(SCVMMStateMapping.platform("XENServer") == "XenServer")
        #expect(SCVMMStateMapping.platform("Unknown") == nil)
    }

    @Test func theRealCaptureDecodes() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/scvmm/get_inventory_output.json")
        let inventory = try SCVMMInventory(json: Array(try Data(contentsOf: url)))
        #expect(inventory.vms.count == 28)
        #expect(inventory.hosts.count == 3)
        let states = Dictionary(grouping: inventory.domains, by: \.state).mapValues(\.count)
        #expect(states == [.running: 10, .shutoff: 15, .saved: 3])
        // Identities are unique even though two VMs share a BIOS GUID (a clone).
        #expect(Set(inventory.domains.map(\.uuid)).count == 28)
        let first = try #require(inventory.vms.first { $0.domain.name == "ag_test_prov_3" })
        #expect(first.id == "6dbaf778-aab7-41d4-bdc8-11a2fe732a75")
        #expect(first.domain.uuid == "fd36cef1-e691-4d57-b843-f6c9364834a2")
        #expect(first.domain.biosGuid == "fd36cef1-e691-4d57-b843-f6c9364834a2")
        #expect(first.domain.backendState == "VirtualMachineState=PowerOff Status=UnsupportedCluster")
        #expect(first.domain.host == "qeblade26.cfme-qe-vmm-ad.rhq.lab.eng.bos.redhat.com")
        #expect(first.domain.platform == "Hyper-V")  // from its host
        #expect(first.domain.memoryKiB == 512 * 1024 && first.domain.vcpus == 1)
        let host = inventory.hosts[0]
        #expect(host.host == BrokerCore.Host(name: host.name, hypervisor: "Hyper-V", hypervisorVersion: "6.3.9600", state: "up"))
        #expect(host.nodeInfo.cpus == 8 && host.nodeInfo.sockets == 2 && host.nodeInfo.coresPerSocket == 4)
        #expect(host.nodeInfo.memoryKiB == 77_297_573_888 / 1024 && host.nodeInfo.mhz == 2133)
    }

    @Test func theScriptsJSONDecodesWithVMIdAndPlatforms() throws {
        let json = #"""
            {"server":"vmm.lab.local","hosts":[{"Name":"esx01.lab.local","ID":"1","VirtualizationPlatform":"VMWareESX","CommunicationState":"NotResponding","LogicalProcessorCount":16,"TotalMemory":68719476736,"ProcessorModel":"Xeon","ProcessorSpeed":2400,"CoresPerCPU":8,"PhysicalCPUCount":1,"OperatingSystemVersionString":"6.7.0"}],
             "vms":[{"Name":"a'b $c","ID":"11111111-0000-4000-8000-000000000001","VMId":"7A3E0C4B-2F1D-4E5A-9B8C-1D2E3F4A5B6C","BiosGuid":"{E1C2A3B4-5D6E-4F70-8192-A3B4C5D6E7F8}","HostName":"esx01.lab.local","VirtualizationPlatform":"VMWareESX","VirtualMachineState":"Paused","Status":"Paused","CPUCount":4,"Memory":8192,"DynamicMemoryMaximumMB":16384},
                    {"Name":"x","ID":"11111111-0000-4000-8000-000000000002","VMId":null,"BiosGuid":"22222222-0000-4000-8000-000000000002","HostName":"xen01","VirtualizationPlatform":"XENServer","VirtualMachineState":"Saved","Status":"Saved","CPUCount":"2","Memory":1024,"DynamicMemoryMaximumMB":null}]}
            """#
        let inventory = try SCVMMInventory(json: Array(json.utf8))
        #expect(inventory.server == "vmm.lab.local")
        let a = inventory.domains[0]
        #expect(a.name == "a'b $c" && a.uuid == "7a3e0c4b-2f1d-4e5a-9b8c-1d2e3f4a5b6c" && a.biosGuid == "e1c2a3b4-5d6e-4f70-8192-a3b4c5d6e7f8")
        #expect(a.state == .paused && a.platform == "VMware ESX" && a.vcpus == 4)
        #expect(a.memoryKiB == 8192 * 1024 && a.maxMemoryKiB == 16384 * 1024)
        let x = inventory.domains[1]
        #expect(x.uuid == "22222222-0000-4000-8000-000000000002" && x.state == .saved && x.platform == "XenServer" && x.vcpus == 2)
        #expect(x.managedSave == true && x.maxMemoryKiB == 1024 * 1024)
        #expect(inventory.hosts[0].host.state == "notresponding" && inventory.hosts[0].host.hypervisor == "VMware ESX")
        // One object where an array belongs still counts.
        let single = try SCVMMInventory(json: Array(#"{"hosts":{"Name":"h"},"vms":{"Name":"v","ID":"11111111-0000-4000-8000-000000000003","VirtualMachineState":"Running"}}"#.utf8))
        #expect(single.hosts.count == 1 && single.vms.count == 1 && single.domains[0].state == .running)
    }

    @Test func malformedJSONIsATypedError() {
        for bad in ["", "not json", "[1,2]", "{\"vms\":[{\"ID\":\"x\"}]}", "{\"vms\":[{\"Name\":\"n\"}]}", String(repeating: "[", count: 100_000)] {
            #expect(throws: BackendError.self) { try SCVMMInventory(json: Array(bad.utf8)) }
        }
        for bad in ["", "{}", "{\"job\":null}", "{\"job\":{\"Status\":\"Running\"}}"] {
            #expect(throws: BackendError.self) { try SCVMMJob(json: Array(bad.utf8)) }
        }
    }

    @Test func jobsReadStatusAndProgress() throws {
        let job = try SCVMMJob(json: Array(#"{"job":{"ID":"j1","Name":"Start virtual machine","Status":"Running","Progress":"40 %","ErrorInfo":""}}"#.utf8))
        #expect(job.isRunning && job.percent == 40 && !job.succeeded)
        #expect(SCVMMJob.percent("100 %") == 100 && SCVMMJob.percent(250) == 100 && SCVMMJob.percent(nil) == 0)
        #expect(try SCVMMJob(json: Array(#"{"job":{"ID":"j","Status":"SucceedWithInfo"}}"#.utf8)).succeeded)
    }

    @Test func failuresMapToStableCodes() {
        let cases: [(String, ErrorCode)] = [
            ("VirtfedVMNotFound: 6dbaf778-aab7-41d4-bdc8-11a2fe732a75\nAt line:5 char:25", .notFound),
            ("VMM cannot complete the requested operation because the virtual machine web-01 is in the Running state. (Error ID: 12700)", .invalidState),
            ("You do not have access to the specified object. (Error ID: 1603)", .permissionDenied),
            ("Unable to connect to the VMM management server vmm01. (Error ID: 1605)", .backendUnavailable),
            ("something odd (Error ID: 99999)", .internal),
            ("Something else entirely", .internal),
        ]
        for (text, code) in cases {
            let error = SCVMMErrorMapping.scriptFailure(text, exitCode: 1)
            #expect(error.code == code, "\(text)")
            #expect(error.message == "SCVMM: " + text.split(separator: "\n")[0])
        }
        // powershell.exe's layout: the message word-wrapped at 80 columns, then position and category.
        let wrapped = """
            Start-SCVirtualMachine : VMM cannot complete the requested operation because \nthe virtual machine sql-01 is in the Running state. (Error ID: 12700)
            At line:6 char:9
            + $null = Start-SCVirtualMachine -VM $vm -RunAsynchronously -JobVariable 'job'
            +         ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
                + CategoryInfo          : InvalidOperation: (:) [Start-SCVirtualMachine],  \n   CarmineException
                + FullyQualifiedErrorId : 12700,Microsoft.SystemCenter.VirtualMachineManag \n   er.Cmdlets.StartVMCmdlet
            """
        let unwrapped = SCVMMErrorMapping.scriptFailure(wrapped, exitCode: 1)
        #expect(unwrapped.code == .invalidState)
        #expect(unwrapped.message == "SCVMM: Start-SCVirtualMachine : VMM cannot complete the requested operation because the virtual machine sql-01 is in the Running state. (Error ID: 12700)")
        #expect(SCVMMErrorMapping.jobFailure(status: "Failed", errorInfo: "You do not have access to the specified object. (Error ID: 1603)", job: "j").code == .permissionDenied)
        #expect(SCVMMErrorMapping.transport(.unauthorized).code == .authFailed)
        #expect(SCVMMErrorMapping.transport(.unavailable("refused")).code == .backendUnavailable)
        #expect(SCVMMErrorMapping.transport(.timeout("slow")).code == .timeout)
    }

    @Test func aCLIXMLErrorStreamBecomesTheMappedMessage() {
        let stderr = "#< CLIXML\r\n" + #"<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04"><S S="Error">VMM cannot complete the requested operation because the virtual machine it's $x is in the PowerOff state. (Error ID: 12700)_x000D__x000A_</S><S S="Error">At line:6 char:9_x000D__x000A_</S></Objs>"#
        let error = SCVMMErrorMapping.scriptFailure(CLIXML.readable(stderr), exitCode: 1)
        #expect(error.code == .invalidState)
        #expect(error.message == "SCVMM: VMM cannot complete the requested operation because the virtual machine it's $x is in the PowerOff state. (Error ID: 12700)")
    }

    @Test func endpointsFollowTheWinRMRules() throws {
        let secure = try SCVMMEndpoint(BackendURI(parsing: "scvmm://svc@vmm01.example.com/"))
        #expect(secure.winrm.url == "https://vmm01.example.com:5986/wsman" && secure.winrm.verifyPeer)
        let plain = try SCVMMEndpoint(BackendURI(parsing: "scvmm://127.0.0.1:15990/?transport=http&auth=basic&job_poll_ms=20&shell_commands=5&max_shells=1"))
        #expect(plain.winrm.url == "http://127.0.0.1:15990/wsman" && plain.jobPollInterval == .milliseconds(20) && plain.commandsPerShell == 5)
        #expect(plain.maxShells == 1 && secure.maxShells == 2 && secure.operationTimeoutSeconds == 20)
        #expect(throws: BackendError.self) { try SCVMMEndpoint(BackendURI(parsing: "scvmm://h/?transport=ftp")) }
        #expect(throws: BackendError.self) { try SCVMMEndpoint(BackendURI(parsing: "scvmm://h/?job_poll_ms=0")) }
        #expect(SCVMMPlugin.routeKind == .manager && SCVMMPlugin.schemes == ["scvmm"])
    }
}
