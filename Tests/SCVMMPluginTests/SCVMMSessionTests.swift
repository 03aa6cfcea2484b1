import BrokerCore
import Foundation
import Logging
import Synchronization
import Testing
import WinRMTestPeer
import WSMan
@testable import SCVMMPlugin

/// A VMM server reduced to what the session's scripts ask: it reads each decoded script,
/// keeps VM states, runs jobs that report Running once (at 50 %) before they complete.
final class FakeVMM: Sendable {
    let model: FakeVMMModel
    let peer: ScriptedWinRM

    init(_ vms: [FakeVMMModel.VM], failJobs: Bool = false) {
        let model = FakeVMMModel(vms, failJobs: failJobs)
        self.model = model
        peer = ScriptedWinRM { call in model.run(call.script ?? "") }
    }

    var scripts: [String] { model.scripts.withLock { $0 } }
    func state(_ id: String) -> String? { model.state(id) }
}

/// The fake VMM's VMs and jobs.
final class FakeVMMModel: Sendable {
    struct VM {
        let id: String
        let name: String
        var state: String
    }

    private let vms: Mutex<[VM]>
    private let jobs = Mutex<[String: (polls: Int, fail: String?)]>([:])
    let scripts = Mutex<[String]>([])
    let failJobs: Bool

    init(_ vms: [VM], failJobs: Bool = false) {
        self.vms = Mutex(vms)
        self.failJobs = failJobs
    }

    func state(_ id: String) -> String? { vms.withLock { $0.first { $0.id == id }?.state } }

