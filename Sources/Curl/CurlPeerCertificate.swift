/// The TLS certificate the server presented on a connection (its leaf), as libcurl reports it
/// with `CURLOPT_CERTINFO`: for channel binding (RFC 5929 `tls-server-end-point`), which hashes
/// the DER of exactly this certificate.
public struct CurlPeerCertificate: Sendable, Equatable {
    /// The certificate in PEM (`-----BEGIN CERTIFICATE-----` …).
    public var pem: String
    /// The signature algorithm as OpenSSL names it (`sha256WithRSAEncryption`, `ecdsa-with-SHA384` …).
    public var signatureAlgorithm: String

    /// Creates a certificate record.
    public init(pem: String, signatureAlgorithm: String) {
        self.pem = pem
        self.signatureAlgorithm = signatureAlgorithm
    }

    /// From libcurl's `Name:value` lines for one certificate; nil without a `Cert:` line.
    init?(fields: [String]) {
        var pem: String?, algorithm = ""
        for field in fields {
            guard let colon = field.firstIndex(of: ":") else { continue }
            let name = field[..<colon], value = String(field[field.index(after: colon)...])
            switch name {
            case "Cert": pem = value
            case "Signature Algorithm": algorithm = value.trimmed
            default: continue
            }
        }
        guard let pem else { return nil }
        self.init(pem: pem, signatureAlgorithm: algorithm)
    }
}
