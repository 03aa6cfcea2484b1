import ArgumentParser
import Logging
import NIOSSL
import Simulators

/// The options every simulator shares: where it listens, who may call, TLS, injected faults and
/// logging (`@OptionGroup` of `hyperv` and `scvmm`).
struct SimulatorServerOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Address to listen on, loopback only (port 0 = ephemeral).", valueName: "host:port"))
    var listen: ListenAddress = ListenAddress(host: "127.0.0.1", port: 5985)

    @Option(help: "User that HTTP Basic or NTLM must present (requires --password).")
    var user: String?

    @Option(help: "Password that HTTP Basic or NTLM must present.")
    var password: String?

    @Option(help: ArgumentHelp("Keytab with HTTP/<host> for Kerberos (as a domain-joined listener has); SPNEGO with NTLM needs none.", valueName: "file"))
    var keytab: String?

    @Option(name: .customLong("tls-cert"), help: "PEM certificate (chain): serve https instead of http (with --tls-key).")
    var tlsCert: String?

    @Option(name: .customLong("tls-key"), help: "PEM private key for --tls-cert.")
    var tlsKey: String?

    @Flag(name: .customLong("allow-basic"), help: "Leniency: accept HTTP Basic (a Windows listener's Service/Auth/Basic, false by default).")
    var allowBasic = false

    @Flag(name: .customLong("allow-unencrypted"),
          help: "Leniency: accept SOAP in the clear over http (Service/AllowUnencrypted, false by default; https is always accepted).")
    var allowUnencrypted = false

    @Flag(name: .customLong("allow-certificate"),
          help: "Accept certificate authentication over https (Service/Auth/Certificate, false by default); needs --client-ca and --cert-mapping.")
    var allowCertificate = false

    @Option(name: .customLong("client-ca"),
            help: ArgumentHelp("PEM CA certificate that issues client certificates: the Issuer of every --cert-mapping (Windows names it by thumbprint).",
                               valueName: "file"))
    var clientCA: String?

    @Option(name: .customLong("cert-mapping"),
            help: ArgumentHelp("A certmapping entry (winrm/config/service/certmapping, URI=*): certificates from --client-ca whose UPN matches SUBJECT (a UPN, or with one leading or trailing *) act as the local USER. Repeatable.",
                               valueName: "SUBJECT=USER"))
    var certMappings: [String] = []

    @Option(name: .customLong("cbt-hardening-level"),
            help: ArgumentHelp("Channel binding over https (Service/Auth/CbtHardeningLevel): None, Relaxed (Windows' default: checked when the client sends it) or Strict (required).",
                               valueName: "level"))
    var cbtHardeningLevel: String = CbtHardeningLevel.relaxed.rawValue

    @Option(name: .customLong("max-envelope-kb"),
            help: "MaxEnvelopeSizekb: the largest reply in KiB (Windows' default 500; a larger request's w:MaxEnvelopeSize is lowered to it, enumerations are cut over more Pulls).")
    var maxEnvelopeKB: Int = 500

    @Option(name: .customLong("max-operations-per-user"),
            help: "Service/MaxConcurrentOperationsPerUser: open enumerations allowed (Windows' default 1500); one more Enumerate gets the quota fault.")
    var maxOperationsPerUser: Int = 1500

    @Option(name: .customLong("latency-ms"), help: "Latency added to every reply, in milliseconds.")
    var latencyMilliseconds: Int = 0

    @Option(name: .customLong("fail-fraction"), help: "Fraction of requests answered with HTTP 500 (w:InternalError).")
    var failFraction: Double = 0

    @Option(name: .customLong("malformed-fraction"), help: "Fraction of replies with malformed XML.")
    var malformedFraction: Double = 0

    @Option(name: .customLong("truncate-fraction"), help: "Fraction of replies cut off mid-body.")
    var truncateFraction: Double = 0

    @Flag(help: "Never answer any request (connections stay open).")
    var hang = false

    @Option(name: .customLong("hang-fraction"), help: "Fraction of requests never answered.")
    var hangFraction: Double = 0

    @Option(name: .customLong("reset-fraction"), help: "Fraction of requests carried out and then answered with a TCP reset.")
    var resetFraction: Double = 0

    @Option(name: .customLong("faults-only-on"), help: "Inject faults only into requests whose SOAP text contains this (e.g. RequestStateChange).")
    var faultsOnlyOn: String?

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: String = "notice"

    func validate() throws {
        guard (user == nil) == (password == nil) else { throw ValidationError("--user and --password go together") }
        guard (tlsCert == nil) == (tlsKey == nil) else { throw ValidationError("--tls-cert and --tls-key go together") }
        guard maxEnvelopeKB >= 32 else { throw ValidationError("--max-envelope-kb is at least 32 (Windows' minimum)") }
        guard maxOperationsPerUser >= 1 else { throw ValidationError("--max-operations-per-user is at least 1") }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("unknown --log-level \(logLevel)") }
        if allowCertificate {
            guard tlsCert != nil else { throw ValidationError("--allow-certificate needs https (--tls-cert and --tls-key): Windows takes certificates only there") }
            guard clientCA != nil, !certMappings.isEmpty else { throw ValidationError("--allow-certificate needs --client-ca and at least one --cert-mapping") }
        }
        for mapping in certMappings where Self.mappingParts(mapping) == nil {
            throw ValidationError("--cert-mapping '\(mapping)' is not SUBJECT=USER (SUBJECT a UPN with at most one *, first or last)")
        }
        if !certMappings.isEmpty && clientCA == nil { throw ValidationError("--cert-mapping needs --client-ca (the mapping's Issuer)") }
        guard CbtHardeningLevel(setting: cbtHardeningLevel) != nil else {
            throw ValidationError("unknown --cbt-hardening-level \(cbtHardeningLevel) (None, Relaxed or Strict)")
        }
        do { try faults.validate() } catch { throw ValidationError(error.message) }
    }

    var faults: SimulatorFaults {
        SimulatorFaults(latencyMilliseconds: latencyMilliseconds, resetFraction: resetFraction, hangFraction: hang ? 1 : hangFraction,
                        failFraction: failFraction, malformedFraction: malformedFraction, truncateFraction: truncateFraction,
                        onlyMatching: faultsOnlyOn)
    }

    /// Sends log lines at `--log-level` and above to stderr.
    func bootstrapLogging() {
        let level = Logger.Level(rawValue: logLevel) ?? .notice
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }

    /// Credentials, TLS and faults as the HTTP side wants them.
    func serverConfiguration() throws -> WSManServerConfiguration {
        let credentials = user.flatMap { user in password.map { BasicCredentials(user: user, password: $0) } }
        if let user, let password { GSSAcceptorSetup.configure(user: user, password: password, keytab: keytab) }
        var tls: NIOSSLContext?
        var channelBinding: [UInt8]?
        var authenticator: ClientCertificateAuthenticator?
        if let clientCA {
            let issuer = try ClientCertificateAuthenticator.certificate(pemFile: clientCA)
            authenticator = ClientCertificateAuthenticator(mappings: certMappings.compactMap(Self.mappingParts).compactMap {
                WinRMCertMapping(issuer: issuer, subject: $0.subject, userName: $0.user)
            })
        }
        if let tlsCert, let tlsKey {
            let chain = try NIOSSLCertificate.fromPEMFile(tlsCert).map { NIOSSLCertificateSource.certificate($0) }
            let key = try NIOSSLPrivateKey(file: tlsKey, format: .pem)
            var configuration = TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(key))
            if allowCertificate, let clientCA {
                // Ask for a client certificate, but let the handshake finish without one (or with
                // one that does not verify): the request's 401 says why, as Windows does.
                configuration.certificateVerification = .optionalVerification
                configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(clientCA))
                configuration.sendCANameList = true
            }
            tls = try NIOSSLContext(configuration: configuration)
            channelBinding = try TLSServerEndPoint.applicationData(pemFile: tlsCert)
        }
        let level = CbtHardeningLevel(setting: cbtHardeningLevel) ?? .relaxed
        return WSManServerConfiguration(credentials: credentials, faults: faults, tls: tls, channelBinding: channelBinding,
                                        listener: WinRMListenerPolicy(allowBasic: allowBasic, allowUnencrypted: allowUnencrypted,
                                                                      allowCertificate: allowCertificate, cbtHardeningLevel: level,
                                                                      maxEnvelopeSizeKB: maxEnvelopeKB,
                                                                      maxConcurrentOperationsPerUser: maxOperationsPerUser),
                                        certificateAuthenticator: authenticator)
    }

    /// `SUBJECT=USER` split at the last `=`, the subject a valid certmapping pattern.
    static func mappingParts(_ text: String) -> (subject: String, user: String)? {
        guard let equals = text.lastIndex(of: "=") else { return nil }
        let subject = String(text[..<equals]), user = String(text[text.index(after: equals)...])
        let stars = subject.filter { $0 == "*" }.count
        guard !subject.isEmpty, !user.isEmpty, stars <= 1, stars == 0 || subject.hasPrefix("*") || subject.hasSuffix("*") else { return nil }
        return (subject, user)
    }
}
