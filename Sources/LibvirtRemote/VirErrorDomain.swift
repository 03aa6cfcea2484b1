/// The `virErrorDomain` values this server sends.
public enum VirErrorDomain: Int32, Sendable {
    case none = 0
    case dom = 6
    case rpc = 7
    case remote = 13
    case domainSnapshot = 35
}
