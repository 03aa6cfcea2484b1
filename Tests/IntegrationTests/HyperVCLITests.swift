import Foundation
import Testing

/// The Hyper-V plugin through the real binaries against the simulator (`virtfed-sim hyperv`).
@Suite("virtfed against a simulated Hyper-V host", .serialized)
struct HyperVCLITests {
    func config(_ simulator: SimulatedHyperV, in directory: URL, extra: String? = nil) throws -> String {
        try writeConfig(in: directory, [("hv01", simulator.uri, extra ?? simulator.backendExtra)])
    }

    @Test func listingShowsSavedAndPausedAsSuch() throws {
        let simulator = try SimulatedHyperV()
        let dir = try scratchDirectory("cfg")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = try config(simulator, in: dir)
        let result = try virtfed("--config", path, "list", "--all", "--json", environment: simulator.environment)
        #expect(result.status == 0, "\(result)")
        let domains = try #require((try result.json() as? [String: Any])?["domains"] as? [[String: Any]])
        let states = Dictionary(uniqueKeysWithValues: domains.map { ($0["name"] as! String, $0["state"] as! String) })
        #expect(states == ["hv01/sql-01": "running", "hv01/web-01": "running", "hv01/build-agent": "shutoff",
                           "hv01/legacy-app": "shutoff", "hv01/dc-02": "saved", "hv01/test-linux": "paused"])
        let paused = try #require(domains.first { $0["name"] as? String == "hv01/test-linux" })
        #expect(paused["backend_state"] as? String == "EnabledState=9")
        #expect(paused["platform"] as? String == "Hyper-V")
        #expect(paused["host"] as? String == "hv01.lab.local")
        #expect((paused["vcpus"] as? Int ?? 0) > 0 && (paused["memory_kib"] as? Int ?? 0) > 0)
        let table = try virtfed("--config", path, "list", "--all", environment: simulator.environment)
        #expect(table.stdout.contains("hv01/dc-02         saved"))
        let node = try virtfed("--config", path, "nodeinfo", "hv01", "--json", environment: simulator.environment)
        #expect(((try node.json() as? [String: Any])?["node"] as? [String: Any])?["hypervisor"] as? String == "Hyper-V")
    }

    @Test func everyActionRunsAsAJobAndLeadsToItsState() throws {
        let simulator = try SimulatedHyperV()
        let dir = try scratchDirectory("cfg")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = try config(simulator, in: dir)
        let env = simulator.environment
        try expectActions(hv01ActionTour, config: path, environment: env)
        // Impossible transitions are refused as Hyper-V refuses them: 4097 → invalid_state.
        let wrong = try virtfed("--config", path, "resume", "build-agent", environment: env)
        #expect(wrong.status == 1)
        #expect(wrong.stderr.contains("4097"))
        let json = try virtfed("--config", path, "suspend", "legacy-app", "--json", environment: env)
        #expect(json.status == 1)
    }

    @Test func aWrongPasswordIsAuthFailed() throws {
        let simulator = try SimulatedHyperV()
        let dir = try scratchDirectory("cfg")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = try config(simulator, in: dir)
        let result = try virtfed("--config", path, "list", "--json", environment: ["VF_HV_PASSWORD": "wrong"])
        #expect(result.status == 2)
        let error = try #require(((try result.json() as? [String: Any])?["errors"] as? [[String: Any]])?.first)
        #expect(error["code"] as? String == "auth_failed")
        #expect(!result.stdout.contains(simulator.password) && !result.stderr.contains(simulator.password))
    }

    @Test func aKilledSimulatorIsUnavailableThenTheDaemonRecovers() throws {
        let simulator = try SimulatedHyperV()
        let daemon = try Daemon(backends: [("hv01", simulator.uri, simulator.backendExtra), ("kvm-a", "test://\(Paths.hosts)/kvm-a.xml", "")],
                                environment: simulator.environment)
        func listing() throws -> (count: Int, errors: [[String: Any]]) {
            let result = try daemon.request("domains.list", #"{"all":true}"#)["result"] as? [String: Any]
            return ((result?["domains"] as? [Any])?.count ?? -1, (result?["errors"] as? [[String: Any]]) ?? [])
        }
        #expect(try listing().count == 14)
        let port = simulator.port
        simulator.stop()
        let (count, errors) = try listing()
        #expect(count == 8)
        #expect(errors.first?["backend"] as? String == "hv01")
        #expect(errors.first?["code"] as? String == "backend_unavailable")
        // The same host comes back (same port, same password): the daemon recovers by itself.
        let again = try SimulatedHyperVRestart(port: port, password: simulator.password)
        var recovered = false
        for _ in 0..<100 where !recovered {
            recovered = try listing().count == 14
            if !recovered { usleep(100_000) }
        }
        #expect(recovered)
        _ = again
    }

    @Test func malformedAnswersAreErrorsNotCrashes() throws {
        let simulator = try SimulatedHyperV(extra: ["--malformed-fraction", "1"])
        let dir = try scratchDirectory("cfg")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = try config(simulator, in: dir)
        let result = try virtfed("--config", path, "list", "--json", environment: simulator.environment)
        #expect(result.status == 2, "\(result)")
        let error = try #require(((try result.json() as? [String: Any])?["errors"] as? [[String: Any]])?.first)
        #expect(error["backend"] as? String == "hv01")
        #expect((error["message"] as? String)?.lowercased().contains("xml") == true, "\(error)")
    }

    @Test func theDaemonFollowsJobsAndReportsTheirProgress() throws {
        let simulator = try SimulatedHyperV(extra: ["--job-ms", "600"])
        let daemon = try Daemon(backends: [("hv01", simulator.uri, simulator.backendExtra)], environment: simulator.environment)
        let answer = try daemon.request("domain.save", #"{"domain":"hv01/web-01"}"#)
        let job = try #require((answer["result"] as? [String: Any])?["job"] as? [String: Any])
        #expect(job["state"] as? String == "completed" && job["percent"] as? Int == 100, "\(job)")
        #expect(job["resulting_state"] as? String == "saved")
        #expect((job["backend_job_id"] as? String)?.isEmpty == false)
        // The daemon followed Msvm_ConcreteJob to its end; the job stays listed.
        let listed = try daemon.request("jobs.list", #"{"all":true}"#)["result"] as? [[String: Any]]
        #expect(listed?.first?["id"] as? String == job["id"] as? String && listed?.first?["state"] as? String == "completed")
    }

    @Test func ntlmThroughLibcurlIsVerifiedByTheSimulator() throws {
        let simulator = try SimulatedHyperV()
        let dir = try scratchDirectory("cfg")
        defer { try? FileManager.default.removeItem(at: dir) }
        let ntlm = "hyperv://127.0.0.1:\(simulator.port)/?transport=http&auth=ntlm"
        let good = try writeConfig(in: dir, [("hv01", ntlm, simulator.backendExtra)])
        let listed = try virtfed("--config", good, "list", "--all", "--json", environment: simulator.environment)
        #expect(listed.status == 0, "\(listed)")
        #expect(((try listed.json() as? [String: Any])?["domains"] as? [Any])?.count == 6)
        let refused = try virtfed("--config", good, "list", "--json", environment: ["VF_HV_PASSWORD": "not-it"])
        let error = ((try refused.json() as? [String: Any])?["errors"] as? [[String: Any]])?.first
        #expect(error?["code"] as? String == "auth_failed")
    }

    @Test func aFailedJobIsAnErrorCarryingItsDescription() throws {
        let simulator = try SimulatedHyperV(extra: ["--fail-jobs"])
        let dir = try scratchDirectory("cfg")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = try config(simulator, in: dir)
        let result = try virtfed("--config", path, "suspend", "sql-01", environment: simulator.environment)
        #expect(result.status == 1)
        #expect(result.stderr.contains("Pausing failed: The virtual machine could not change state: simulated failure."), "\(result)")
        #expect(try virtfed("--config", path, "domstate", "sql-01", environment: simulator.environment).stdout == "running\n\n")
    }

    @Test func httpsIsVerifiedAgainstTheConfiguredCAFile() throws {
        let dir = try scratchDirectory("tls")
        defer { try? FileManager.default.removeItem(at: dir) }
        let (cert, key) = try selfSignedCertificate(in: dir)
        let simulator = try SimulatedHyperV(extra: ["--tls-cert", cert, "--tls-key", key])
        let https = "hyperv://127.0.0.1:\(simulator.port)/?auth=basic"
        let path = try writeConfig(in: dir, [
            ("trusted", https, simulator.backendExtra + "\nca_file = \"cert.pem\""),
            ("untrusted", https, simulator.backendExtra),
            ("unverified", https + "&no_verify=1", simulator.backendExtra),
        ])
        let result = try virtfed("--config", path, "list", "--all", "--json", environment: simulator.environment)
        let object = try #require(try result.json() as? [String: Any])
        let domains = try #require(object["domains"] as? [[String: Any]])
        // trusted and unverified reach the same VMs (one entry each, two routes); untrusted fails.
        #expect(domains.count == 6)
        #expect(domains.allSatisfy { Set($0["routes"] as? [String] ?? []) == ["trusted", "unverified"] })
        let errors = try #require(object["errors"] as? [[String: Any]])
        #expect(errors.map { $0["backend"] as? String } == ["untrusted"])
        #expect(errors.first?["code"] as? String == "backend_unavailable")
    }
}

/// A simulator started again on a known port with a known password.
final class SimulatedHyperVRestart {
    let pid: pid_t

    init(port: Int, password: String) throws {
        pid = try spawn(Paths.simulator(), [
            "hyperv", "--listen", "127.0.0.1:\(port)", "--user", SimulatedHyperV.user, "--password", password,
            "--inventory", Paths.root.appendingPathComponent("config/hv01.json").path,
        ] + SimulatedHyperV.leniencies, environment: ProcessInfo.processInfo.environment, stdout: "/dev/null", stderr: "/dev/null")
    }

    deinit {
        kill(pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
    }
}