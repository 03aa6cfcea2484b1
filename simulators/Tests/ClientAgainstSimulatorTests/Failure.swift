import Testing
import WSMan

// The helper CurlTransportTests used from the product's Tests/WSManTests/Fixtures.swift.

/// The error an async call threw, or an issue recorded if it did not throw.
func failure<T>(_ call: () async throws(WSManError) -> T, sourceLocation: SourceLocation = #_sourceLocation) async -> WSManError? {
    do {
        _ = try await call()
        Issue.record("expected a WSManError", sourceLocation: sourceLocation)
        return nil
    } catch {
        return error
    }
}
