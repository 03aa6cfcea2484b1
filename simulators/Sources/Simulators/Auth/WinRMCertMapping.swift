import X509

/// One entry of a WinRM listener's certificate mapping table (MS-WSMV 2.2.4.3 `CertMappingType`,
/// `winrm create winrm/config/service/certmapping?Issuer=THUMBPRINT+Subject=SUBJECT+URI=*`):
/// client certificates issued by `issuer` whose user principal name matches `subject` act as
/// the local account `userName`. The simulator's mappings apply to every resource URI (`URI=*`).
public struct WinRMCertMapping: Sendable, Equatable {
    /// The CA certificate that must have signed the client certificate (Windows names it by thumbprint).
    public var issuer: Certificate
    /// The pattern the certificate's UPN must match: at most one `*`, first or last (`*` alone
    /// matches every UPN), compared case-insensitively.
    public var subject: String
    /// The local account the certificate authenticates as.
    public var userName: String

    /// A mapping; nil when `subject` is not a valid pattern (empty, or a `*` in the middle or twice).
    public init?(issuer: Certificate, subject: String, userName: String) {
        let stars = subject.filter { $0 == "*" }.count
        guard !subject.isEmpty, !userName.isEmpty, stars <= 1,
              stars == 0 || subject.hasPrefix("*") || subject.hasSuffix("*") else { return nil }
        self.issuer = issuer
        self.subject = subject
        self.userName = userName
    }

    /// Whether a certificate with this UPN, issued by `issuer`, is mapped by this entry.
    public func matches(upn: String, issuedBy certificate: Certificate) -> Bool {
        guard certificate == issuer else { return false }
        let pattern = subject.lowercased(), name = upn.lowercased()
        if pattern == "*" { return true }
        if pattern.hasPrefix("*") { return name.hasSuffix(pattern.dropFirst()) }
        if pattern.hasSuffix("*") { return name.hasPrefix(pattern.dropLast()) }
        return name == pattern
    }
}
