import Foundation
import Testing

/// The SCVMM plugin through the real binaries against the simulator (`virtfed-sim scvmm`):
/// libcurl, the WinRM cmd shell, PowerShell run by the simulator's interpreter.
@Suite("virtfed against a simulated SCVMM server", .serialized)
struct SCVMMCLITests {
    func config(_ simulator: SimulatedSCVMM, in directory: URL, parameters: String = "") throws -> String {
        try writeConfig(in: directory, [("vmm", simulator.uri(parameters), simulator.backendExtra)])
    }

    /// The domains of a `list --all --json`, by federated name.
    func listing(_ path: String, environment: [String: String], _ extra: String...) throws -> [String: [String: Any]] {
        let result = try runCommand(Paths.virtfed, ["--config", path, "list", "--all", "--json"] + extra, environment: environment)
        #expect(result.status == 0, "\(result)")
        let domains = (try result.json() as? [String: Any])?["domains"] as? [[String: Any]] ?? []
        return Dictionary(domains.map { ($0["name"] as? String ?? "", $0) }, uniquingKeysWith: { first, _ in first })
    }

    @Test func theRealCaptureIsListed() throws {
        let simulator = try SimulatedSCVMM(inventory: SimulatedSCVMM.capture)
        let dir = try scratchDirectory("cfg")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = try config(simulator, in: dir)
        let domains = try listing(path, environment: simulator.environment)
        // One script for the whole listing, whatever the number of VMs.
        #expect(simulator.commandShells.count == 1 && simulator.shellsCreated.count == 1)
        #expect(domains.count == 28)
        let states = Dictionary(grouping: domains.values, by: { $0["state"] as? String ?? "" }).mapValues(\.count)
        #expect(states == ["running": 10, "shutoff": 15, "saved": 3])
        #expect(domains.values.allSatisfy { ($0["backend_state"] as? String)?.hasPrefix("VirtualMachineState=") == true })
        #expect(domains.values.allSatisfy { $0["platform"] as? String == "Hyper-V" && ($0["host"] as? String)?.hasPrefix("qeblade") == true })
        let vm = try #require(domains["vmm/ag_test_prov_3"])
        #expect(vm["backend_state"] as? String == "VirtualMachineState=PowerOff Status=UnsupportedCluster")
        #expect(vm["uuid"] as? String == "fd36cef1-e691-4d57-b843-f6c9364834a2")
        let hosts = try virtfed("--config", path, "hosts", "--json", environment: simulator.environment)
        #expect(((try hosts.json() as? [String: Any])?["hosts"] as? [Any])?.count == 3, "\(hosts)")
    }

    @Test func hostsAndPlatformsOfTheDemo() throws {
        let simulator = try SimulatedSCVMM()
        let dir = try scratchDirectory("cfg")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = try config(simulator, in: dir)
        let domains = try listing(path, environment: simulator.environment)
        #expect(domains.count == 13)
        #expect(domains["vmm/esx-test"]?["state"] as? String == "paused")
        #expect(domains["vmm/esx-test"]?["platform"] as? String == "VMware ESX")
        #expect(domains["vmm/esx-test"]?["host"] as? String == "esx01.lab.local")
        #expect(domains["vmm/xen-legacy"]?["state"] as? String == "saved")
        #expect(domains["vmm/xen-legacy"]?["platform"] as? String == "XenServer")
        #expect(domains["vmm/xen-legacy"]?["uuid"] as? String == "83652d37-228c-4090-9d51-47a3296c398c")  // no VMId: BiosGuid
        #expect(domains["vmm/sql-01"]?["uuid"] as? String == "7a3e0c4b-2f1d-4e5a-9b8c-1d2e3f4a5b6c")
        #expect(domains["vmm/test-linux"]?["backend_state"] as? String == "VirtualMachineState=Paused Status=Paused")
        let table = try virtfed("--config", path, "hosts", environment: simulator.environment)
        #expect(table.stdout.contains("esx01.lab.local   VMware ESX") && table.stdout.contains("xen01.lab.local   XenServer"), "\(table)")
        let node = try virtfed("--config", path, "nodeinfo", "vmm", "--json", environment: simulator.environment)
        let info = (try node.json() as? [String: Any])?["node"] as? [String: Any]
        #expect(info?["hypervisor"] as? String == "Hyper-V" && info?["cpus"] as? Int == 80, "\(node)")
    }

    @Test func everyActionRunsAsAVMMJobAndLeadsToItsState() throws {
        let simulator = try SimulatedSCVMM()
        let dir = try scratchDirectory("cfg")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = try config(simulator, in: dir)
        let env = simulator.environment
        let steps = hv01ActionTour + [("resume", "esx-test", "running"), ("start", "xen-legacy", "running")]
        let jobs = try expectActions(steps, config: path, environment: env, route: "vmm")
        #expect(jobs.allSatisfy { $0.count == 36 } && Set(jobs).count == jobs.count, "\(jobs)")
        // The scripts went as VMM jobs: each action's cmdlet ran with -RunAsynchronously, and Get-SCJob followed.
        #expect(simulator.commandShells.count > steps.count * 3)
    }

