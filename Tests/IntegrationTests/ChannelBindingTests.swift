import Foundation
import Testing

/// HTTPS channel binding (RFC 5929 `tls-server-end-point`) as a Windows listener checks it under
/// `Service/Auth/CbtHardeningLevel`: virtfedd against `virtfed-sim hyperv --cbt-hardening-level`,
/// with NTLM (the simulator's own NTLMv2 check of `MsvAvChannelBindings`) and Kerberos and
/// SPNEGO (MIT's acceptor, the realm of `WinRMSecurityTests`). A TLS relay between the two —
/// a TLS-terminating proxy, or a man in the middle — makes the binding name the wrong
/// certificate.
@Suite("HTTPS channel binding (CbtHardeningLevel)", .serialized)
struct ChannelBindingTests {
    /// A certificate for `localhost` and 127.0.0.1, signed with `digest` (sha256, sha384, sha512:
    /// the hash the binding must use follows it).
    static func certificate(in directory: URL, name: String, digest: String) throws -> (cert: String, key: String) {
        let cert = directory.appendingPathComponent("\(name).pem").path, key = directory.appendingPathComponent("\(name)-key.pem").path
        let made = try runCommand("/usr/bin/openssl", [
            "req", "-x509", "-newkey", "rsa:2048", "-\(digest)", "-nodes", "-days", "2", "-subj", "/CN=localhost",
            "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", key, "-out", cert,
        ])
        guard made.status == 0 else { throw FleetError(message: "openssl failed: \(made)") }
        return (cert, key)
    }

    /// A Hyper-V simulator over https with Windows' other defaults, the realm's keytab, and `level`.
    static func simulator(level: String?, cert: String, key: String) throws -> SimulatedHyperV {
        let cbt = level.map { ["--cbt-hardening-level", $0] } ?? []
        return try SimulatedHyperV(extra: ["--tls-cert", cert, "--tls-key", key, "--keytab", WinRMSecurityTests.Realm.shared.keytab,
                                           "--log-level", "debug"] + cbt, strict: true)
    }

    /// virtfedd with one backend on `port` (the simulator's, or a relay's), trusting `ca`.
    /// `negotiate-ntlm` is SPNEGO with the listener's NTLM user, by address (no Kerberos).
    static func daemon(port: Int, auth: String, ca: String, parameters: String = "", simulator: SimulatedHyperV) throws -> Daemon {
        let realm = WinRMSecurityTests.Realm.shared
        let ntlm = auth == "ntlm" || auth == "negotiate-ntlm"
        let (user, password) = ntlm ? (SimulatedHyperV.user, simulator.password) : ("alice@VF.TEST", realm.password)
        let extra = "username = \"\(user)\"\npassword_env = \"VF_SECRET\"\nca_file = \"\(ca)\"\n"
        let host = auth == "negotiate-ntlm" ? "127.0.0.1" : "localhost"
        let uri = "hyperv://\(host):\(port)/?transport=https&auth=\(auth == "negotiate-ntlm" ? "negotiate" : auth)\(parameters)"
        return try Daemon(backends: [("hv01", uri, extra)], environment: realm.environment.merging(["VF_SECRET": password]) { $1 })
    }

    /// The listing's error entries.
    static func errors(_ list: CommandResult) -> [[String: Any]] {
        ((try? list.json() as? [String: Any])?["errors"] as? [[String: Any]]) ?? []
    }

    @Test("Strict accepts virtfed's bound authentication: listings and a change, the hash following the certificate's signature",
          arguments: [("ntlm", "sha256"), ("ntlm", "sha384"), ("kerberos", "sha512"), ("negotiate", "sha256"), ("negotiate-ntlm", "sha384")])
    func strictAcceptsBoundAuthentication(auth: String, digest: String) throws {
        let dir = try scratchDirectory("cbt")
        defer { try? FileManager.default.removeItem(at: dir) }
        let (cert, key) = try Self.certificate(in: dir, name: "listener", digest: digest)
        let simulator = try Self.simulator(level: "Strict", cert: cert, key: key)
        let daemon = try Self.daemon(port: simulator.port, auth: auth, ca: cert, simulator: simulator)
        let env = ["VIRTFED_SOCKET": daemon.socket]
        let list = try virtfed("list", "--all", environment: env)
        #expect(list.status == 0 && list.stdout.contains("hv01/build-agent"), "\(auth)/\(digest): \(list)\n\(daemon.log)\n\(simulator.log.suffix(2000))")
        // A change goes over a fresh connection: bound again, on that connection.
        let started = try virtfed("start", "hv01/build-agent", environment: env, timeout: 60)
        #expect(started.status == 0, "\(auth): \(started)")
        #expect(simulator.invocations.filter { $0 == "RequestStateChange" }.count == 1, "\(simulator.invocations)")
        let authenticated = simulator.log.split(separator: "\n").filter { $0.contains("authenticated") }
        #expect(!authenticated.isEmpty && authenticated.allSatisfy { $0.contains("channel_bound=true") }, "\(authenticated)")
        let how = ["ntlm": "NTLM authenticated", "negotiate-ntlm": "kerberos=false"][auth] ?? "kerberos=true"
        #expect(simulator.log.contains(how), "\(authenticated)")
    }

