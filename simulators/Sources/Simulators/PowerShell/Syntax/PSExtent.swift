/// Where a piece of syntax sits in the script: character offsets `start..<end`.
public struct PSExtent: Sendable, Equatable {
    /// First character.
    public var start: Int
    /// One past the last character.
    public var end: Int
}
