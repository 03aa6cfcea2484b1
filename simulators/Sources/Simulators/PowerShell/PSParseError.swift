/// A script that does not parse, reported as PowerShell's parser does: a message, an error id
/// (`MissingEndCurlyBrace` …) and the offset it points at.
public struct PSParseError: Error, Sendable, Equatable {
    /// The message (PowerShell's wording where the form is one PowerShell knows).
    public var message: String
    /// The FullyQualifiedErrorId.
    public var errorID: String
    /// The character offset the error points at.
    public var offset: Int

    /// Creates an error.
    public init(_ message: String, id: String, at offset: Int) {
        self.message = message
        self.errorID = id
        self.offset = offset
    }
}
