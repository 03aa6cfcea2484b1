/// A libvirt connection URI, such as `qemu+ssh://root@kvm1.example.com/system`,
/// `test:///default`, `esx://u@h/?no_verify=1` or `hyperv://host:5986/?transport=https`.
///
/// Parsing reproduces libvirt 9.0.0's `virURIParse` (libxml2 2.9 `xmlParseURI` followed by
/// libvirt's `virURIParseParams`), checked against the real library:
///
/// - The grammar is RFC 3986 as libxml2 implements it:
///   `scheme ":" ["//" [userinfo "@"] host [":" port]] path ["?" query] ["#" fragment]`.
///   The `//` is optional (`qemu:/system` and `qemu:///system` parse to the same value).
/// - `user`, `host`, `path` and `fragment` are percent-decoded; `query` is kept raw.
///   `+` is never turned into a space anywhere.
/// - `[::1]` style hosts are reported without their brackets.
/// - `port` is 0 when absent, when explicitly `:0`, and whenever there is no host
///   (`qemu://:16509/` has port 0). Any decimal port up to 2147483647 is accepted, as libvirt
///   does (libvirt does not check the 0...65535 range); larger values are rejected.
/// - Query parameters are split like `virURIParseParams`: at each step the next `&` ends the
///   segment; only when no `&` remains is `;` used as a separator. So `a=1;b=2` gives two
///   parameters, but `a=1;b=2&c=3` gives `a` = `1;b=2` and `c` = `3`. Empty segments are
///   skipped, `=value` (empty name) is skipped, `name` alone means value `""`, and names and
///   values are percent-decoded after splitting.
///
/// Deliberate differences from libvirt (all of them reject or clean up inputs libvirt
/// mishandles):
///
/// - A scheme is required. libvirt accepts relative references such as `""`, `foo` or
///   `//host/path` (with a NULL scheme); this type rejects them.
/// - A password is never kept. libvirt reports `user:password@` as user `user:password`;
///   here `user` is only the part before the first `:` of the raw userinfo, and the password
///   is dropped from every property and every formatted form. Secrets come from the
///   configuration, never from the URI.
/// - An empty userinfo (`qemu://@host/`) gives `user == nil`. (libxml2 2.9 has a length-0 bug
///   that makes libvirt report the whole rest of the URI, `@host/`, as the user.)
/// - A query segment that is exactly `=` is skipped like any other empty-name segment.
///   (libvirt hits the same length-0 bug and reports the whole rest of the query as a name.)
/// - Percent-escapes that decode to a NUL byte or to invalid UTF-8 are rejected (libvirt
///   silently truncates at the NUL, or passes the raw bytes on).
///
/// Equality and hashing compare the decoded parts (`scheme`, `user`, `host`, `port`, `path`,
/// `params`, `fragment`) and ignore how the raw `query` was spelled, so that
/// `BackendURI(parsing: u.canonical) == u` always holds even though ``canonical`` rebuilds
/// the query from ``params``.
///
/// The `Codable` form is a single string, the ``canonical`` form; decoding parses it.
public struct BackendURI: Sendable, Hashable, Codable, CustomStringConvertible {
    /// One query parameter, decoded. Parameters keep their order and repeated names are kept.
    public struct Param: Sendable, Hashable, Codable {
        /// The parameter name, percent-decoded, as written (case preserved).
        public var name: String
        /// The parameter value, percent-decoded; `""` when the segment had no `=` or nothing
        /// after it.
        public var value: String

        /// Creates a parameter.
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// The whole scheme exactly as written, e.g. `qemu+ssh` or `QEMU`.
    public let scheme: String
    /// The user name, percent-decoded, without any `:password` part; nil when the URI has no
    /// userinfo or an empty user name.
    public let user: String?
    /// The host, percent-decoded, without the brackets of an IPv6 literal; nil when absent.
    public let host: String?
    /// The port; 0 when absent, when written as `:0`, or when there is no host (as libvirt).
    public let port: Int
    /// The path, percent-decoded (e.g. `/system`, `/default`); nil when empty.
    public let path: String?
    /// The raw query string as written, without the `?`, not decoded; `""` for a bare `?`;
    /// nil when the URI has no `?`.
    public let query: String?
    /// The fragment, percent-decoded, without the `#`; nil when the URI has no `#`.
    public let fragment: String?
    /// The query parameters in order, decoded; repeated names are kept.
    public let params: [Param]

    /// The driver: the part of ``scheme`` before the first `+`, ASCII-lowercased
    /// (`Qemu+SSH` gives `qemu`), since libvirt matches driver names case-insensitively.
    public var driver: String {
        let head = scheme.split(separator: "+", maxSplits: 1, omittingEmptySubsequences: false)[0]
        return String(head).lowercased()
    }