    func run(_ script: String) -> ScriptedWinRM.ReceiveAnswer {
        scripts.withLock { $0.append(script) }
        let id = script.firstMatch(of: /-ID '([0-9a-f-]+)'/).map { String($0.1) }
        func vmJSON(_ vm: VM) -> String {
            #"{"Name":"\#(vm.name)","ID":"\#(vm.id)","VMId":"22222222\#(vm.id.dropFirst(8))","BiosGuid":null,"HostName":"hv1","VirtualizationPlatform":"HyperV","VirtualMachineState":"\#(vm.state)","Status":"\#(vm.state)","CPUCount":2,"Memory":1024}"#
        }
        func failure(_ text: String) -> ScriptedWinRM.ReceiveAnswer {
            .done(stdout: "", stderr: "#< CLIXML\r\n<Objs Version=\"1.1.0.1\" xmlns=\"http://schemas.microsoft.com/powershell/2004/04\"><S S=\"Error\">\(text)_x000D__x000A_</S></Objs>", exitCode: 1)
        }
        func job(_ jobID: String, _ status: String, _ progress: String, _ error: String = "") -> ScriptedWinRM.ReceiveAnswer {
            .done(stdout: #"{"job":{"ID":"\#(jobID)","Name":"job","Status":"\#(status)","Progress":"\#(progress)","ErrorInfo":"\#(error)"}}"#, stderr: "", exitCode: 0)
        }
        if script.contains("Get-SCVMHost") {
            let list = vms.withLock { $0.map(vmJSON).joined(separator: ",") }
            return .done(stdout: #"{"server":"vmm.test","hosts":[{"Name":"hv1","VirtualizationPlatform":"HyperV","LogicalProcessorCount":4}],"vms":[\#(list)]}"#, stderr: "", exitCode: 0)
        }
        if script.contains("Get-SCJob"), let id {
            let (polls, fail) = jobs.withLock { jobs in
                jobs[id]!.polls += 1
                return jobs[id]!
            }
            if let fail { return job(id, "Failed", "100 %", fail) }
            return polls < 2 ? job(id, "Running", "50 %") : job(id, "Completed", "100 %")
        }
        if let verb = script.firstMatch(of: /\$null = (\w+)-SCVirtualMachine -VM \$vm( -(?:Shutdown|Force|SaveState))?/), let id {
            let target: [String: String] = ["Start": "Running", "Stop -Shutdown": "PowerOff", "Stop -Force": "PowerOff", "Stop -SaveState": "Saved",
                                            "Suspend": "Paused", "Resume": "Running", "Reset": "Running"]
            let key = String(verb.1) + (verb.2.map { String($0) } ?? "")
            let allowed: [String: Set<String>] = ["Start": ["PowerOff", "Saved"], "Suspend": ["Running"], "Resume": ["Paused"]]
            let found = vms.withLock { vms -> String? in
                guard let index = vms.firstIndex(where: { $0.id == id }) else { return nil }
                if let states = allowed[String(verb.1)], !states.contains(vms[index].state) {
                    return "VMM cannot complete the requested operation because the virtual machine \(vms[index].name) is in the \(vms[index].state) state. (Error ID: 12700)"
                }
                if !failJobs { vms[index].state = target[key] ?? vms[index].state }
                return ""
            }
            guard let found else { return failure("VirtfedVMNotFound: \(id)") }
            guard found.isEmpty else { return failure(found) }
            let jobID = UUID().uuidString.lowercased()
            jobs.withLock { $0[jobID] = (0, failJobs ? "You do not have access to the specified object. (Error ID: 1603)" : nil) }
            return job(jobID, "Running", "0 %")
        }
        if script.contains("vms = @($vm"), let id {
            return .done(stdout: #"{"vms":[\#(vms.withLock { $0.filter { $0.id == id }.map(vmJSON).joined(separator: ",") })]}"#, stderr: "", exitCode: 0)
        }
        return failure("unexpected script")
    }
}

@Suite("SCVMM session over a scripted WinRM peer")
struct SCVMMSessionTests {
    static let web = FakeVMMModel.VM(id: "11111111-0000-4000-8000-000000000001", name: "web", state: "PowerOff")
    static let db = FakeVMMModel.VM(id: "11111111-0000-4000-8000-000000000002", name: "db's $db", state: "Running")

    func session(_ vmm: FakeVMM) async throws -> SCVMMSession {
        let pool = WinRMShellPool(client: vmm.peer.client())
        try await pool.prepare()
        return SCVMMSession(pool: pool, logger: Logger(label: "test"), jobPollInterval: .milliseconds(1))
    }

    @Test func listingIsOneScriptOnOneReusedShell() async throws {
        let vmm = FakeVMM([Self.web, Self.db])
        let session = try await session(vmm)
        let domains = try await session.domains(detail: .full)
        #expect(domains.map(\.name) == ["web", "db's $db"])
        #expect(domains.map(\.state) == [.shutoff, .running])
        #expect(domains[0].uuid == "22222222-0000-4000-8000-000000000001")  // VMId, not the object ID
        _ = try await session.hosts()
        #expect(vmm.peer.shellsCreated == 1 && vmm.peer.commandsStarted == 2)
        await session.close()
        #expect(vmm.peer.deleted == ["SHELL-1"])
        #expect(!session.isAlive)
    }

    @Test func anActionIsAJobFollowedToItsEnd() async throws {
        let vmm = FakeVMM([Self.web, Self.db])
        let session = try await session(vmm)
        // No inventory yet: the session finds the object ID by listing first.
        let status = try await session.perform(.start, on: .uuid("22222222-0000-4000-8000-000000000001"))
        #expect(status.phase == .completed && status.percentComplete == 100 && status.jobID?.isEmpty == false)
        #expect(status.resultingState == .running)
        #expect(vmm.state(Self.web.id) == "Running")
        let scripts = vmm.scripts
        #expect(scripts.count == 5)  // inventory, Start-…, Get-SCJob ×2 (Running, Completed), the VM after
        #expect(scripts[1].contains("Start-SCVirtualMachine -VM $vm -RunAsynchronously -JobVariable 'job'"))
        #expect(scripts[2].contains("Get-SCJob") && scripts[3].contains("Get-SCJob"))
        #expect(vmm.peer.shellsCreated == 1)
    }

    @Test func rebootIsShutdownThenStart() async throws {
        let vmm = FakeVMM([Self.web, Self.db])
        let session = try await session(vmm)
        let status = try await session.perform(.reboot, on: .uuid("22222222-0000-4000-8000-000000000002"))
        #expect(status.resultingState == .running)
        let verbs = vmm.scripts.compactMap { $0.firstMatch(of: /\$null = ([\w-]+ -VM \$vm( -(?:Shutdown|Force|SaveState))?)/).map { String($0.1) } }
        #expect(verbs == ["Stop-SCVirtualMachine -VM $vm -Shutdown", "Start-SCVirtualMachine -VM $vm"])
    }

    @Test func failuresComeBackTyped() async throws {
        let vmm = FakeVMM([Self.web, Self.db])
        let session = try await session(vmm)
        _ = try await session.domains(detail: .full)
        await #expect(throws: BackendError(.invalidState, "SCVMM: VMM cannot complete the requested operation because the virtual machine db's $db is in the Running state. (Error ID: 12700)")) {
            try await session.perform(.start, on: .uuid("22222222-0000-4000-8000-000000000002"))
        }
        await #expect(throws: BackendError.self) { try await session.perform(.start, on: .uuid("22222222-0000-4000-8000-00000000ffff")) }
        do {
            _ = try await session.perform(.start, on: .uuid("99999999-0000-4000-8000-000000000009"))
            Issue.record("an unknown VM must fail")
        } catch {
            #expect(error.code == .notFound)
        }
        // A failing script does not cost the shell.
        #expect(vmm.peer.shellsCreated == 1)

        let denied = FakeVMM([Self.web], failJobs: true)
        let other = try await self.session(denied)
        do {
            _ = try await other.perform(.start, on: .uuid("22222222-0000-4000-8000-000000000001"))
            Issue.record("a failed job must fail")
        } catch {
            #expect(error.code == .permissionDenied)
            #expect(error.message.contains("You do not have access to the specified object"))
        }
        #expect(denied.state(Self.web.id) == "PowerOff")
    }

    @Test func nodeInfoComesFromTheInventory() async throws {
        let session = try await session(FakeVMM([Self.web]))
        let node = try await session.nodeInfo(host: "hv1")
        #expect(node.hostname == "hv1" && node.cpus == 4 && node.hypervisor == "Hyper-V")
        await #expect(throws: BackendError.self) { try await session.nodeInfo(host: "elsewhere") }
    }
}
