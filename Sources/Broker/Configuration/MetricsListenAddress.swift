/// Where `/metrics` listens: `[daemon] metrics = "127.0.0.1:9177"`. Loopback only —
/// 127.0.0.0/8, `[::1]` or `localhost` — since the endpoint has no authentication; port 0
/// picks a free port (the daemon logs the one it bound).
public struct MetricsListenAddress: Sendable, Equatable, CustomStringConvertible {
    /// The IP literal to bind.
    public var host: String
    /// The TCP port (0: any free one).
    public var port: Int

    /// Why an address was refused.
    public struct Invalid: Error, Equatable, CustomStringConvertible {
        /// What was wrong, naming the value.
        public var description: String
    }

    /// Parses `HOST:PORT` (`[::1]:PORT` for IPv6), refusing anything but a loopback address.
    public init(parsing text: String) throws(Invalid) {
        let host: Substring, port: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else {
                throw Invalid(description: "metrics address '\(text)' must be HOST:PORT, e.g. 127.0.0.1:9177 or [::1]:9177")
            }
            host = text[text.index(after: text.startIndex)..<close]
            port = text[text.index(close, offsetBy: 2)...]
        } else {
            guard let colon = text.lastIndex(of: ":"), !text[..<colon].contains(":") else {
                throw Invalid(description: "metrics address '\(text)' must be HOST:PORT, e.g. 127.0.0.1:9177 or [::1]:9177")
            }
            host = text[..<colon]
            port = text[text.index(after: colon)...]
        }
        guard let number = Int(port), (0...65535).contains(number), !port.hasPrefix("+") else {
            throw Invalid(description: "metrics address '\(text)': bad port '\(port)' (0…65535)")
        }
        guard let loopback = Self.loopback(String(host)) else {
            throw Invalid(description: "metrics address '\(text)' is not a loopback address: /metrics has no authentication, so it listens only on 127.0.0.0/8 or [::1] (put a reverse proxy in front to expose it)")
        }
        self.host = loopback
        self.port = number
    }

    /// The IP literal to bind when `host` is a loopback address, else nil.
    static func loopback(_ host: String) -> String? {
        if host == "localhost" { return "127.0.0.1" }
        if host == "::1" { return host }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4, parts.allSatisfy({ part in
            !part.isEmpty && part.count <= 3 && part.allSatisfy(\.isASCII) && part.allSatisfy(\.isNumber) && Int(part)! <= 255
        }), parts[0] == "127" else { return nil }
        return host
    }

    /// `HOST:PORT`, IPv6 in brackets.
    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