    /// The transport: the part of ``scheme`` after the first `+`, as written (`ssh` for
    /// `qemu+ssh`, `ssh+x` for `qemu+ssh+x`, `""` for `qemu+`); nil when there is no `+`.
    public var transport: String? {
        guard let plus = scheme.firstIndex(of: "+") else { return nil }
        return String(scheme[scheme.index(after: plus)...])
    }

    /// Parses a libvirt connection URI.
    ///
    /// - Throws: `BackendError(.invalidArgument, ...)` naming the URI (with any password
    ///   masked) when the string is not a URI libvirt would parse, or has no scheme.
    public init(parsing string: String) throws(BackendError) {
        var parser = Parser(Array(string.utf8))
        let raw: Parser.Raw
        do {
            raw = try parser.parse()
        } catch {
            throw BackendError(
                .invalidArgument,
                "invalid libvirt URI '\(BackendURI.maskingPassword(in: string))': \(error.reason)")
        }
        do {
            try self.init(raw: raw)
        } catch {
            throw BackendError(
                .invalidArgument,
                "invalid libvirt URI '\(BackendURI.maskingPassword(in: string))': \(error.reason)")
        }
    }

    /// The value of the last parameter called `name`, compared ASCII case-insensitively;
    /// nil when there is none.
    ///
    /// This is how libvirt's drivers read their parameters (`hypervParseUri`,
    /// `esxUtil_ParseUri` and the remote driver loop over all parameters with `STRCASEEQ`, so
    /// a later value overrides an earlier one). Note that libvirt's generic helper
    /// `virURIGetParam` returns the *first* match instead; use ``params(named:)`` for that.
    public func param(_ name: String) -> String? {
        params.last { BackendURI.asciiCaseInsensitiveEqual($0.name, name) }?.value
    }

    /// All values of the parameters called `name` (ASCII case-insensitive), in order.
    public func params(named name: String) -> [String] {
        params.filter { BackendURI.asciiCaseInsensitiveEqual($0.name, name) }.map(\.value)
    }

    /// Equal when the decoded parts are equal; the raw spelling of ``query`` is not compared.
    public static func == (lhs: BackendURI, rhs: BackendURI) -> Bool {
        lhs.scheme == rhs.scheme && lhs.user == rhs.user && lhs.host == rhs.host
            && lhs.port == rhs.port && lhs.path == rhs.path && lhs.params == rhs.params
            && lhs.fragment == rhs.fragment
    }

    /// Hashes the same parts that ``==`` compares.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(scheme)
        hasher.combine(user)
        hasher.combine(host)
        hasher.combine(port)
        hasher.combine(path)
        hasher.combine(params)
        hasher.combine(fragment)
    }
}

// MARK: - Building the value from the raw pieces

extension BackendURI {
    fileprivate init(raw: Parser.Raw) throws(Parser.Failure) {
        scheme = String(decoding: raw.scheme, as: UTF8.self)

        // The password, if any, is everything after the first raw ':' of the userinfo. It is
        // dropped here and never stored.
        if let userinfo = raw.userinfo {
            let name = userinfo.split(separator: UInt8(ascii: ":"), maxSplits: 1,
                                      omittingEmptySubsequences: false)[0]
            user = name.isEmpty ? nil : try Self.decode(name, what: "user")
        } else {
            user = nil
        }

        if let rawHost = raw.host {
            var decoded = try Self.decode(rawHost, what: "host")
            // virStringStripIPv6Brackets: applied to the decoded host.
            if decoded.hasPrefix("["), decoded.hasSuffix("]"), decoded.count >= 2,
               decoded.contains(":") {
                decoded = String(decoded.dropFirst().dropLast())
            }
            host = decoded.isEmpty ? nil : decoded
        } else {
            host = nil
        }
        port = host == nil ? 0 : raw.port

        path = try raw.path.map { (p) throws(Parser.Failure) in try Self.decode(p, what: "path") }
        query = raw.query.map { String(decoding: $0, as: UTF8.self) }
        fragment = try raw.fragment.map { (f) throws(Parser.Failure) in
            try Self.decode(f, what: "fragment")
        }
        params = try raw.query.map { (q) throws(Parser.Failure) in try Self.parseParams(q) } ?? []
    }