    @Test func failuresAreTypedThroughTheDaemon() throws {
        // As real servers often do, every script also writes a progress record to stderr.
        let simulator = try SimulatedSCVMM(extra: ["--deny", "esx-test", "--module-progress"])
        let daemon = try Daemon(backends: [("vmm", simulator.uri(), simulator.backendExtra)], environment: simulator.environment)
        func error(_ method: String, _ domain: String) throws -> (code: String?, message: String?) {
            let answer = try daemon.request(method, #"{"domain":"\#(domain)"}"#)
            let error = answer["error"] as? [String: Any]
            return ((error?["data"] as? [String: Any])?["code"] as? String, error?["message"] as? String)
        }
        let wrongState = try error("domain.start", "vmm/sql-01")
        #expect(wrongState.code == "invalid_state")
        #expect(wrongState.message?.hasSuffix("SCVMM: Start-SCVirtualMachine : VMM cannot complete the requested operation because the virtual machine sql-01 is in the Running state. (Error ID: 12700)") == true, "\(wrongState)")
        let denied = try error("domain.resume", "vmm/esx-test")
        #expect(denied.code == "permission_denied")
        #expect(denied.message?.contains("You do not have access to the specified object. (Error ID: 1603)") == true, "\(denied)")
        #expect(try error("domain.start", "vmm/no-such-vm").code == "not_found")
        #expect(try error("domain.start", "5f0c1d2e-0000-4000-8000-000000000000").code == "not_found")
        // Nothing changed, and the CLI says the same with exit status 1.
        #expect(try daemon.request("domain.get", #"{"domain":"vmm/esx-test"}"#)["result"].flatMap { ($0 as? [String: Any])?["state"] as? String } == "paused")
        let cli = try virtfed("-c", daemon.socket, "resume", "vmm/esx-test")
        #expect(cli.status == 1 && cli.stderr.contains("(Error ID: 1603)"), "\(cli)")
        // The CLI through the daemon lists the same estate.
        let table = try virtfed("-c", daemon.socket, "list", "--all")
        #expect(table.status == 0, "\(table)")
        #expect(table.stdout.split(separator: "\n").contains { $0.contains("vmm/esx-test") && $0.contains("paused") && $0.contains("esx01.lab.local") },
                "\(table)")
        #expect(table.stdout.split(separator: "\n").filter { $0.contains("vmm/") }.count == 13)
    }

