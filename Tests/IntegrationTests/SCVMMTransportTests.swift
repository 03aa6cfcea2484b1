import Foundation
import Synchronization
import Testing

/// The WinRM side of the SCVMM plugin against the simulator: Receive retried on `w:TimedOut`,
/// shells deleted on close, NTLM and https, and misbehaving servers.
@Suite("SCVMM over WinRM: timeouts, shells, auth, bad servers", .serialized)
struct SCVMMTransportTests {
    func firstError(_ result: CommandResult) -> [String: Any]? {
        ((try? result.json() as? [String: Any])?["errors"] as? [[String: Any]])?.first
    }

    @Test func aSlowCommandIsReceivedAgainAfterEachTimedOutFault() throws {
        // Each command takes 2.3 s; the plugin asks WinRM to wait 1 s per Receive.
        let simulator = try SimulatedSCVMM(extra: ["--command-ms", "2300"])
        let dir = try scratchDirectory("slow")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = try writeConfig(in: dir, [("vmm", simulator.uri("&operation_timeout=1"), simulator.backendExtra + "\ntimeout_ms = 10000")])
        let result = try virtfed("--config", path, "list", "--all", "--json", environment: simulator.environment)
        #expect(result.status == 0, "\(result)")
        #expect(((try result.json() as? [String: Any])?["domains"] as? [Any])?.count == 13)
        let timedOut = simulator.log.split(separator: "\n").filter { $0.contains("fault") && $0.contains("TimedOut") }
        #expect(timedOut.count >= 2, "\(simulator.log)")
    }

