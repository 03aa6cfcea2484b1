/// Finds the line of a key in TOML source text, for error messages: TOMLKit reports
/// positions only for syntax errors. It understands `[table]`, `[[array]]` headers and
/// `key = value` lines, which is all this configuration's schema uses.
struct TOMLKeyLocator {
    /// A table occurrence: its name, its index among same-named array tables, its header line.
    private struct Section {
        var name: String
        var index: Int
        var line: Int
        var keys: [String: Int] = [:]
    }

    private var sections: [Section] = [Section(name: "", index: 0, line: 0)]

    init(source: String) {
        var arrayCounts: [String: Int] = [:]
        var lineNumber = 0
        for rawLine in source.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = rawLine.drop(while: { $0 == " " || $0 == "\t" })
            if line.hasPrefix("[[") {
                let name = Self.headerName(line.dropFirst(2))
                let index = arrayCounts[name, default: 0]
                arrayCounts[name] = index + 1
                sections.append(Section(name: name, index: index, line: lineNumber))
            } else if line.hasPrefix("[") {
                sections.append(Section(name: Self.headerName(line.dropFirst()), index: 0, line: lineNumber))
            } else if let equals = line.firstIndex(of: "="), !line.hasPrefix("#") {
                var key = line[..<equals].trimmingCharacters(in: " \t")
                if key.count >= 2, let first = key.first, first == "\"" || first == "'", key.last == first {
                    key = String(key.dropFirst().dropLast())
                }
                if sections[sections.count - 1].keys[key] == nil { sections[sections.count - 1].keys[key] = lineNumber }
            }
        }
    }

    /// The line of `[[name]]` number `index` (or `[name]`), 0 when absent.
    func headerLine(_ name: String, index: Int = 0) -> Int {
        sections.first(where: { $0.name == name && $0.index == index })?.line ?? 0
    }

    /// The line of `key` inside table `name` (number `index` for array tables); the table's
    /// header line when the key is absent.
    func line(of key: String, in name: String, index: Int = 0) -> Int {
        guard let section = sections.first(where: { $0.name == name && $0.index == index }) else { return 0 }
        return section.keys[key] ?? section.line
    }

    private static func headerName(_ text: Substring) -> String {
        String(text.prefix(while: { $0 != "]" })).trimmingCharacters(in: " \t")
    }
}

extension StringProtocol {
    fileprivate func trimmingCharacters(in set: String) -> String {
        var slice = Substring(self)
        while let first = slice.first, set.contains(first) { slice = slice.dropFirst() }
        while let last = slice.last, set.contains(last) { slice = slice.dropLast() }
        return String(slice)
    }
}