    /// virURIParseParams, byte for byte (except the `=` segment; see the type's notes).
    fileprivate static func parseParams(_ q: [UInt8]) throws(Parser.Failure) -> [Param] {
        let amp = UInt8(ascii: "&"), semi = UInt8(ascii: ";"), equals = UInt8(ascii: "=")
        var result: [Param] = []
        var start = 0
        while start < q.count {
            // The next '&' ends the segment; ';' only when no '&' is left at all.
            let end = q[start...].firstIndex(of: amp) ?? q[start...].firstIndex(of: semi) ?? q.count
            var eq = q[start...].firstIndex(of: equals)
            if let e = eq, e >= end { eq = nil }

            if end == start {
                // Empty segment ("&&").
            } else if let e = eq {
                if e == start {
                    // "=value" (and "=" alone): ignored.
                } else {
                    let name = try decode(q[start..<e], what: "parameter name")
                    let value = e + 1 == end ? "" : try decode(q[(e + 1)..<end], what: "parameter value")
                    result.append(Param(name: name, value: value))
                }
            } else {
                // "name" alone: value "".
                result.append(Param(name: try decode(q[start..<end], what: "parameter name"), value: ""))
            }
            start = end < q.count ? end + 1 : end
        }
        return result
    }

    /// xmlURIUnescapeString: `%XX` with two hex digits becomes that byte, anything else is
    /// copied; then the bytes must be UTF-8 without NUL.
    fileprivate static func decode(_ bytes: ArraySlice<UInt8>, what: String) throws(Parser.Failure) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let c = bytes[i]
            if c == UInt8(ascii: "%"), bytes.endIndex - i > 2,
               let hi = hexValue(bytes[i + 1]), let lo = hexValue(bytes[i + 2]) {
                out.append(hi << 4 | lo)
                i += 3
            } else {
                out.append(c)
                i += 1
            }
        }
        if out.contains(0) {
            throw Parser.Failure("the \(what) contains a percent-escaped NUL byte")
        }
        let s = String(decoding: out, as: UTF8.self)
        guard s.utf8.elementsEqual(out) else {
            throw Parser.Failure("the \(what) is not valid UTF-8 once percent-decoded")
        }
        return s
    }

    fileprivate static func decode(_ bytes: [UInt8], what: String) throws(Parser.Failure) -> String {
        try decode(bytes[...], what: what)
    }

    static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    static func asciiCaseInsensitiveEqual(_ a: String, _ b: String) -> Bool {
        func fold(_ c: UInt8) -> UInt8 {
            (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(c) ? c | 0x20 : c
        }
        return a.utf8.count == b.utf8.count && zip(a.utf8, b.utf8).allSatisfy { fold($0) == fold($1) }
    }

    /// The input with the password of an `user:password@` userinfo replaced by `***`, for
    /// error messages. Best effort: it only has to work on strings that failed to parse.
    static func maskingPassword(in string: String) -> String {
        guard let sep = string.firstRange(of: "://") else { return string }
        let authStart = sep.upperBound
        let authEnd = string[authStart...].firstIndex { $0 == "/" || $0 == "?" || $0 == "#" }
            ?? string.endIndex
        let authority = string[authStart..<authEnd]
        guard let at = authority.lastIndex(of: "@"),
              let colon = authority[..<at].firstIndex(of: ":") else { return string }
        return String(string[..<string.index(after: colon)]) + "***" + String(string[at...])
    }
}

// MARK: - The libxml2 2.9 RFC 3986 parser, restricted to absolute URIs

extension BackendURI {
    /// Byte-level recogniser mirroring libxml2 2.9.14's `xmlParse3986URI`.
    fileprivate struct Parser {
        struct Failure: Error {
            var reason: String
            init(_ reason: String) { self.reason = reason }
        }

        /// The undecoded pieces.
        struct Raw {
            var scheme: [UInt8] = []
            var userinfo: [UInt8]?
            var host: [UInt8]?
            var port = 0
            var path: [UInt8]?
            var query: [UInt8]?
            var fragment: [UInt8]?
        }

        let b: [UInt8]
        var i = 0

        init(_ bytes: [UInt8]) { b = bytes }

        private func at(_ k: Int) -> UInt8 { k < b.count ? b[k] : 0 }

        private static func isAlpha(_ c: UInt8) -> Bool {
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(c)
                || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(c)
        }
        private static func isDigit(_ c: UInt8) -> Bool {
            (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(c)
        }
        private static func isUnreserved(_ c: UInt8) -> Bool {
            isAlpha(c) || isDigit(c) || c == UInt8(ascii: "-") || c == UInt8(ascii: ".")
                || c == UInt8(ascii: "_") || c == UInt8(ascii: "~")
        }
        private static func isSubDelim(_ c: UInt8) -> Bool {
            switch c {
            case UInt8(ascii: "!"), UInt8(ascii: "$"), UInt8(ascii: "&"), UInt8(ascii: "'"),
                 UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "*"), UInt8(ascii: "+"),
                 UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "="):
                return true
            default:
                return false
            }
        }
        private func isPctEncoded(_ k: Int) -> Bool {
            at(k) == UInt8(ascii: "%") && BackendURI.hexValue(at(k + 1)) != nil
                && BackendURI.hexValue(at(k + 2)) != nil
        }
        private func isPchar(_ k: Int) -> Bool {
            let c = at(k)
            return Self.isUnreserved(c) || isPctEncoded(k) || Self.isSubDelim(c)
                || c == UInt8(ascii: ":") || c == UInt8(ascii: "@")
        }
        /// libxml2's NEXT(): a validated `%XX` is one unit of three bytes.
        private func next(_ k: Int) -> Int { at(k) == UInt8(ascii: "%") ? k + 3 : k + 1 }

