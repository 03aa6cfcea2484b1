import Foundation
import Testing

/// The SCVMM simulator judged by pypsrp (PyPI, unmodified, in the venv `make pywinrm` makes),
/// against the real `virtfed-sim scvmm` with Windows' listener defaults: WinRS (`execute_cmd`)
/// over NTLM, Negotiate and Kerberos (the suite's real MIT KDC, `WinRMSecurityTests.Realm`),
/// message encryption auto and always, http and https. PSRP itself (`execute_ps`, a runspace
/// pool on the Microsoft.PowerShell resource URI) is not implemented by the simulator.
@Suite("pypsrp (and pywinrm with Kerberos) against virtfed-sim scvmm", .serialized)
struct PyPSRPTests {
    static let python = Paths.root.appendingPathComponent(".venv/pywinrm/bin/python").path
    static let psrp = Paths.root.appendingPathComponent("Tests/IntegrationTests/Peers/psrp_client.py").path
    static let winrm = Paths.root.appendingPathComponent("Tests/IntegrationTests/Peers/winrm_client.py").path

    /// Runs psrp_client.py; its JSON answer.
    static func psrp(host: String = "127.0.0.1", _ simulator: SimulatedSCVMM, user: String = SimulatedSCVMM.user, auth: String,
                     _ mode: String, _ text: String, environment: [String: String] = [:]) throws -> [String: Any] {
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw FleetError(message: "no venv at \(python): run `make pywinrm` first")
        }
        var env = environment
        if env["KRB5CCNAME"] == nil { env["PSRP_PASSWORD"] = simulator.password }
        if simulator.https { env["PSRP_SSL"] = "1"; env["PSRP_CERT_VALIDATION"] = "0" }
        let result = try runCommand(python, [psrp, host, "\(simulator.port)", user, auth, mode, text], environment: env, timeout: 60)
        guard result.status == 0, let object = try result.json() as? [String: Any] else {
            throw FleetError(message: "psrp_client.py failed: \(result)")
        }
        return object
    }

    static let script = "(Get-SCVMHost).Count"

    @Test("http, Windows' defaults: execute_cmd over NTLM and Negotiate, encryption auto and always — sealed, accepted",
          arguments: ["ntlm", "negotiate"], ["auto", "always"])
    func http(auth: String, encryption: String) throws {
        let simulator = try SimulatedSCVMM(strict: true)
        let answer = try Self.psrp(simulator, auth: auth, "pscmd", Self.script, environment: ["PSRP_ENCRYPTION": encryption])
        #expect(answer["status"] as? Int == 0 && answer["stdout"] as? String == "3\r\n", "\(answer)")
        #expect(answer["encrypted"] as? Bool == true)
        let echo = try Self.psrp(simulator, auth: auth, "cmd", "echo hello", environment: ["PSRP_ENCRYPTION": encryption])
        #expect(echo["stdout"] as? String == "hello\r\n", "\(echo)")
        #expect(!simulator.log.contains("unencrypted request refused") && !simulator.log.contains(simulator.password))
    }

    @Test("http, Windows' defaults: pypsrp with encryption never is refused (AllowUnencrypted = false)")
    func unencryptedRefused() throws {
        let simulator = try SimulatedSCVMM(strict: true)
        let answer = try Self.psrp(simulator, auth: "ntlm", "cmd", "echo x", environment: ["PSRP_ENCRYPTION": "never"])
        #expect(answer["exception"] as? String == "WSManFaultError" && (answer["message"] as? String)?.contains("AllowUnencrypted") == true, "\(answer)")
    }

    @Test("https: encryption auto sends SOAP in the TLS channel only, always seals it too; both accepted", arguments: ["ntlm", "negotiate"])
    func https(auth: String) throws {
        let dir = try scratchDirectory("psrp-tls")
        defer { try? FileManager.default.removeItem(at: dir) }
        let cert = dir.appendingPathComponent("cert.pem").path, key = dir.appendingPathComponent("key.pem").path
        let made = try runCommand("/usr/bin/openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
                                                       "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", cert])
        #expect(made.status == 0, "\(made)")
        let simulator = try SimulatedSCVMM(extra: ["--tls-cert", cert, "--tls-key", key], strict: true)
        for encryption in ["auto", "always"] {
            let answer = try Self.psrp(simulator, auth: auth, "pscmd", Self.script, environment: ["PSRP_ENCRYPTION": encryption])
            #expect(answer["stdout"] as? String == "3\r\n", "\(encryption): \(answer)")
            #expect(answer["encrypted"] as? Bool == (encryption == "always"))
        }
    }

    @Test("PSRP (execute_ps) is not implemented: the Microsoft.PowerShell resource URI is Windows' not-found fault")
    func psrpNotImplemented() throws {
        let simulator = try SimulatedSCVMM(strict: true)
        let answer = try Self.psrp(simulator, auth: "ntlm", "ps", Self.script)
        #expect(answer["exception"] as? String == "WSManFaultError", "\(answer)")
        #expect((answer["message"] as? String)?.contains("2150858752") == true)
        #expect((answer["message"] as? String)?.contains("Microsoft.PowerShell") == true)
    }

    /// A ticket cache for the realm's user, made with kinit.
    static func ticketCache() throws -> String {
        let realm = WinRMSecurityTests.Realm.shared
        let cache = realm.directory.appendingPathComponent("psrp-cc-\(UUID().uuidString.prefix(6))").path
        let kinit = try runCommand("/bin/sh", ["-c", "printf '%s\\n' \"$VF_SECRET\" | kinit alice@VF.TEST >/dev/null"],
                                   environment: realm.environment.merging(["KRB5CCNAME": "FILE:\(cache)", "VF_SECRET": realm.password]) { $1 })
        guard kinit.status == 0 else { throw FleetError(message: "kinit: \(kinit)") }
        return "FILE:\(cache)"
    }

    @Test("Kerberos against the real KDC (HTTP/localhost): pypsrp kerberos and negotiate, pywinrm kerberos, encryption auto and always",
          arguments: ["auto", "always"])
    func kerberos(encryption: String) throws {
        let realm = WinRMSecurityTests.Realm.shared
        let simulator = try SimulatedSCVMM(extra: ["--keytab", realm.keytab, "--log-level", "debug"], strict: true)
        let environment = realm.environment.merging(["KRB5CCNAME": try Self.ticketCache(), "PSRP_SERVICE": "HTTP",
                                                     "PSRP_ENCRYPTION": encryption, "WINRM_ENCRYPTION": encryption,
                                                     "WINRM_PASSWORD": "unused-with-a-ticket-cache"]) { $1 }
        for auth in ["kerberos", "negotiate"] {
            let answer = try Self.psrp(host: "localhost", simulator, user: "alice@VF.TEST", auth: auth, "pscmd", Self.script, environment: environment)
            #expect(answer["stdout"] as? String == "3\r\n" && answer["encrypted"] as? Bool == true, "pypsrp \(auth): \(answer)")
        }
        let pywinrm = try runCommand(Self.python, [Self.winrm, "http://localhost:\(simulator.port)/wsman", "alice@VF.TEST", "kerberos", "ps", Self.script],
                                     environment: environment, timeout: 60)
        let answer = try pywinrm.json() as? [String: Any]
        #expect(answer?["stdout"] as? String == "3\r\n" && answer?["encrypted"] as? Bool == true, "pywinrm kerberos: \(pywinrm)")
        // Three Kerberos handshakes (two by pypsrp, one by pywinrm), none fell back to NTLM.
        #expect(simulator.log.components(separatedBy: "kerberos=true").count - 1 >= 3, "\(simulator.log.suffix(1500))")
        #expect(!simulator.log.contains("kerberos=false"))
    }
}
