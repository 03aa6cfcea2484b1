import Foundation
import Testing

/// Credentials from the configuration reach libvirt through virConnectOpenAuth's callback:
/// a real libvirtd that demands SASL (SCRAM-SHA-256, user in a sasldb) on its Unix socket.
@Suite("virtfed credentials against a SASL libvirtd", .serialized)
struct AuthTests {
    static let secret = "S3cr3t-pw-\(UUID().uuidString.prefix(6))"

    final class SASLDaemon {
        let directory: URL
        let pid: pid_t
        var socket: String { directory.appendingPathComponent("run/libvirt-sock").path }

        init(user: String, password: String) throws {
            directory = try scratchDirectory("sasl")
            let db = directory.appendingPathComponent("passwd.db").path
            try FileManager.default.createDirectory(at: directory.appendingPathComponent("run"), withIntermediateDirectories: true)
            try FileManager.default.createDirectory(at: directory.appendingPathComponent("drivers"), withIntermediateDirectories: true)
            let pwFile = directory.appendingPathComponent("pw-input").path
            try password.write(toFile: pwFile, atomically: true, encoding: .utf8)
            let made = try runCommand("/bin/sh", ["-c", "saslpasswd2 -p -a libvirt -f \"$1\" -c \"$2\" < \"$3\"", "sh", db, user, pwFile])
            try? FileManager.default.removeItem(atPath: pwFile)
            guard made.status == 0 else { throw FleetError(message: "saslpasswd2 failed: \(made)") }
            try "mech_list: scram-sha-256\nsasldb_path: \(db)\n".write(to: directory.appendingPathComponent("libvirt.conf"), atomically: true, encoding: .utf8)
            try """
                listen_tls = 0
                listen_tcp = 0
                auth_unix_rw = "sasl"
                auth_unix_ro = "sasl"
                unix_sock_dir = "\(directory.path)/run"
                log_outputs = "3:file:\(directory.path)/libvirtd.log"
                """.write(to: directory.appendingPathComponent("libvirtd.conf"), atomically: true, encoding: .utf8)
            var env = ProcessInfo.processInfo.environment
            env["SASL_CONF_PATH"] = directory.path
            env["LIBVIRT_DRIVER_DIR"] = directory.appendingPathComponent("drivers").path
            pid = try spawn("/usr/bin/setsid", ["libvirtd", "-f", directory.appendingPathComponent("libvirtd.conf").path,
                                                "-p", directory.appendingPathComponent("libvirtd.pid").path],
                            environment: env, stdout: "/dev/null", stderr: directory.appendingPathComponent("stderr.log").path)
            for _ in 0..<500 where !FileManager.default.fileExists(atPath: socket) { usleep(10_000) }
        }

        deinit {
            kill(pid, SIGTERM)
            var status: Int32 = 0
            for _ in 0..<300 where waitpid(pid, &status, WNOHANG) == 0 { usleep(10_000) }
            try? FileManager.default.removeItem(at: directory)
        }
    }

    @Test func theRightPasswordOpensAndWrongOrMissingOnesAreAuthFailed() throws {
        let daemon = try SASLDaemon(user: "fed-admin", password: Self.secret)
        let uri = "test+unix:///default?socket=\(daemon.socket)"
        let secretFile = daemon.directory.appendingPathComponent("secret")
        try "\(Self.secret)\n".write(to: secretFile, atomically: true, encoding: .utf8)
        let good = try writeConfig(in: daemon.directory, [("secure", uri, "username = \"fed-admin\"\npassword_file = \"secret\"")])
        let result = try virtfed("--config", good, "list", "--all", "--json", environment: ["VIRTFED_LOG_LEVEL": "trace"])
        #expect(result.status == 0, "\(result)")
        let names = ((try result.json() as? [String: Any])?["domains"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
        #expect(names == ["secure/test"])
        #expect(!result.stdout.contains(Self.secret) && !result.stderr.contains(Self.secret))

        let wrongDir = try scratchDirectory("cfg")
        defer { try? FileManager.default.removeItem(at: wrongDir) }
        let wrong = try writeConfig(in: wrongDir, [("secure", uri, "username = \"fed-admin\"\npassword_env = \"VF_TEST_PW\"")])
        let refused = try virtfed("--config", wrong, "list", "--json", environment: ["VF_TEST_PW": "not-it", "VIRTFED_LOG_LEVEL": "trace"])
        #expect(refused.status == 2)
        let error = try #require(((try refused.json() as? [String: Any])?["errors"] as? [[String: Any]])?.first)
        #expect(error["code"] as? String == "auth_failed")
        #expect(!refused.stdout.contains("not-it") && !refused.stderr.contains("not-it"))

        let anonymous = try writeConfig(in: wrongDir, [("secure", uri, "")])
        let noCredentials = try virtfed("--config", anonymous, "list", "--json")
        let missing = try #require(((try noCredentials.json() as? [String: Any])?["errors"] as? [[String: Any]])?.first)
        #expect(missing["code"] as? String == "auth_failed")
    }
}
