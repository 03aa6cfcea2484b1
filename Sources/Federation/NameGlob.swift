#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A shell glob (`web-*`) as `list --name` takes it, matched with the C library's `fnmatch`.
struct NameGlob: Sendable {
    let pattern: String

    /// Whether `name` matches.
    func matches(_ name: String) -> Bool {
        fnmatch(pattern, name, 0) == 0
    }
}