        mutating func parse() throws(Failure) -> Raw {
            var raw = Raw()
            if b.isEmpty { throw Failure("the URI is empty") }

            // scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":"
            guard Self.isAlpha(at(0)) else {
                throw Failure("missing scheme (expected driver[+transport]:// ...)")
            }
            i = 1
            while Self.isAlpha(at(i)) || Self.isDigit(at(i)) || at(i) == UInt8(ascii: "+")
                || at(i) == UInt8(ascii: "-") || at(i) == UInt8(ascii: ".") {
                i += 1
            }
            guard at(i) == UInt8(ascii: ":") else {
                throw Failure("missing scheme (expected driver[+transport]:// ...)")
            }
            raw.scheme = Array(b[0..<i])
            i += 1

            // hier-part
            if at(i) == UInt8(ascii: "/"), at(i + 1) == UInt8(ascii: "/") {
                i += 2
                try parseAuthority(&raw)
                // path-abempty: must start with '/'.
                if at(i) == UInt8(ascii: "/") { raw.path = pathRun() }
            } else if at(i) == UInt8(ascii: "/") || isPchar(i) {
                // path-absolute / path-rootless (the same byte set once past the first byte).
                raw.path = pathRun()
            }

            if at(i) == UInt8(ascii: "?") {
                i += 1
                let start = i
                while isPchar(i) || at(i) == UInt8(ascii: "/") || at(i) == UInt8(ascii: "?") {
                    i = next(i)
                }
                raw.query = Array(b[start..<i])
            }
            if at(i) == UInt8(ascii: "#") {
                i += 1
                let start = i
                while isPchar(i) || at(i) == UInt8(ascii: "/") || at(i) == UInt8(ascii: "?")
                    || at(i) == UInt8(ascii: "[") || at(i) == UInt8(ascii: "]") {
                    i = next(i)
                }
                raw.fragment = Array(b[start..<i])
            }
            if i < b.count {
                throw Failure("unexpected \(describe(b[i])) at offset \(i)")
            }
            return raw
        }

        /// authority = [ userinfo "@" ] host [ ":" port ]
        private mutating func parseAuthority(_ raw: inout Raw) throws(Failure) {
            // userinfo = *( unreserved / pct-encoded / sub-delims / ":" ), kept only if '@' follows.
            var k = i
            while Self.isUnreserved(at(k)) || isPctEncoded(k) || Self.isSubDelim(at(k))
                || at(k) == UInt8(ascii: ":") {
                k = next(k)
            }
            if at(k) == UInt8(ascii: "@") {
                raw.userinfo = Array(b[i..<k])
                i = k + 1
            }

            // host = "[" anything-but-"]" "]" / reg-name (IPv4 is a subset of reg-name here).
            let hostStart = i
            if at(i) == UInt8(ascii: "[") {
                i += 1
                while i < b.count, b[i] != UInt8(ascii: "]") { i += 1 }
                guard i < b.count else { throw Failure("unbalanced '[' in the host") }
                i += 1
            } else {
                while Self.isUnreserved(at(i)) || isPctEncoded(i) || Self.isSubDelim(at(i)) {
                    i = next(i)
                }
            }
            raw.host = i > hostStart ? Array(b[hostStart..<i]) : nil

            // port = 1*DIGIT, at most INT_MAX.
            if at(i) == UInt8(ascii: ":") {
                i += 1
                guard Self.isDigit(at(i)) else {
                    throw Failure("invalid port: a ':' after the host must be followed by digits")
                }
                var port = 0
                while Self.isDigit(at(i)) {
                    port = port * 10 + Int(at(i) - UInt8(ascii: "0"))
                    if port > Int(Int32.max) { throw Failure("port out of range") }
                    i += 1
                }
                raw.port = port
            }
        }

        /// The longest run of pchar and '/' from here; nil when empty.
        private mutating func pathRun() -> [UInt8]? {
            let start = i
            while isPchar(i) || at(i) == UInt8(ascii: "/") {
                i = next(i)
            }
            return i > start ? Array(b[start..<i]) : nil
        }

        private func describe(_ c: UInt8) -> String {
            if c == UInt8(ascii: "%") { return "'%' not followed by two hex digits" }
            if c >= 0x21 && c < 0x7f { return "character '\(Character(Unicode.Scalar(c)))'" }
            return "byte 0x\(String(c, radix: 16, uppercase: true))"
        }
    }
}
