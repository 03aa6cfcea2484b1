/// Everything wrong with a configuration file, each problem located.
public struct InvalidConfiguration: Error, Sendable, CustomStringConvertible {
    /// The problems, in file order.
    public var problems: [ConfigurationError]

    /// Creates the error.
    public init(_ problems: [ConfigurationError]) {
        self.problems = problems
    }

    public var description: String { problems.map(\.description).joined(separator: "\n") }
}
