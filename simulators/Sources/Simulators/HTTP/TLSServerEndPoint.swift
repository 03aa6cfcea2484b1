import Crypto
import Foundation
import SwiftASN1
import X509

/// The listener's side of RFC 5929 `tls-server-end-point` channel binding: the application
/// data a client must bind its authentication to — `tls-server-end-point:` and the hash of the
/// certificate this listener presents (DER), SHA-384/512 when its signature uses them and
/// SHA-256 otherwise (RFC 5929 §4.1) — and the MD5 of the whole `gss_channel_bindings_struct`
/// that NTLMv2 carries in its `MsvAvChannelBindings` AV pair (MS-NLMP 2.2.2.1).
public enum TLSServerEndPoint {
    /// The application data for the certificate with this DER encoding.
    public static func applicationData(certificateDER der: [UInt8]) throws -> [UInt8] {
        let certificate = try Certificate(derEncoded: der)
        let digest: [UInt8] = switch certificate.signatureAlgorithm {
        case .sha384WithRSAEncryption, .ecdsaWithSHA384: Array(SHA384.hash(data: der))
        case .sha512WithRSAEncryption, .ecdsaWithSHA512: Array(SHA512.hash(data: der))
        default: Array(SHA256.hash(data: der))
        }
        return Array("tls-server-end-point:".utf8) + digest
    }

    /// The application data for the first (leaf) certificate of a PEM file.
    public static func applicationData(pemFile path: String) throws -> [UInt8] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        guard let leaf = try PEMDocument.parseMultiple(pemString: text).first(where: { $0.discriminator == "CERTIFICATE" }) else {
            throw SimulatorError("no certificate in \(path)")
        }
        return try applicationData(certificateDER: leaf.derBytes)
    }

    /// MD5 of the channel bindings as a `gss_channel_bindings_struct` is hashed (no addresses,
    /// lengths little-endian), the value NTLMv2's `MsvAvChannelBindings` carries.
    public static func ntlmHash(applicationData: [UInt8]) -> [UInt8] {
        var flattened = [UInt8](repeating: 0, count: 16)  // initiator and acceptor: type 0, no address
        flattened.appendLE32(UInt32(applicationData.count))
        flattened += applicationData
        return Array(Insecure.MD5.hash(data: flattened))
    }
}
