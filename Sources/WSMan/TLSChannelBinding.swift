import Crypto
import Curl
import Foundation

/// RFC 5929 `tls-server-end-point` channel binding, as Windows checks it under
/// `Service/Auth/CbtHardeningLevel`: the GSS-API channel bindings' application data is
/// `tls-server-end-point:` followed by the hash of the server's leaf certificate (DER). The
/// hash is the one of the certificate's signature algorithm — SHA-384 or SHA-512 when it uses
/// one of them — and SHA-256 otherwise, MD5 and SHA-1 included (RFC 5929 §4.1).
public enum TLSChannelBinding {
    /// The prefix of the application data.
    public static let prefix = "tls-server-end-point:"

    /// The hash RFC 5929 §4.1 takes for a certificate signed with `signatureAlgorithm`.
    public enum Hash: String, Sendable, Equatable {
        case sha256, sha384, sha512

        /// From an OpenSSL-style algorithm name (`sha384WithRSAEncryption`, `ecdsa-with-SHA512`):
        /// SHA-384 or SHA-512 when named, SHA-256 for everything else (MD5 and SHA-1 are
        /// upgraded; SHA-224, RSASSA-PSS and EdDSA certificates, which name no hash here or one
        /// this does not carry, are bound with SHA-256).
        public init(signatureAlgorithm: String) {
            let name = signatureAlgorithm.lowercased().replacingOccurrences(of: "-", with: "")
            if name.contains("sha384") {
                self = .sha384
            } else if name.contains("sha512") {
                self = .sha512
            } else {
                self = .sha256
            }
        }

        func digest(_ data: [UInt8]) -> [UInt8] {
            switch self {
            case .sha256: Array(SHA256.hash(data: data))
            case .sha384: Array(SHA384.hash(data: data))
            case .sha512: Array(SHA512.hash(data: data))
            }
        }
    }

    /// The application data for a certificate given as DER.
    public static func applicationData(certificateDER der: [UInt8], signatureAlgorithm: String) -> [UInt8] {
        Array(prefix.utf8) + Hash(signatureAlgorithm: signatureAlgorithm).digest(der)
    }

    /// The application data for the certificate libcurl saw; nil when its PEM does not decode.
    public static func applicationData(for certificate: CurlPeerCertificate) -> [UInt8]? {
        guard let der = der(fromPEM: certificate.pem) else { return nil }
        return applicationData(certificateDER: der, signatureAlgorithm: certificate.signatureAlgorithm)
    }

    /// The DER bytes of the first certificate in a PEM text.
    public static func der(fromPEM pem: String) -> [UInt8]? {
        let lines = pem.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
        guard let begin = lines.firstIndex(of: "-----BEGIN CERTIFICATE-----"),
              let end = lines[begin...].firstIndex(of: "-----END CERTIFICATE-----") else { return nil }
        let body = lines[(begin + 1)..<end].joined()
        guard let data = Data(base64Encoded: body), !data.isEmpty else { return nil }
        return Array(data)
    }
}
