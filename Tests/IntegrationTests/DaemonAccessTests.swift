import Foundation
import Testing

/// The two sockets, their modes, the read-only refusal, the audit trail and socket files.
@Suite("virtfedd sockets, access and audit")
struct DaemonAccessTests {
    @Test func socketModesAndTheReadOnlyRefusalAreAudited() throws {
        let daemon = try Daemon(backends: DaemonProtocolTests.demo)
        var info = stat()
        stat(daemon.socket, &info)
        #expect(info.st_mode & 0o777 == 0o600)
        stat(daemon.readonlySocket, &info)
        #expect(info.st_mode & 0o777 == 0o666)

        // Reading works on the read-only socket; every mutating method is refused there.
        let list = try daemon.request("domains.list", socket: daemon.readonlySocket)
        #expect(((list["result"] as? [String: Any])?["domains"] as? [Any])?.isEmpty == false)
        for verb in ["start", "shutdown", "destroy", "reboot", "reset", "suspend", "resume", "save"] {
            let refused = try daemon.request("domain.\(verb)", #"{"domain":"kvm-a/web-01"}"#, socket: daemon.readonlySocket)
            let data = (refused["error"] as? [String: Any])?["data"] as? [String: Any]
            #expect(data?["code"] as? String == "permission_denied", "domain.\(verb)")
        }
        let state = try daemon.request("domain.get", #"{"domain":"kvm-a/web-01"}"#)
        #expect((state["result"] as? [String: Any])?["state"] as? String == "running")

        // The same call on the read-write socket goes through; both are in the audit log.
        let done = try daemon.request("domain.suspend", #"{"domain":"kvm-a/web-01"}"#)
        #expect((done["result"] as? [String: Any])?["route"] as? String == "kvm-a")
        let failed = try daemon.request("domain.start", #"{"domain":"kvm-b/test-sandbox"}"#)
        #expect(failed["result"] != nil)
        let lines = try String(contentsOfFile: daemon.auditLog, encoding: .utf8).split(separator: "\n")
        // 8 refusals, and for each change sent a "sending" record (written before it is sent:
        // the trail fails closed) followed by its outcome.
        #expect(lines.count == 12)
        let entries = lines.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(entries.count == 12)
        #expect(entries.suffix(4).map { $0["result"] as? String ?? "" } == ["sending", "ok", "sending", "ok"])
        let refusals = entries.filter { $0["listener"] as? String == "ro" }
        #expect(refusals.count == 8 && refusals.allSatisfy { $0["code"] as? String == "permission_denied" && $0["result"] as? String == "error" })
        let suspend = try #require(entries.first { $0["method"] as? String == "domain.suspend" && $0["listener"] as? String == "rw" && $0["result"] as? String != "sending" })
        #expect(suspend["result"] as? String == "ok")
        #expect(suspend["domain"] as? String == "kvm-a/web-01")
        #expect(suspend["route"] as? String == "kvm-a")
        let peer = try #require(suspend["peer"] as? [String: Any])
        #expect(peer["pid"] as? Int == Int(getpid()))
        #expect(peer["uid"] as? Int == Int(getuid()))
        #expect(peer["gid"] as? Int == Int(getgid()))
        #expect((suspend["time"] as? String)?.hasSuffix("Z") == true)
    }

    @Test func aTornAuditLineNeverBreaksTheNextOne() throws {
        let directory = try scratchDirectory("vfd")
        // A crash left half a line behind.
        try #"{"time":"2026-01-01T00:00:00Z","method":"domain.st"#.write(toFile: directory.appendingPathComponent("audit.log").path, atomically: true, encoding: .utf8)
        let daemon = try Daemon(backends: DaemonProtocolTests.demo, directory: directory)
        _ = try daemon.request("domain.suspend", #"{"domain":"kvm-a/web-02"}"#)
        let lines = try String(contentsOfFile: daemon.auditLog, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 3)
        let last = try JSONSerialization.jsonObject(with: Data(lines[2].utf8)) as? [String: Any]
        #expect(last?["method"] as? String == "domain.suspend" && last?["result"] as? String == "ok")
    }

    @Test func aLiveSocketIsNeverStolenAndAStaleOneIsReplaced() throws {
        let first = try Daemon(backends: DaemonProtocolTests.demo)
        // A second daemon on the same sockets refuses to start, and the first keeps serving.
        let log = first.directory.appendingPathComponent("second.log").path
        let second = try spawn(Paths.binDirectory + "/virtfedd", ["--config", first.configPath],
                               environment: ProcessInfo.processInfo.environment, stdout: "/dev/null", stderr: log)
        var status: Int32 = 0
        for _ in 0..<1000 where waitpid(second, &status, WNOHANG) == 0 { usleep(10_000) }
        #expect((status >> 8) & 0xff != 0)
        #expect((try? String(contentsOfFile: log, encoding: .utf8))?.contains("another process is listening on") == true)
        #expect((try first.request("broker.ping"))["result"] != nil)

        // A daemon killed without cleaning up leaves stale socket files; the next one replaces them.
        first.signal(SIGKILL)
        _ = first.waitForExit(seconds: 10)
        #expect(FileManager.default.fileExists(atPath: first.socket))
        let replacement = try Daemon(backends: DaemonProtocolTests.demo, directory: first.directory)
        #expect((try replacement.request("broker.ping"))["result"] != nil)
    }

    @Test func aConfiguredModeAndGroupApply() throws {
        let daemon = try Daemon(backends: DaemonProtocolTests.demo, daemonExtra: "socket_mode = \"0660\"\nsocket_group = \"\(getgid())\"")
        var info = stat()
        stat(daemon.socket, &info)
        #expect(info.st_mode & 0o777 == 0o660)
        #expect(info.st_gid == getgid())
    }

    @Test func secretsNeverReachLogsOrAnswers() throws {
        let secret = "pw-\(UUID().uuidString)"
        let daemon = try Daemon(
            backends: [("kvm-a", "test://\(Paths.hosts)/kvm-a.xml", "username = \"admin\"\npassword_env = \"VF_SECRET\"")],
            environment: ["VF_SECRET": secret], logLevel: "trace")
        var answers = try daemon.call(#"{"jsonrpc":"2.0","method":"backends.list","id":1}"#) ?? ""
        answers += try daemon.call(#"{"jsonrpc":"2.0","method":"domains.list","id":2}"#) ?? ""
        answers += try daemon.call(#"{"jsonrpc":"2.0","method":"domain.suspend","params":{"domain":"web-01"},"id":3}"#) ?? ""
        daemon.signal(SIGHUP)
        usleep(300_000)
        daemon.signal(SIGTERM)
        #expect(daemon.waitForExit(seconds: 20) == 0)
        #expect(answers.contains("kvm-a/web-01"))
        #expect(daemon.log.contains("mutating call"))
        #expect(!answers.contains(secret))
        #expect(!daemon.log.contains(secret))
        #expect(!((try? String(contentsOfFile: daemon.auditLog, encoding: .utf8)) ?? "").contains(secret))
    }
}
