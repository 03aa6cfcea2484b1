/// A WMI object path as Hyper-V writes it in `Parent` and `HostResource` properties:
/// `\\HOST\root\virtualization\v2:Class.Key="value",Key2="value"`, with `\` and `"` in values
/// escaped by a backslash.
struct WMIObjectPath: Sendable, Equatable {
    /// The class after the namespace.
    var className: String
    /// The key values, by lowercased key name.
    var keys: [String: String]

    /// Parses `text`; nil when it is not an object path with at least one key.
    init?(_ text: String) {
        guard let colon = text.firstIndex(of: ":") else { return nil }
        let reference = text[text.index(after: colon)...]
        guard let dot = reference.firstIndex(of: ".") else { return nil }
        className = String(reference[..<dot])
        keys = [:]
        var rest = reference[reference.index(after: dot)...]
        while !rest.isEmpty {
            guard let equals = rest.firstIndex(of: "="), rest[rest.index(after: equals)...].first == "\"" else { return nil }
            let key = rest[..<equals].lowercased()
            var value = ""
            var index = rest.index(equals, offsetBy: 2)
            var closed = false
            while index < rest.endIndex {
                let character = rest[index]
                if character == "\\", rest.index(after: index) < rest.endIndex {
                    index = rest.index(after: index)
                    value.append(rest[index])
                } else if character == "\"" {
                    closed = true
                    break
                } else {
                    value.append(character)
                }
                index = rest.index(after: index)
            }
            guard closed else { return nil }
            keys[key] = value
            rest = rest[rest.index(after: index)...]
            if rest.first == "," { rest = rest.dropFirst() } else if !rest.isEmpty { return nil }
        }
        guard !className.isEmpty, !keys.isEmpty else { return nil }
    }

    /// The value of `key`, whatever its case.
    subscript(key: String) -> String? { keys[key.lowercased()] }
}
