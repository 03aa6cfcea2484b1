import Foundation
import Testing

/// WinRM certificate authentication (`auth=certificate`, DSP0226 `secprofile/https/mutual`) as
/// Windows does it: virtfedd against `virtfed-sim hyperv` over https with
/// `--allow-certificate` (Service/Auth/Certificate, off by default), a `--client-ca` and a
/// `--cert-mapping` from the certificate's UPN to the local account. Certificates are made
/// with openssl per test (`ClientCertificates`); each refusal says what to fix.
@Suite("WinRM certificate authentication", .serialized)
struct CertificateAuthTests {
    /// The listener's certificate, the client certificates, and their scratch directory.
    struct Material {
        let directory: URL
        let listener: (cert: String, key: String)
        let clients: ClientCertificates

        init() throws {
            directory = try scratchDirectory("certauth")
            listener = try ChannelBindingTests.certificate(in: directory, name: "listener", digest: "sha256")
            clients = try ClientCertificates(in: directory)
        }

        /// The second line of a PEM key: what must never appear in any output.
        func keyLine(_ path: String) -> String {
            ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n").dropFirst().first.map(String.init) ?? "-"
        }
    }

    /// A Hyper-V simulator over https with Windows' other defaults; `certificates` turns
    /// Service/Auth/Certificate on (the CA and the mapping are given either way).
    static func simulator(_ material: Material, certificates: Bool, https: Bool = true) throws -> SimulatedHyperV {
        let tls = https ? ["--tls-cert", material.listener.cert, "--tls-key", material.listener.key] : []
        return try SimulatedHyperV(extra: tls + (certificates ? ["--allow-certificate"] : []) + [
            "--client-ca", material.clients.ca, "--cert-mapping", "\(material.clients.upn)=\(SimulatedHyperV.user)", "--log-level", "debug",
        ], strict: true)
    }

    /// virtfedd with one certificate-authenticated backend.
    static func daemon(_ simulator: SimulatedHyperV, _ material: Material, client: ClientCertificates.Pair?,
                       transport: String = "https", parameters: String = "") throws -> Daemon {
        var extra = "ca_file = \"\(material.listener.cert)\"\n"
        if let client { extra += "client_cert = \"\(client.cert)\"\nclient_key = \"\(client.key)\"\n" }
        let uri = "hyperv://localhost:\(simulator.port)/?transport=\(transport)&auth=certificate\(parameters)"
        return try Daemon(backends: [("hv01", uri, extra)])
    }

    /// The listing's error entries.
    static func errors(_ list: CommandResult) -> [[String: Any]] {
        ((try? list.json() as? [String: Any])?["errors"] as? [[String: Any]]) ?? []
    }

