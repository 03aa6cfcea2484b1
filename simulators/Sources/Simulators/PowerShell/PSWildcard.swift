/// PowerShell wildcards (`*`, `?`, `[abc]`, `[a-z]`), case-insensitive, as `-like` and
/// `Select-Object` property names use them.
enum PSWildcard {
    /// Whether `pattern` contains a wildcard character.
    static func hasWildcard(_ pattern: String) -> Bool { pattern.contains { $0 == "*" || $0 == "?" || $0 == "[" } }

    /// Whether `text` matches `pattern`.
    static func matches(_ pattern: String, _ text: String) -> Bool {
        match(Array(pattern.lowercased()), 0, Array(text.lowercased()), 0)
    }

    private static func match(_ p: [Character], _ pi: Int, _ t: [Character], _ ti: Int) -> Bool {
        var pi = pi, ti = ti
        var star: (p: Int, t: Int)?
        while ti < t.count {
            if pi < p.count, p[pi] == "*" {
                star = (pi, ti)
                pi += 1
                continue
            }
            if pi < p.count, let consumed = single(p, pi, t[ti]) {
                pi = consumed
                ti += 1
                continue
            }
            guard let backtrack = star else { return false }
            pi = backtrack.p + 1
            ti = backtrack.t + 1
            star = (backtrack.p, backtrack.t + 1)
        }
        while pi < p.count, p[pi] == "*" { pi += 1 }
        return pi == p.count
    }

    /// Matches one character at `pi`; returns the index after the pattern element.
    private static func single(_ p: [Character], _ pi: Int, _ c: Character) -> Int? {
        switch p[pi] {
        case "?": return pi + 1
        case "[":
            guard let close = p[(pi + 1)...].firstIndex(of: "]") else { return p[pi] == c ? pi + 1 : nil }
            let set = Array(p[(pi + 1)..<close])
            var index = 0, found = false
            while index < set.count {
                if index + 2 < set.count, set[index + 1] == "-" {
                    if set[index] <= c && c <= set[index + 2] { found = true }
                    index += 3
                } else {
                    if set[index] == c { found = true }
                    index += 1
                }
            }
            return found ? close + 1 : nil
        default: return p[pi] == c ? pi + 1 : nil
        }
    }
}
