/// A parsed WQL statement.
public enum WQLQuery: Sendable, Equatable {
    /// `SELECT <properties | *> FROM <class> [WHERE <condition>]`.
    case select(properties: [String]?, className: String, condition: WQLCondition?)
    /// `ASSOCIATORS OF {<object path>} [WHERE AssocClass = A ResultClass = R Role = … ResultRole = …]`.
    case associators(WQLObjectPath, assocClass: String?, resultClass: String?)
}