    @Test("A mapped client certificate lists and changes VMs: no NTLM or Negotiate round, nothing sealed, no key in any log")
    func mappedCertificateWorks() throws {
        let material = try Material()
        defer { try? FileManager.default.removeItem(at: material.directory) }
        let simulator = try Self.simulator(material, certificates: true)
        let daemon = try Self.daemon(simulator, material, client: material.clients.good)
        let env = ["VIRTFED_SOCKET": daemon.socket]
        let list = try virtfed("list", "--all", environment: env)
        #expect(list.status == 0 && list.stdout.contains("hv01/build-agent"), "\(list)\n\(daemon.log)\n\(simulator.log.suffix(2000))")
        let started = try virtfed("start", "hv01/build-agent", environment: env, timeout: 60)
        #expect(started.status == 0, "\(started)")
        #expect(simulator.invocations.filter { $0 == "RequestStateChange" }.count == 1, "\(simulator.invocations)")
        #expect(simulator.log.contains("certificate authenticated") && simulator.log.contains("upn=\(material.clients.upn)"),
                "\(simulator.log.suffix(2000))")
        #expect(!simulator.log.contains("NTLM authenticated") && !simulator.log.contains("Negotiate authenticated"))
        #expect(!simulator.log.contains("certificate refused"))
        let secret = material.keyLine(material.clients.good.key)
        #expect(!daemon.log.contains(secret) && !list.stdout.contains(secret) && !list.stderr.contains(secret) && !simulator.log.contains(secret))
    }

    @Test("A listener without Service/Auth/Certificate (Windows' default) refuses it: auth_failed naming the setting")
    func listenerWithoutCertificateAuthentication() throws {
        let material = try Material()
        defer { try? FileManager.default.removeItem(at: material.directory) }
        let simulator = try Self.simulator(material, certificates: false)
        let daemon = try Self.daemon(simulator, material, client: material.clients.good)
        let list = try virtfed("list", "--all", "--json", environment: ["VIRTFED_SOCKET": daemon.socket])
        let errors = Self.errors(list)
        #expect(list.status == 2 && errors.first?["code"] as? String == "auth_failed", "\(list)")
        #expect((errors.first?["message"] as? String)?.contains("Service/Auth/Certificate = false") == true, "\(errors)")
        #expect(simulator.log.contains("certificate refused"), "\(simulator.log.suffix(1500))")
    }

    @Test("A certificate no certmapping's issuer signed, and one without a UPN, are refused, each saying why",
          arguments: ["other-ca", "no-upn"])
    func unmappedCertificatesAreRefused(_ which: String) throws {
        let material = try Material()
        defer { try? FileManager.default.removeItem(at: material.directory) }
        let simulator = try Self.simulator(material, certificates: true)
        let client = which == "other-ca" ? material.clients.otherCA : material.clients.withoutUPN
        let daemon = try Self.daemon(simulator, material, client: client)
        let list = try virtfed("list", "--all", "--json", environment: ["VIRTFED_SOCKET": daemon.socket])
        let errors = Self.errors(list)
        let message = errors.first?["message"] as? String ?? ""
        #expect(list.status == 2 && errors.first?["code"] as? String == "auth_failed", "\(list)")
        let why = which == "other-ca" ? "does not chain to an issuer that a certmapping names" : "has no user principal name"
        #expect(message.contains(why) && message.contains("HTTP 401"), "\(message)")
        #expect(!simulator.log.contains("certificate authenticated"))
        #expect(!message.contains(material.keyLine(client.key)))
    }

    @Test("A key that is not the certificate's: auth_failed saying the files cannot be used, without their contents")
    func mismatchedKeyIsRefusedLocally() throws {
        let material = try Material()
        defer { try? FileManager.default.removeItem(at: material.directory) }
        let simulator = try Self.simulator(material, certificates: true)
        let mismatched = ClientCertificates.Pair(cert: material.clients.good.cert, key: material.clients.otherCA.key)
        let daemon = try Self.daemon(simulator, material, client: mismatched)
        let list = try virtfed("list", "--all", "--json", environment: ["VIRTFED_SOCKET": daemon.socket])
        let errors = Self.errors(list)
        let message = errors.first?["message"] as? String ?? ""
        #expect(list.status == 2 && errors.first?["code"] as? String == "auth_failed", "\(list)")
        #expect(message.contains("the client certificate could not be used") && message.contains("client_key"), "\(message)")
        let secret = material.keyLine(mismatched.key)
        #expect(!list.stdout.contains(secret) && !daemon.log.contains(secret))
        #expect(!simulator.log.contains("certificate authenticated"))
    }

    @Test("auth=certificate over http, with encryption=always, or without client_cert/client_key: invalid_argument before anything is sent",
          arguments: [("http", "", true), ("https", "&encryption=always", true), ("https", "", false)])
    func refusedAtConfiguration(transport: String, parameters: String, withCertificate: Bool) throws {
        let material = try Material()
        defer { try? FileManager.default.removeItem(at: material.directory) }
        let simulator = try Self.simulator(material, certificates: transport == "https", https: transport == "https")
        let daemon = try Self.daemon(simulator, material, client: withCertificate ? material.clients.good : nil, transport: transport,
                                     parameters: parameters)
        let list = try virtfed("list", "--all", "--json", environment: ["VIRTFED_SOCKET": daemon.socket])
        let errors = Self.errors(list)
        let message = errors.first?["message"] as? String ?? ""
        #expect(list.status == 2 && errors.first?["code"] as? String == "invalid_argument", "\(list)\n\(daemon.log)")
        let why = transport == "http" ? "auth=certificate needs transport=https"
            : withCertificate ? "certificate authentication has no session key" : "needs both client_cert"
        #expect(message.contains(why), "\(message)")
        // Nothing reached the listener.
        #expect(!simulator.log.contains("served") && !simulator.log.contains("certificate"), "\(simulator.log.suffix(1500))")
    }
}
