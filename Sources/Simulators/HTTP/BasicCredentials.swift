import Foundation

/// The user and password HTTP Basic must present (WinRM's `AllowUnencrypted` + Basic setup).
public struct BasicCredentials: Sendable, Equatable {
    /// The user name (compared exactly; a `DOMAIN\` prefix is part of it).
    public var user: String
    /// The password.
    public var password: String

    /// Creates credentials.
    public init(user: String, password: String) {
        self.user = user
        self.password = password
    }

    /// Whether an `Authorization` header value carries these credentials.
    public func accepts(authorization header: String?) -> Bool {
        guard let header else { return false }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "basic",
              let data = Data(base64Encoded: String(parts[1]).trimmingSpaces),
              let decoded = String(data: data, encoding: .utf8),
              let colon = decoded.firstIndex(of: ":") else { return false }
        let user = String(decoded[..<colon]), password = String(decoded[decoded.index(after: colon)...])
        let userMatches = constantTimeEqual(user, self.user)
        let passwordMatches = constantTimeEqual(password, self.password)
        return userMatches && passwordMatches
    }

    private func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        var difference = UInt8(x.count == y.count ? 0 : 1)
        for index in 0..<max(x.count, y.count) {
            difference |= (index < x.count ? x[index] : 0) ^ (index < y.count ? y[index] : 0)
        }
        return difference == 0
    }
}
