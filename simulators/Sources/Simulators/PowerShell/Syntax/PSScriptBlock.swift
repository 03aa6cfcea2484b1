/// `{ statements }`: its text (its string form) and its parsed body.
public struct PSScriptBlock: Sendable, Equatable {
    /// The source text between the braces.
    public var text: String
    /// The statements.
    public var body: [PSStatement]

    public static func == (lhs: PSScriptBlock, rhs: PSScriptBlock) -> Bool { lhs.text == rhs.text }
}
