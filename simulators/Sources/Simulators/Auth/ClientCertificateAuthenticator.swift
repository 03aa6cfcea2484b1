import Foundation
import SwiftASN1
import X509

/// Certificate authentication as a WinRM listener with `Service/Auth/Certificate = true` does
/// it: the client's certificate must chain to the issuer a certmapping names (the CA that signed
/// it directly), carry the Client Authentication EKU (1.3.6.1.5.5.7.3.2) and a user principal
/// name in its subjectAltName (otherName 1.3.6.1.4.1.311.20.2.3), and that UPN must match the
/// mapping's subject. Chains are checked by swift-certificates' RFC 5280 verifier.
public struct ClientCertificateAuthenticator: Sendable {
    /// `szOID_NT_PRINCIPAL_NAME`, the UPN otherName.
    public static let upnOID: ASN1ObjectIdentifier = [1, 3, 6, 1, 4, 1, 311, 20, 2, 3]

    /// The certmapping table.
    public let mappings: [WinRMCertMapping]

    /// An authenticator over `mappings` (at least one, as a listener with none maps nobody).
    public init(mappings: [WinRMCertMapping]) {
        self.mappings = mappings
    }

    /// The distinct issuers of the mappings: the listener's trust roots for client certificates.
    public var issuers: [Certificate] {
        mappings.reduce(into: []) { found, mapping in if !found.contains(mapping.issuer) { found.append(mapping.issuer) } }
    }

    /// Judges a presented chain (DER, leaf first, as the TLS handshake carried it).
    public func check(chain der: [[UInt8]], now: Date = Date()) async -> ClientCertificateOutcome {
        guard let first = der.first, let leaf = try? Certificate(derEncoded: first) else {
            return .refused("The client certificate cannot be parsed.")
        }
        let intermediates = CertificateStore(der.dropFirst().compactMap { try? Certificate(derEncoded: $0) })
        var verifier = Verifier(rootCertificates: CertificateStore(issuers)) { RFC5280Policy(validationTime: now) }
        let issuer: Certificate
        switch await verifier.validate(leaf: leaf, intermediates: intermediates) {
        case .validCertificate(let validated) where validated.count >= 2:
            issuer = validated[validated.index(after: validated.startIndex)]
        case .validCertificate:
            return .refused("The client certificate is self-signed; a certmapping names the CA that issued it.")
        case .couldNotValidate:
            return .refused("The client certificate does not chain to an issuer that a certmapping names (or it has expired).")
        }
        guard let usages = try? leaf.extensions.extendedKeyUsage, usages.contains(.clientAuth) else {
            return .refused("The client certificate lacks the Client Authentication enhanced key usage (1.3.6.1.5.5.7.3.2).")
        }
        guard let upn = Self.userPrincipalName(of: leaf) else {
            return .refused("The client certificate has no user principal name in its subject alternative name (otherName 1.3.6.1.4.1.311.20.2.3).")
        }
        guard let mapping = mappings.first(where: { $0.matches(upn: upn, issuedBy: issuer) }) else {
            return .refused("No certmapping matches the client certificate's subject \(upn) and issuer.")
        }
        return .accepted(user: mapping.userName, upn: upn)
    }

    /// The first UPN otherName of the certificate's subjectAltName, as a UTF8String.
    public static func userPrincipalName(of certificate: Certificate) -> String? {
        guard let names = try? certificate.extensions.subjectAlternativeNames else { return nil }
        for name in names {
            guard case .otherName(let other) = name, other.typeID == upnOID, let value = other.value,
                  let text = try? ASN1UTF8String(asn1Any: value) else { continue }
            return String(text)
        }
        return nil
    }

    /// The first certificate of a PEM file (a CA that certmappings name).
    public static func certificate(pemFile path: String) throws -> Certificate {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        guard let first = try PEMDocument.parseMultiple(pemString: text).first(where: { $0.discriminator == "CERTIFICATE" }) else {
            throw SimulatorError("no certificate in \(path)")
        }
        return try Certificate(derEncoded: first.derBytes)
    }
}
