import BrokerCore

extension BackendSetting {
    /// A Kerberos client keytab for the backend's user: a service account authenticates with
    /// its keys, and no password is on disk.
    public static let clientKeytab = BackendSetting("client_keytab", .readableFile, help: "Kerberos client keytab")

    /// A PEM client certificate for `auth=certificate` (https only): the leaf, optionally
    /// followed by its intermediates, with the user's UPN in its subjectAltName and the Client
    /// Authentication EKU, as a Windows listener's certmapping requires.
    public static let clientCert = BackendSetting("client_cert", .readableFile, help: "PEM client certificate for auth=certificate")

    /// The unencrypted PEM private key of `client_cert` (the path only is kept; keep the file
    /// mode 0600).
    public static let clientKey = BackendSetting("client_key", .readableFile, help: "PEM private key of client_cert")
}
