// Formatting a BackendURI back to a string: libvirt's virURIFormat (libxml2 2.9 xmlSaveUri)
// with the query rebuilt by virURIFormatParams.

extension BackendURI {
    /// The URI formatted back the way libvirt's `virURIFormat` does, with the query rebuilt
    /// from ``params`` as `virURIFormatParams` does:
    ///
    /// - the `//` is always written when there is an authority or an absolute path
    ///   (`qemu:/system` becomes `qemu:///system`);
    /// - IPv6 hosts (any host containing `:`) get their brackets back; the port is omitted
    ///   when 0;
    /// - the user and path are percent-escaped as `xmlSaveUri` escapes them (e.g. `:` in a
    ///   path becomes `%3A`), the fragment likewise;
    /// - the query is `name=value` pairs joined by `&`, values escaped like GLib's
    ///   `g_uri_escape_string` (everything but `A-Z a-z 0-9 - . _ ~`, so `/` becomes `%2F`);
    ///   no `?` is written when there are no parameters.
    ///
    /// A few cases differ from libvirt where libvirt's output would not parse back to the same
    /// URI: parameter names are escaped like values (libvirt writes them raw); a `:` inside
    /// the user name is written `%3A` (it would otherwise read as a password separator); a
    /// decoded host is re-escaped where needed; and a path without a leading `/` and without
    /// host or user (`qemu:system`) is written without `//` (libvirt writes `qemu://system`,
    /// which names a host). The password of the original URI is never present.
    ///
    /// `BackendURI(parsing: u.canonical) == u` holds for every parsed `u`.
    public var canonical: String { format(params: params) }

    /// The ``canonical`` form; see there.
    public var description: String { canonical }

    /// The canonical form safe for logs and messages.
    ///
    /// The userinfo password is already absent from ``canonical`` (it is never stored).
    /// In addition, every query parameter whose name contains, ASCII case-insensitively,
    /// `pass`, `pwd`, `secret`, `token` or `credential` is removed entirely (name and value).
    /// None of libvirt's own URI parameters (`socket`, `keyfile`, `pkipath`, `no_verify`,
    /// `transport`, `sshauth`, ...) match, so they are kept.
    public var redacted: String {
        format(params: redactedParams)
    }

    /// The query parameters without the secret-looking ones that ``redacted`` removes.
    public var redactedParams: [Param] {
        params.filter { !BackendURI.looksSecret($0.name) }
    }

    /// Encodes the URI as a single string, its ``canonical`` form.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(canonical)
    }

    /// Decodes a URI from a single string, parsing it with ``init(parsing:)``.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let string = try container.decode(String.self)
        do {
            try self.init(parsing: string)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.message)
        }
    }
}

extension BackendURI {
    static func looksSecret(_ name: String) -> Bool {
        let lower = String(decoding: name.utf8.map { (65...90).contains($0) ? $0 | 0x20 : $0 },
                           as: UTF8.self)
        return ["pass", "pwd", "secret", "token", "credential"].contains { lower.contains($0) }
    }

    func format(params: [Param]) -> String {
        var out = scheme + ":"
        if host == nil, user == nil, let path, !path.hasPrefix("/") {
            // Rootless path: no authority may be written, or the path would read as a host.
            out += Self.escape(path, keeping: Self.isPathByte)
        } else {
            // xmlSaveUri writes "//" when there is a server, and virURIFormat forces it when
            // there is none (port -1), so it is always written here.
            out += "//"
            if let user {
                out += Self.escape(user, keeping: Self.isUserByte) + "@"
            }
            if let host {
                out += Self.formatHost(host)
                if port > 0 { out += ":\(port)" }
            }
            if let path {
                out += Self.escape(path, keeping: Self.isPathByte)
            }
        }
        if !params.isEmpty {
            out += "?" + params.map {
                Self.escape($0.name, keeping: Self.isGlibUnreserved) + "="
                    + Self.escape($0.value, keeping: Self.isGlibUnreserved)
            }.joined(separator: "&")
        }
        if let fragment {
            out += "#" + Self.escape(fragment, keeping: Self.isFragmentByte)
        }
        return out
    }

    /// virURIFormat brackets any host containing ':'. A host that is already a bracketed
    /// literal without ':' (e.g. `[abc]`) is written back as one. Inside brackets only a `]`
    /// and a `%` that would otherwise decode are escaped; a plain host keeps RFC 3986
    /// unreserved and sub-delim characters and escapes the rest.
    static func formatHost(_ host: String) -> String {
        let bytes = Array(host.utf8)
        let inner: ArraySlice<UInt8>
        if host.contains(":") {
            inner = bytes[...]
        } else if bytes.count >= 2, bytes.first == UInt8(ascii: "["), bytes.last == UInt8(ascii: "]") {
            inner = bytes[1..<(bytes.count - 1)]
        } else {
            return escape(host, keeping: isRegNameByte)
        }
        var out: [UInt8] = [UInt8(ascii: "[")]
        var k = inner.startIndex
        while k < inner.endIndex {
            let c = inner[k]
            let decodable = c == UInt8(ascii: "%") && inner.endIndex - k > 2
                && hexValue(inner[k + 1]) != nil && hexValue(inner[k + 2]) != nil
            if c == UInt8(ascii: "]") || decodable {
                out += percent(c)
            } else {
                out.append(c)
            }
            k += 1
        }
        out.append(UInt8(ascii: "]"))
        return String(decoding: out, as: UTF8.self)
    }

    static func escape(_ s: String, keeping keep: (UInt8) -> Bool) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count)
        for c in s.utf8 {
            if keep(c) { out.append(c) } else { out += percent(c) }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func percent(_ c: UInt8) -> [UInt8] {
        let hex = Array("0123456789ABCDEF".utf8)
        return [UInt8(ascii: "%"), hex[Int(c >> 4)], hex[Int(c & 0xF)]]
    }

    private static func isAlnum(_ c: UInt8) -> Bool {
        (48...57).contains(c) || (65...90).contains(c) || (97...122).contains(c)
    }

    /// libxml2's IS_UNRESERVED (RFC 2396): alphanum and `- _ . ! ~ * ' ( )`.
    private static func isUnreserved2396(_ c: UInt8) -> Bool {
        isAlnum(c) || "-_.!~*'()".utf8.contains(c)
    }

    /// xmlSaveUri's user set, minus ':' (see ``canonical``).
    static func isUserByte(_ c: UInt8) -> Bool {
        isUnreserved2396(c) || ";&=+$,".utf8.contains(c)
    }

    /// xmlSaveUri's path set.
    static func isPathByte(_ c: UInt8) -> Bool {
        isUnreserved2396(c) || "/;@&=+$,".utf8.contains(c)
    }

    /// xmlSaveUri's fragment set: IS_UNRESERVED or IS_RESERVED (`; / ? : @ & = + $ , [ ]`).
    static func isFragmentByte(_ c: UInt8) -> Bool {
        isUnreserved2396(c) || ";/?:@&=+$,[]".utf8.contains(c)
    }

    /// RFC 3986 reg-name characters (unreserved and sub-delims).
    static func isRegNameByte(_ c: UInt8) -> Bool {
        isAlnum(c) || "-._~!$&'()*+,;=".utf8.contains(c)
    }

    /// GLib's unreserved set used by virBufferURIEncodeString: `A-Z a-z 0-9 - . _ ~`.
    static func isGlibUnreserved(_ c: UInt8) -> Bool {
        isAlnum(c) || "-._~".utf8.contains(c)
    }
}
