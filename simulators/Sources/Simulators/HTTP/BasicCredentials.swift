import Foundation

/// The local account clients must present, and the HTTP authentication schemes that may carry it:
/// HTTP Basic (WinRM's `AllowUnencrypted` + Basic setup) and NTLMv2 (in `Authorization: NTLM` or
/// raw NTLMSSP in `Authorization: Negotiate`), both on by default.
public struct BasicCredentials: Sendable, Equatable {
    /// HTTP authentication schemes.
    public struct Schemes: OptionSet, Sendable, Hashable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }
        /// `Authorization: Basic`.
        public static let basic = Schemes(rawValue: 1)
        /// NTLMv2, connection-oriented (`Authorization: NTLM` / `Negotiate` carrying NTLMSSP).
        public static let ntlm = Schemes(rawValue: 2)
        /// Both.
        public static let all: Schemes = [.basic, .ntlm]
    }

    /// The user name. Basic compares it exactly (a `DOMAIN\` prefix is part of it); NTLM compares
    /// the part after any `DOMAIN\` case-insensitively with the name in the AUTHENTICATE_MESSAGE.
    public var user: String
    /// The password.
    public var password: String
    /// Which schemes are accepted.
    public var schemes: Schemes

    /// Creates credentials.
    public init(user: String, password: String, schemes: Schemes = .all) {
        self.user = user
        self.password = password
        self.schemes = schemes
    }

    /// Whether `name` (the UserName of an NTLM AUTHENTICATE_MESSAGE; a UPN `user@domain` too)
    /// names the configured user, case-insensitively.
    public func matchesNTLMUser(_ name: String) -> Bool {
        let configured = (user.split(separator: "\\", maxSplits: 1).last.map(String.init) ?? user).lowercased()
        let given = name.lowercased()
        if given == configured { return true }
        if let at = given.lastIndex(of: "@"), String(given[..<at]) == configured { return true }
        return false
    }

    /// Whether an `Authorization` header value carries these credentials.
    public func accepts(authorization header: String?) -> Bool {
        guard let header else { return false }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard schemes.contains(.basic), parts.count == 2, parts[0].lowercased() == "basic",
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