    @Test func theDaemonFollowsJobsAndReportsTheirProgress() throws {
        let simulator = try SimulatedSCVMM(extra: ["--job-ms", "1500"])
        let daemon = try Daemon(backends: [("vmm", simulator.uri(), simulator.backendExtra)], environment: simulator.environment)
        let events = try LineClient(path: daemon.socket)
        try events.send(#"{"jsonrpc":"2.0","method":"events.subscribe","params":{"jobs":true},"id":1}"#)
        _ = try events.receive()
        let answer = try daemon.request("domain.save", #"{"domain":"vmm/web-01","wait_ms":5000}"#)
        let job = try #require((answer["result"] as? [String: Any])?["job"] as? [String: Any], "\(answer)")
        #expect(job["state"] as? String == "completed" && job["resulting_state"] as? String == "saved", "\(job)")
        #expect((job["backend_job_id"] as? String)?.count == 36)
        // Get-SCJob's Progress, as event.job notifications in order.
        var percents: [Int] = []
        while let line = try events.receive(timeout: 10) {
            guard let object = parse(line) as? [String: Any], object["method"] as? String == "event.job",
                  let params = object["params"] as? [String: Any] else { continue }
            percents.append(params["percent"] as? Int ?? -1)
            if params["state"] as? String != "running" { break }
        }
        #expect(percents.count >= 3 && percents == percents.sorted() && percents.last == 100, "\(percents)")
    }

    @Test func shellsAreReusedAndReplacedWhenTheServerDropsThem() throws {
        let simulator = try SimulatedSCVMM(extra: ["--shell-idle-ms", "1500"])
        // One shell at a time (the daemon's own cache re-reads share it), and those re-reads rare.
        let daemon = try Daemon(backends: [("vmm", simulator.uri("&max_shells=1"), simulator.backendExtra + "\npoll_interval_ms = 60000")],
                                environment: simulator.environment)
        func count() throws -> Int {
            ((try daemon.request("domains.list", #"{"all":true}"#)["result"] as? [String: Any])?["domains"] as? [Any])?.count ?? -1
        }
        for _ in 0..<3 { #expect(try count() == 13) }
        #expect(try daemon.request("domain.suspend", #"{"domain":"vmm/web-01"}"#)["result"] != nil)
        // Every command so far ran in the one shell opened when the backend was.
        #expect(simulator.shellsCreated.count == 1)
        #expect(simulator.commandShells.count >= 6 && Set(simulator.commandShells) == Set(simulator.shellsCreated))
        // The server forgets the idle shell; the next call fails on it, the plugin drops it
        // and runs the command in a new shell, which is then reused.
        usleep(2_300_000)
        #expect(try count() == 13)
        #expect(simulator.log.contains("fault"), "\(simulator.log)")
        #expect(simulator.shellsCreated.count == 2)
        #expect(try count() == 13)
        #expect(simulator.shellsCreated.count == 2)
        #expect(simulator.commandShells.suffix(2) == [simulator.shellsCreated[1], simulator.shellsCreated[1]])
    }

    @Test func aKilledSimulatorMidCallIsATypedErrorAndOtherBackendsAnswer() throws {
        let simulator = try SimulatedSCVMM(extra: ["--command-ms", "1500"])
        let daemon = try Daemon(backends: [("vmm", simulator.uri(), simulator.backendExtra), ("kvm-a", "test://\(Paths.hosts)/kvm-a.xml", "")],
                                daemonExtra: "", environment: simulator.environment)
        // A listing is in flight (the simulator takes 1.5 s per command) when the server dies.
        let pid = simulator.pid
        let killer = Thread { usleep(600_000); kill(pid, SIGKILL) }
        killer.start()
        let started = Date()
        let result = try daemon.request("domains.list", #"{"all":true}"#)["result"] as? [String: Any]
        #expect(Date().timeIntervalSince(started) < 4)
        let errors = result?["errors"] as? [[String: Any]] ?? []
        #expect(errors.map { $0["backend"] as? String } == ["vmm"], "\(String(describing: result))")
        #expect(errors.first?["code"] as? String == "backend_unavailable", "\(errors)")
        let domains = result?["domains"] as? [[String: Any]] ?? []
        #expect(!domains.isEmpty && domains.allSatisfy { ($0["name"] as? String)?.hasPrefix("kvm-a/") == true })
        // Later calls: the same, promptly, and the daemon still serves.
        let again = try daemon.request("domains.list", #"{"all":true}"#)["result"] as? [String: Any]
        #expect(((again?["errors"] as? [[String: Any]])?.first)?["code"] as? String == "backend_unavailable")
        #expect((again?["domains"] as? [Any])?.count == domains.count)
        #expect(!daemon.hasExited)
    }

    @Test func namesCannotInjectPowerShell() throws {
        let hostile = [
            "evil'; Stop-SCVirtualMachine -VM $vm -Force; '",
            "$(Get-SCVMHost)",
            "back`tick`'; Remove-Item x",
            "semi;colon\" & echo pwned",
            "smart\u{2019}; Stop-Computer; \u{2018}",
        ]
        let dir = try scratchDirectory("inj")
        defer { try? FileManager.default.removeItem(at: dir) }
        var vms: [[String: Any]] = hostile.enumerated().map { index, name in
            ["Name": name, "ID": "aaaaaaaa-0000-4000-8000-00000000000\(index)", "BiosGuid": "bbbbbbbb-0000-4000-8000-00000000000\(index)",
             "HostName": "hv01.lab.local", "VirtualMachineStateString": "PowerOff", "StatusString": "PowerOff", "CPUCount": 1, "Memory": 512]
        }
        vms.append(["Name": "bystander", "ID": "aaaaaaaa-0000-4000-8000-0000000000ff", "BiosGuid": "bbbbbbbb-0000-4000-8000-0000000000ff",
                    "HostName": "hv01.lab.local", "VirtualMachineStateString": "Running", "StatusString": "Running", "CPUCount": 1, "Memory": 512])
        let inventory = ["hosts": [["Name": "hv01.lab.local", "ID": "cccccccc-0000-4000-8000-000000000001", "VirtualizationPlatformString": "HyperV",
                                    "CommunicationStateString": "Responding"]], "vms": vms] as [String: Any]
        let inventoryPath = dir.appendingPathComponent("hostile.json").path
        try JSONSerialization.data(withJSONObject: inventory).write(to: URL(fileURLWithPath: inventoryPath))
        let simulator = try SimulatedSCVMM(inventory: inventoryPath)
        let path = try config(simulator, in: dir)
        let env = simulator.environment
        let listed = try listing(path, environment: env)
        #expect(Set(listed.keys) == Set((hostile + ["bystander"]).map { "vmm/" + $0 }), "\(listed.keys)")
        for name in hostile {
            let started = try virtfed("--config", path, "start", "vmm/" + name, "--json", environment: env)
            #expect(started.status == 0, "\(name): \(started)")
            #expect(((try? started.json() as? [String: Any])?["job"] as? [String: Any])?["resulting_state"] as? String == "running", "\(name)")
        }
        // Each name started its own VM and nothing else: the bystander still runs, no VM was stopped.
        let after = try listing(path, environment: env)
        #expect(after.count == hostile.count + 1)
        #expect(after.values.allSatisfy { $0["state"] as? String == "running" }, "\(after.mapValues { $0["state"] ?? "" })")
    }
}