    @Test("channel_binding=off: Strict refuses it (auth_failed naming the setting), Relaxed — Windows' default — accepts it",
          arguments: ["ntlm", "kerberos", "negotiate-ntlm"])
    func unboundAuthentication(auth: String) throws {
        let dir = try scratchDirectory("cbt")
        defer { try? FileManager.default.removeItem(at: dir) }
        let (cert, key) = try Self.certificate(in: dir, name: "listener", digest: "sha256")
        let strict = try Self.simulator(level: "Strict", cert: cert, key: key)
        let refused = try Self.daemon(port: strict.port, auth: auth, ca: cert, parameters: "&channel_binding=off", simulator: strict)
        let list = try virtfed("list", "--all", "--json", environment: ["VIRTFED_SOCKET": refused.socket])
        let errors = Self.errors(list)
        #expect(list.status == 2 && errors.first?["code"] as? String == "auth_failed", "\(auth): \(list)")
        #expect((errors.first?["message"] as? String)?.contains("CbtHardeningLevel = Strict") == true, "\(errors)")
        #expect(strict.log.contains("no channel binding (CbtHardeningLevel = Strict)"), "\(strict.log.suffix(2000))")

        let relaxed = try Self.simulator(level: nil, cert: cert, key: key)
        let accepted = try Self.daemon(port: relaxed.port, auth: auth, ca: cert, parameters: "&channel_binding=off", simulator: relaxed)
        let listed = try virtfed("list", "--all", environment: ["VIRTFED_SOCKET": accepted.socket])
        #expect(listed.status == 0 && listed.stdout.contains("hv01/sql-01"), "\(auth): \(listed)\n\(accepted.log)")
        #expect(relaxed.log.contains("channel_bound=false"), "\(relaxed.log.suffix(2000))")
    }

    @Test("Through a TLS relay the binding names the relay's certificate: Relaxed refuses it (auth_failed); unbound it passes",
          arguments: ["ntlm", "kerberos"])
    func relayedAuthenticationIsRefused(auth: String) throws {
        let dir = try scratchDirectory("cbt")
        defer { try? FileManager.default.removeItem(at: dir) }
        let (cert, key) = try Self.certificate(in: dir, name: "listener", digest: "sha256")
        let (relayCert, relayKey) = try Self.certificate(in: dir, name: "relay", digest: "sha256")
        let simulator = try Self.simulator(level: nil, cert: cert, key: key)
        let relayDirectory = try scratchDirectory("relay")
        defer { try? FileManager.default.removeItem(at: relayDirectory) }
        let script = Paths.root.appendingPathComponent("Tests/IntegrationTests/Peers/tls_relay.py").path
        let relay = try spawnListening("/usr/bin/python3", [script, relayCert, relayKey, "127.0.0.1", "\(simulator.port)"], directory: relayDirectory)
        defer { killAndReap(relay.pid) }

        // virtfed trusts the relay (a TLS-terminating proxy it was told to trust): TLS succeeds,
        // and the listener sees the binding of a certificate that is not its own.
        let bound = try Self.daemon(port: relay.port, auth: auth, ca: relayCert, simulator: simulator)
        let list = try virtfed("list", "--all", "--json", environment: ["VIRTFED_SOCKET": bound.socket])
        let errors = Self.errors(list)
        #expect(list.status == 2 && errors.first?["code"] as? String == "auth_failed", "\(auth): \(list)")
        #expect((errors.first?["message"] as? String)?.contains("TLS-terminating proxy") == true, "\(errors)")
        // NTLM is refused by the simulator's own check; Kerberos by MIT's acceptor (bad bindings).
        #expect(auth == "ntlm" ? simulator.log.contains("wrong channel binding (CbtHardeningLevel = Relaxed)") : simulator.log.contains("Negotiate refused"),
                "\(simulator.log.suffix(2000))")
        #expect(!simulator.log.contains("channel_bound=true"))

        let unbound = try Self.daemon(port: relay.port, auth: auth, ca: relayCert, parameters: "&channel_binding=off", simulator: simulator)
        let listed = try virtfed("list", "--all", environment: ["VIRTFED_SOCKET": unbound.socket])
        #expect(listed.status == 0 && listed.stdout.contains("hv01/sql-01"), "\(auth): \(listed)\n\(unbound.log)")
    }
}