    @Test func twoCallsAtOnceRunInTwoShellsOnTwoConnections() throws {
        // Each command takes 2 s: two listings at once finish in about 2 s, not 4.
        let simulator = try SimulatedSCVMM(extra: ["--command-ms", "2000"])
        // The inventory cache's own re-reads stay out of the way (one at start, then once a minute).
        let daemon = try Daemon(backends: [("vmm", simulator.uri(), simulator.backendExtra + "\ntimeout_ms = 10000\npoll_interval_ms = 60000")],
                                environment: simulator.environment)
        // A first listing runs beside the cache's first re-read: both shells exist and are idle after it.
        _ = try daemon.request("domains.list", #"{"all":true}"#)
        for _ in 0..<100 where simulator.commandShells.count < 2 { usleep(50_000) }
        #expect(simulator.shellsCreated.count == 2)
        let socket = daemon.socket
        let answers = Mutex<[String]>([])
        let started = Date()
        DispatchQueue.concurrentPerform(iterations: 2) { _ in
            let client = try? LineClient(path: socket)
            try? client?.send(#"{"jsonrpc":"2.0","method":"domains.list","params":{"all":true},"id":1}"#)
            let answer = (try? client?.receive(timeout: 20)) ?? nil
            answers.withLock { $0.append(answer ?? "") }
        }
        let elapsed = Date().timeIntervalSince(started)
        let counts = answers.withLock { $0 }.map { ((parse($0) as? [String: Any])?["result"] as? [String: Any])?["domains"] as? [Any] }
        #expect(counts.map { $0?.count } == [13, 13], "\(answers.withLock { $0 })")
        #expect(elapsed < 3.6, "\(elapsed) s")
        #expect(simulator.shellsCreated.count == 2)
        #expect(Set(simulator.commandShells.suffix(2)).count == 2)
    }

    @Test func aServerThatStopsAnsweringDoesNotHoldUpShutdown() throws {
        let simulator = try SimulatedSCVMM()
        let daemon = try Daemon(backends: [("vmm", simulator.uri(), simulator.backendExtra)], environment: simulator.environment)
        #expect(((try daemon.request("domains.list", #"{"all":true}"#)["result"] as? [String: Any])?["domains"] as? [Any])?.count == 13)
        // The server freezes with the daemon's shell open: deleting it on the way out cannot succeed.
        kill(simulator.pid, SIGSTOP)
        defer { kill(simulator.pid, SIGCONT) }
        let started = Date()
        daemon.signal(SIGTERM)
        #expect(daemon.waitForExit(seconds: 20) == 0)
        #expect(Date().timeIntervalSince(started) < 8, "\(Date().timeIntervalSince(started)) s")
    }

    @Test func everyProcessDeletesItsShellOnClose() throws {
        // The server allows one shell at a time: a shell left behind would refuse the next run.
        let simulator = try SimulatedSCVMM(extra: ["--max-shells", "1"])
        let dir = try scratchDirectory("close")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = try writeConfig(in: dir, [("vmm", simulator.uri(), simulator.backendExtra)])
        for _ in 0..<3 {
            let result = try virtfed("--config", path, "list", "--all", "--json", environment: simulator.environment)
            #expect(result.status == 0, "\(result)")
        }
        #expect(simulator.shellsCreated.count == 3)
    }

    @Test func ntlmWorksAndAWrongPasswordIsAuthFailed() throws {
        let simulator = try SimulatedSCVMM()
        let dir = try scratchDirectory("ntlm")
        defer { try? FileManager.default.removeItem(at: dir) }
        let ntlm = "scvmm://127.0.0.1:\(simulator.port)/?transport=http&auth=ntlm"
        let path = try writeConfig(in: dir, [("vmm", ntlm, simulator.backendExtra)])
        let listed = try virtfed("--config", path, "list", "--all", "--json", environment: simulator.environment)
        #expect(listed.status == 0, "\(listed)")
        #expect(((try listed.json() as? [String: Any])?["domains"] as? [Any])?.count == 13)
        for uri in [ntlm, simulator.uri()] {
            let wrong = try writeConfig(in: dir, [("vmm", uri, simulator.backendExtra)])
            let refused = try virtfed("--config", wrong, "list", "--json", environment: ["VF_VMM_PASSWORD": "not-the-password"])
            #expect(refused.status == 2)
            #expect(firstError(refused)?["code"] as? String == "auth_failed", "\(refused)")
            #expect(!refused.stdout.contains("not-the-password") && !refused.stderr.contains("not-the-password"))
        }
    }

    @Test func httpsIsVerifiedAgainstTheConfiguredCAFile() throws {
        let dir = try scratchDirectory("tls")
        defer { try? FileManager.default.removeItem(at: dir) }
        let (cert, key) = try selfSignedCertificate(in: dir)
        let simulator = try SimulatedSCVMM(extra: ["--tls-cert", cert, "--tls-key", key])
        let https = "scvmm://127.0.0.1:\(simulator.port)/?auth=basic"
        let path = try writeConfig(in: dir, [
            ("trusted", https, simulator.backendExtra + "\nca_file = \"cert.pem\""),
            ("untrusted", https, simulator.backendExtra),
        ])
        let result = try virtfed("--config", path, "list", "--all", "--json", environment: simulator.environment)
        #expect(((try result.json() as? [String: Any])?["domains"] as? [Any])?.count == 13, "\(result)")
        #expect(firstError(result)?["backend"] as? String == "untrusted")
        #expect(firstError(result)?["code"] as? String == "backend_unavailable")
    }

    @Test func malformedOrSilentServersAreTypedErrors() throws {
        let dir = try scratchDirectory("bad")
        defer { try? FileManager.default.removeItem(at: dir) }
        let malformed = try SimulatedSCVMM(extra: ["--malformed-fraction", "1"])
        let silent = try SimulatedSCVMM(extra: ["--hang"])
        let path = try writeConfig(in: dir, [
            ("garbled", malformed.uri(), malformed.backendExtra),
            ("silent", silent.uri(), silent.backendExtra.replacingOccurrences(of: "VF_VMM_PASSWORD", with: "VF_VMM_PASSWORD2") + "\ntimeout_ms = 1500"),
            ("kvm-a", "test://\(Paths.hosts)/kvm-a.xml", ""),
        ])
        let started = Date()
        let result = try virtfed("--config", path, "list", "--all", "--json",
                                 environment: ["VF_VMM_PASSWORD": malformed.password, "VF_VMM_PASSWORD2": silent.password])
        #expect(Date().timeIntervalSince(started) < 10)
        #expect(result.status == 2, "\(result)")
        let object = try #require(try result.json() as? [String: Any])
        let errors = Dictionary(((object["errors"] as? [[String: Any]]) ?? []).map { ($0["backend"] as? String ?? "", $0) }, uniquingKeysWith: { a, _ in a })
        #expect(errors["garbled"]?["code"] as? String == "internal", "\(errors)")
        #expect((errors["garbled"]?["message"] as? String)?.lowercased().contains("xml") == true, "\(errors)")
        #expect(errors["silent"]?["code"] as? String == "timeout", "\(errors)")
        #expect(((object["domains"] as? [[String: Any]]) ?? []).allSatisfy { ($0["name"] as? String)?.hasPrefix("kvm-a/") == true })
        #expect(((object["domains"] as? [Any]) ?? []).count > 0)
    }
}
