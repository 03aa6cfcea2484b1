import Foundation
import Testing

/// Every change is a job the daemon follows to its end: progress as `event.job` notifications,
/// `jobs.list`/`job.get`/`job.cancel`, the CLI's progress and `--no-wait`, and no action ever
/// sent twice however long its backend's job runs.
@Suite("jobs: followed by the daemon, listed, cancelled", .serialized)
struct JobTests {
    /// A subscription's notifications of one method, in order, until `until` is true of one.
    func notifications(_ client: LineClient, method: String, until: ([String: Any]) -> Bool) throws -> [[String: Any]] {
        var found: [[String: Any]] = []
        while let line = try client.receive(timeout: 20) {
            guard let object = parse(line) as? [String: Any], object["method"] as? String == method,
                  let params = object["params"] as? [String: Any] else { continue }
            found.append(params)
            if until(params) { break }
        }
        return found
    }

    @Test func aJobLongerThanTheBackendsTimeoutRunsOnceAndIsFollowedToItsEnd() throws {
        // hv01's jobs take 1.5 s, its timeout_ms is 300: the old code timed out inside the job and
        // sent the save again through vmm. Now the state change is sent once, through hv01.
        let hv = try SimulatedHyperV(extra: ["--job-ms", "1500", "--log-level", "info"])
        let vmm = try SimulatedSCVMM()
        let env = hv.environment.merging(vmm.environment) { $1 }
        let daemon = try Daemon(backends: [("hv01", hv.uri, hv.backendExtra + "\ntimeout_ms = 300"), ("vmm", vmm.uri(), vmm.backendExtra)],
                                environment: env)
        let events = try LineClient(path: daemon.socket)
        try events.send(#"{"jsonrpc":"2.0","method":"events.subscribe","params":{"domains":["web-01"],"jobs":true},"id":1}"#)
        _ = try events.receive()

        let answer = try daemon.request("domain.save", #"{"domain":"hv01/web-01","wait_ms":0}"#)
        let result = try #require(answer["result"] as? [String: Any], "\(answer)")
        let job = try #require(result["job"] as? [String: Any])
        #expect(result["route"] as? String == "hv01" && job["state"] as? String == "running", "\(result)")
        #expect((job["backend_job_id"] as? String)?.isEmpty == false)
        let id = try #require(job["id"] as? String)

        // Progress in order, to the end.
        let progress = try notifications(events, method: "event.job") { $0["state"] as? String != "running" }
        #expect(progress.allSatisfy { $0["id"] as? String == id })
        let percents = progress.compactMap { $0["percent"] as? Int }
        #expect(percents == percents.sorted() && percents.count >= 3, "\(percents)")
        #expect(progress.last?["state"] as? String == "completed" && progress.last?["resulting_state"] as? String == "saved", "\(progress.last ?? [:])")

        let got = try daemon.request("job.get", #"{"id":"\#(id)"}"#)["result"] as? [String: Any]
        #expect(got?["state"] as? String == "completed" && got?["percent"] as? Int == 100 && got?["finished"] is String, "\(got ?? [:])")
        // Sent once: one state change on hv01, and no job at all on the SCVMM server.
        #expect(hv.invocations == ["RequestStateChange"], "\(hv.invocations)")
        let vmmJobs = try PyWinRM.run(vmm, transport: "basic", ["ps", "@(Get-SCJob -All).Count"])
        #expect((vmmJobs["stdout"] as? String)?.trimmingCharacters(in: .whitespacesAndNewlines) == "0", "\(vmmJobs)")
    }

    @Test(arguments: ["--reset-fraction", "--truncate-fraction"])
    func aResetOrATornReplyAfterTheChangeIsOutcomeUnknownAndNeverSentAgain(fault: String) throws {
        // hv01 carries out the state change, then resets the connection or tears the reply.
        let hv = try SimulatedHyperV(extra: [fault, "1", "--faults-only-on", "RequestStateChange", "--log-level", "info"])
        let vmm = try SimulatedSCVMM()
        let env = hv.environment.merging(vmm.environment) { $1 }
        let daemon = try Daemon(backends: [("hv01", hv.uri, hv.backendExtra), ("vmm", vmm.uri(), vmm.backendExtra)], environment: env)
        let answer = try virtfed("-c", daemon.socket, "suspend", "hv01/web-01")
        #expect(answer.status == 3, "\(answer)")
        #expect(answer.stderr.contains("was sent through hv01 and no answer says whether it happened")
                && answer.stderr.contains("it was not sent again"), "\(answer)")
        // Once to hv01, never to vmm.
        #expect(hv.invocations == ["RequestStateChange"], "\(hv.invocations)")
        let vmmJobs = try PyWinRM.run(vmm, transport: "basic", ["ps", "@(Get-SCJob -All).Count"])
        #expect((vmmJobs["stdout"] as? String)?.trimmingCharacters(in: .whitespacesAndNewlines) == "0", "\(vmmJobs)")
        // The job says so too, and the next listing shows what happened: the host did it.
        let jobs = try daemon.request("jobs.list", #"{"all":true}"#)["result"] as? [[String: Any]] ?? []
        #expect(jobs.first?["state"] as? String == "unknown" && jobs.first?["code"] as? String == "outcome_unknown", "\(jobs)")
        var state = ""
        for _ in 0..<50 where state != "paused" {
            usleep(100_000)
            state = (try daemon.request("domain.get", #"{"domain":"hv01/web-01"}"#)["result"] as? [String: Any])?["state"] as? String ?? ""
        }
        #expect(state == "paused")
    }

    @Test func aNameResolvesWhileItsBackendIsDownAndTheActionGoesThroughTheOtherRoute() throws {
        let hv = try SimulatedHyperV()
        let vmm = try SimulatedSCVMM()
        let env = hv.environment.merging(vmm.environment) { $1 }
        let daemon = try Daemon(backends: [("hv01", hv.uri, hv.backendExtra + "\npoll_interval_ms = 200"), ("vmm", vmm.uri(), vmm.backendExtra)],
                                environment: env)
        #expect(try virtfed("-c", daemon.socket, "list", "--all").stdout.contains("hv01/dc-02"))
        hv.stop()
        let started = try virtfed("-c", daemon.socket, "start", "hv01/dc-02", "--json")
        let result = try #require(try started.json() as? [String: Any], "\(started)")
        #expect(result["route"] as? String == "vmm" && result["domain"] as? String == "hv01/dc-02", "\(result)")
        // The listing keeps the name the operator knows, and says the direct route is down.
        let listed = try virtfed("-c", daemon.socket, "list", "--all", "--json")
        #expect(listed.status == 2, "\(listed)")
        let entries = (try listed.json() as? [String: Any])?["domains"] as? [[String: Any]] ?? []
        let entry = entries.first { ($0["name"] as? String)?.hasSuffix("/dc-02") == true }
        #expect(entry?["name"] as? String == "hv01/dc-02", "\(entries.compactMap { $0["name"] })")
        #expect(listed.stderr.contains("warning: backend hv01:"), "\(listed)")
    }

    @Test func jobsAreCancelledOnHyperVAndSCVMMAndNotOnLibvirt() throws {
        let hv = try SimulatedHyperV(extra: ["--job-ms", "20000"])
        let vmm = try SimulatedSCVMM(extra: ["--job-ms", "20000"])
        let env = hv.environment.merging(vmm.environment) { $1 }
        let daemon = try Daemon(backends: DaemonProtocolTests.demo + [("hv01", hv.uri, hv.backendExtra), ("vmm", vmm.uri(), vmm.backendExtra)],
                                environment: env)
        for (domain, before) in [("hv01/web-01", "running"), ("vmm/esx-web-01", "running")] {
            let started = try daemon.request("domain.suspend", #"{"domain":"\#(domain)","wait_ms":0}"#)["result"] as? [String: Any]
            let id = try #require((started?["job"] as? [String: Any])?["id"] as? String, "\(started ?? [:])")
            let cancelled = try daemon.request("job.cancel", #"{"id":"\#(id)"}"#)
            let record = try #require(cancelled["result"] as? [String: Any], "\(cancelled)")
            #expect(record["state"] as? String == "cancelled", "\(domain): \(record)")
            let state = try daemon.request("domain.get", #"{"domain":"\#(domain)"}"#)["result"] as? [String: Any]
            #expect(state?["state"] as? String == before, "\(domain) is back where it was: \(state ?? [:])")
            // Cancelling it again: it has ended.
            let again = try daemon.request("job.cancel", #"{"id":"\#(id)"}"#)
            #expect(((again["error"] as? [String: Any])?["data"] as? [String: Any])?["code"] as? String == "invalid_state", "\(again)")
        }
        // libvirt acts at once: its job has already ended, there is nothing to cancel.
        let done = try daemon.request("domain.suspend", #"{"domain":"kvm-a/web-01"}"#)["result"] as? [String: Any]
        let libvirtJob = try #require(done?["job"] as? [String: Any])
        #expect(libvirtJob["state"] as? String == "completed" && libvirtJob["backend_job_id"] is NSNull, "\(libvirtJob)")
        let refused = try daemon.request("job.cancel", #"{"id":"\#(libvirtJob["id"] as? String ?? "")"}"#)
        #expect(((refused["error"] as? [String: Any])?["data"] as? [String: Any])?["code"] as? String == "invalid_state", "\(refused)")
        // The read-only socket lists jobs and refuses to cancel.
        let listed = try daemon.request("jobs.list", #"{"all":true}"#, socket: daemon.readonlySocket)["result"] as? [[String: Any]] ?? []
        #expect(listed.count == 3 && Set(listed.compactMap { $0["state"] as? String }) == ["cancelled", "completed"], "\(listed)")
        let readOnly = try daemon.request("job.cancel", #"{"id":"x"}"#, socket: daemon.readonlySocket)
        #expect(((readOnly["error"] as? [String: Any])?["data"] as? [String: Any])?["code"] as? String == "permission_denied", "\(readOnly)")
    }

    @Test func theCLIShowsProgressWaitsOrDetachesAndListsJobs() throws {
        let hv = try SimulatedHyperV(extra: ["--job-ms", "2500"])
        let daemon = try Daemon(backends: [("hv01", hv.uri, hv.backendExtra)], daemonExtra: "", environment: hv.environment)
        // Not a terminal: one progress line per change on stderr, then virsh's words.
        let saved = try virtfed("-c", daemon.socket, "save", "hv01/web-01")
        #expect(saved.status == 0 && saved.stdout.contains("Domain 'hv01/web-01' state saved"), "\(saved)")
        let lines = saved.stderr.split(separator: "\n").filter { $0.hasPrefix("job ") }
        #expect(lines.count >= 2 && lines.last?.contains("completed 100%") == true, "\(saved.stderr)")

        // On a terminal (script(1) gives it one): a bar redrawn in place, the last at 100%.
        let onTerminal = try runCommand("/usr/bin/script", ["-qec", "\(Paths.virtfed) -c \(daemon.socket) save hv01/sql-01", "/dev/null"],
                                        environment: ["TERM": "xterm"])
        #expect(onTerminal.status == 0 && onTerminal.stdout.contains("Domain 'hv01/sql-01' state saved"), "\(onTerminal)")
        let redraws = onTerminal.stdout.components(separatedBy: "\r\u{1B}[2K").dropFirst()
        #expect(redraws.count >= 2 && redraws.allSatisfy { $0.hasPrefix("save hv01/sql-01 [") }, "\(onTerminal.stdout.debugDescription)")
        #expect(redraws.last?.contains("[##############################] 100%") == true, "\(onTerminal.stdout.debugDescription)")

        // --no-wait: the id, at once; `job ID` follows it to its end.
        let started = try virtfed("-c", daemon.socket, "start", "hv01/web-01", "--no-wait")
        let id = started.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(started.status == 0 && id.count == 8, "\(started)")
        let running = try virtfed("-c", daemon.socket, "jobs", "--json")
        #expect(((try running.json() as? [[String: Any]]) ?? []).contains { $0["id"] as? String == id && $0["state"] as? String == "running" }, "\(running)")
        let followed = try virtfed("-c", daemon.socket, "job", id)
        #expect(followed.status == 0 && followed.stdout.contains("State:         completed") && followed.stdout.contains("VM state:      running"),
                "\(followed)")
        let all = try virtfed("-c", daemon.socket, "jobs", "--all")
        #expect(all.status == 0 && all.stdout.contains(id) && all.stdout.contains("save"), "\(all)")
        let missing = try virtfed("-c", daemon.socket, "job", "nosuchjob")
        #expect(missing.status == 1 && missing.stderr.contains("no job nosuchjob"), "\(missing)")
    }

    @Test func anAuditTrailThatCannotWriteRefusesTheChangeBeforeItIsSent() throws {
        // The trail on a full device: every write fails with ENOSPC.
        let directory = try scratchDirectory("full")
        try FileManager.default.createSymbolicLink(atPath: directory.appendingPathComponent("audit.log").path, withDestinationPath: "/dev/full")
        let daemon = try Daemon(backends: DaemonProtocolTests.demo, directory: directory)
        let refused = try daemon.request("domain.suspend", #"{"domain":"kvm-a/web-01"}"#)
        let error = try #require(refused["error"] as? [String: Any], "\(refused)")
        #expect((error["data"] as? [String: Any])?["code"] as? String == "internal", "\(error)")
        #expect((error["message"] as? String)?.contains("audit trail unavailable") == true, "\(error)")
        #expect((error["message"] as? String)?.contains("not sent") == true, "\(error)")
        // Nothing reached the backend, and no job was started.
        let state = try daemon.request("domain.get", #"{"domain":"kvm-a/web-01"}"#)["result"] as? [String: Any]
        #expect(state?["state"] as? String == "running", "\(state ?? [:])")
        #expect((try daemon.request("jobs.list", #"{"all":true}"#)["result"] as? [Any])?.isEmpty == true)
        let cli = try virtfed("-c", daemon.socket, "suspend", "kvm-a/web-01")
        #expect(cli.status == 1 && cli.stderr.contains("audit trail unavailable"), "\(cli)")
    }

    @Test func jobsAndTheAuditTrailSurviveARestartAndARunningJobIsFollowedAgain() throws {
        let hv = try SimulatedHyperV(extra: ["--job-ms", "4000", "--log-level", "info"])
        let state = try scratchDirectory("state")
        defer { try? FileManager.default.removeItem(at: state) }
        let backends = DaemonProtocolTests.demo + [("hv01", hv.uri, hv.backendExtra)]
        let stateDir = "state_dir = \"\(state.path)\""
        var first: Daemon? = try Daemon(backends: backends, daemonExtra: stateDir, environment: hv.environment)
        let quick = try first!.request("domain.suspend", #"{"domain":"kvm-a/web-01"}"#)["result"] as? [String: Any]
        let quickID = try #require((quick?["job"] as? [String: Any])?["id"] as? String, "\(quick ?? [:])")
        let long = try first!.request("domain.save", #"{"domain":"hv01/web-01","wait_ms":0}"#)["result"] as? [String: Any]
        let longID = try #require((long?["job"] as? [String: Any])?["id"] as? String, "\(long ?? [:])")
        usleep(300_000)
        first!.signal(SIGTERM)
        #expect(first!.waitForExit(seconds: 20) == 0)
        first = nil

        // A new daemon on the same state: the history is there, the Hyper-V job followed again.
        let second = try Daemon(backends: backends, daemonExtra: stateDir, environment: hv.environment)
        #expect(second.log.contains("job re-attached") && second.log.contains("job=\(longID)"), "\(second.log)")
        // The re-attached job holds its VM's change lock again: a start waits for the save to end
        // (sent during it, the host would refuse it: 32775, a job is running).
        let started = try second.request("domain.start", #"{"domain":"hv01/web-01","wait_ms":15000}"#)
        let startJob = try #require((started["result"] as? [String: Any])?["job"] as? [String: Any], "\(started)")
        #expect(startJob["state"] as? String == "completed" && startJob["resulting_state"] as? String == "running", "\(startJob)")
        var job: [String: Any] = [:]
        for _ in 0..<100 {
            job = try second.request("job.get", #"{"id":"\#(longID)"}"#)["result"] as? [String: Any] ?? [:]
            if job["state"] as? String != "running" { break }
            usleep(100_000)
        }
        #expect(job["state"] as? String == "completed" && job["resulting_state"] as? String == "saved", "\(job)")
        let history = try second.request("jobs.list", #"{"all":true}"#)["result"] as? [[String: Any]] ?? []
        #expect(history.compactMap { $0["id"] as? String } == [quickID, longID, startJob["id"] as? String ?? ""], "\(history)")
        // The save was sent once (never again after the restart), then the start.
        #expect(hv.invocations == ["RequestStateChange", "RequestStateChange"], "\(hv.invocations)")
        // The audit trail in the state database, as sqlite3 reads it once the daemon has stopped
        // (outcome records are batched every 20 ms; a stopping daemon writes what is queued).
        second.signal(SIGTERM)
        #expect(second.waitForExit(seconds: 20) == 0)
        // Each change: "sending" (synced before it went), then its outcome (written in a batch).
        let audit = try runCommand("/usr/bin/sqlite3", [state.path + "/virtfed.db", "SELECT method || ' ' || result FROM audit ORDER BY method, sequence"])
        #expect(audit.stdout == "domain.save sending\ndomain.save ok\ndomain.start sending\ndomain.start ok\ndomain.suspend sending\ndomain.suspend ok\n",
                "\(audit)")
    }

    @Test func theStateDatabaseOnAFullFilesystemRefusesChangesBeforeSendingThem() throws {
        let volume = try scratchDirectory("tmpfs")
        let mount = try runCommand("/bin/mount", ["-t", "tmpfs", "-o", "size=512k", "tmpfs", volume.path])
        try #require(mount.status == 0, "a small tmpfs stands in for a full disk: \(mount)")
        defer { _ = try? runCommand("/bin/umount", [volume.path]); try? FileManager.default.removeItem(at: volume) }
        let daemon = try Daemon(backends: DaemonProtocolTests.demo, daemonExtra: "state_dir = \"\(volume.path)/state\"")
        #expect(try daemon.request("domain.suspend", #"{"domain":"kvm-a/web-02"}"#)["result"] != nil)
        // Fill the volume.
        _ = try runCommand("/bin/dd", ["if=/dev/zero", "of=\(volume.path)/filler", "bs=4096"])
        let refused = try daemon.request("domain.suspend", #"{"domain":"kvm-a/web-01"}"#)
        let error = try #require(refused["error"] as? [String: Any], "\(refused)")
        #expect((error["message"] as? String)?.contains("audit trail unavailable") == true, "\(error)")
        let state = try daemon.request("domain.get", #"{"domain":"kvm-a/web-01"}"#)["result"] as? [String: Any]
        #expect(state?["state"] as? String == "running", "nothing was sent: \(state ?? [:])")
        // Room again: changes go through again.
        try FileManager.default.removeItem(atPath: volume.path + "/filler")
        #expect(try daemon.request("domain.suspend", #"{"domain":"kvm-a/web-01"}"#)["result"] != nil)
    }

    @Test func ctrlCDetachesFromTheJobWhichGoesOn() throws {
        let hv = try SimulatedHyperV(extra: ["--job-ms", "4000"])
        let daemon = try Daemon(backends: [("hv01", hv.uri, hv.backendExtra)], environment: hv.environment)
        let directory = try scratchDirectory("ctrlc")
        defer { try? FileManager.default.removeItem(at: directory) }
        let err = directory.appendingPathComponent("err").path
        let pid = try spawn(Paths.virtfed, ["-c", daemon.socket, "save", "hv01/web-01"], environment: ProcessInfo.processInfo.environment,
                            stdout: directory.appendingPathComponent("out").path, stderr: err)
        usleep(1_500_000)
        kill(pid, SIGINT)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        #expect((status >> 8) & 0xff == 130, "exit status \(status)")
        let said = (try? String(contentsOfFile: err, encoding: .utf8)) ?? ""
        let id = try #require(said.firstMatch(of: /detached from job ([0-9a-f]{8}); it goes on in the daemon/).map { String($0.1) }, "\(said)")
        #expect(said.contains("virtfed job \(id)"), "\(said)")
        // The job goes on without the command, to its end.
        let followed = try virtfed("-c", daemon.socket, "job", id, timeout: 30)
        #expect(followed.status == 0 && followed.stdout.contains("State:         completed"), "\(followed)")
    }

    @Test func retentionBoundsTheHistory() throws {
        let daemon = try Daemon(backends: DaemonProtocolTests.demo, daemonExtra: "\n[broker]\njob_retention = 2")
        for verb in ["suspend", "resume", "suspend"] {
            #expect(try daemon.request("domain.\(verb)", #"{"domain":"kvm-a/web-01"}"#)["result"] != nil)
        }
        let kept = try daemon.request("jobs.list", #"{"all":true}"#)["result"] as? [[String: Any]] ?? []
        #expect(kept.compactMap { $0["action"] as? String } == ["resume", "suspend"], "\(kept)")
    }
}
