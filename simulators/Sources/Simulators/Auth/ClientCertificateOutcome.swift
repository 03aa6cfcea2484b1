/// What the listener made of the certificate a client presented in the TLS handshake, kept for
/// the connection's requests (certificate authentication is decided when a request names the
/// `https/mutual` profile).
public enum ClientCertificateOutcome: Sendable, Equatable {
    /// Mapped: the local account and the certificate's UPN.
    case accepted(user: String, upn: String)
    /// Not acceptable, and why (for the 401's fault and the log; never key material).
    case refused(String)
}
