import BrokerCore

extension BackendSetting {
    /// A Kerberos client keytab for the backend's user: a service account authenticates with
    /// its keys, and no password is on disk.
    public static let clientKeytab = BackendSetting("client_keytab", .readableFile, help: "Kerberos client keytab")
}
