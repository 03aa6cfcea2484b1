import ArgumentParser
import Logging
import NIOSSL

/// What the simulator subcommands set up the same way: logging to stderr and optional TLS.
enum SimulatorSetup {
    /// Sends log lines at `level` and above to stderr.
    static func bootstrapLogging(_ level: Logger.Level) {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }

    /// A TLS server context from `--tls-cert`/`--tls-key` (PEM), nil when neither is given.
    static func tls(certificate: String?, key: String?) throws -> NIOSSLContext? {
        guard certificate != nil || key != nil else { return nil }
        guard let certificate, let key else { throw ValidationError("--tls-cert and --tls-key go together") }
        let chain = try NIOSSLCertificate.fromPEMFile(certificate).map { NIOSSLCertificateSource.certificate($0) }
        let privateKey = try NIOSSLPrivateKey(file: key, format: .pem)
        return try NIOSSLContext(configuration: .makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(privateKey)))
    }
}
