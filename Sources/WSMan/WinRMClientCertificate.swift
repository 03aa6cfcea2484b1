/// A TLS client certificate for WinRM's certificate authentication (DMTF DSP0226
/// `wsman:secprofile/https/mutual`, as Windows and pywinrm's `transport='certificate'` do it):
/// over https only, the client presents the certificate in the TLS handshake and every request
/// carries `Authorization: http://schemas.dmtf.org/wbem/wsman/1/wsman/secprofile/https/mutual`;
/// no NTLM or Negotiate round follows and no message is sealed (TLS protects them). A Windows
/// listener maps the certificate to a local account through `Service/Auth/Certificate = true`
/// and a `certmapping` naming the certificate's issuer; the certificate needs the account's
/// user principal name in its subjectAltName and the Client Authentication EKU.
///
/// Only the paths are kept: libcurl reads the files, and neither the key nor the certificate
/// ever reaches a log or an error.
public struct WinRMClientCertificate: Sendable, Equatable {
    /// The `Authorization` header value that selects certificate authentication.
    public static let mutualProfile = "http://schemas.dmtf.org/wbem/wsman/1/wsman/secprofile/https/mutual"

    /// The PEM certificate (the leaf, optionally followed by its intermediates).
    public var certificateFile: String
    /// The certificate's PEM private key, unencrypted (keep it mode 0600).
    public var keyFile: String

    /// A certificate and its key, by path.
    public init(certificateFile: String, keyFile: String) {
        self.certificateFile = certificateFile
        self.keyFile = keyFile
    }
}
