/// How powershell.exe lays error text out for its 80-column non-interactive host, which is what
/// reaches stderr as CLIXML lines: a line longer than 78 characters is wrapped — messages at word
/// boundaries (the breaking space kept at the end of the line, so joining the lines gives the text
/// back), the `    + CategoryInfo`/`FullyQualifiedErrorId` entries cut hard after 78 characters plus
/// a space with continuations indented by 3 (pywinrm's own fixture shows `WriteErrorExcep ` /
/// `   tion`) — and a long script line is shown as a window with `...` around the failing extent.
/// A reader unwraps by replacing " \n   " with "" and then " \n" with " ".
enum PSConsoleLayout {
    /// The most characters of text on one physical line (a trailing space may follow).
    static let width = 78

    /// Wraps one logical line of an error record.
    static func wrap(_ line: String) -> [String] {
        guard line.count > width else { return [line] }
        return line.hasPrefix("    + ") ? hardWrap(line) : wordWrap(line)
    }

    static func wordWrap(_ line: String) -> [String] {
        let words = line.split(separator: " ", omittingEmptySubsequences: false)
        var lines: [String] = [], current = ""
        for (index, word) in words.enumerated() {
            let space = index + 1 < words.count ? " " : ""
            if current.count + word.count <= width {
                current += word + space
                continue
            }
            if !current.isEmpty { lines.append(current) }
            current = String(word)
            while current.count > width {
                lines.append(String(current.prefix(width)))
                current = String(current.dropFirst(width))
            }
            current += space
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }

    static func hardWrap(_ line: String) -> [String] {
        var lines = [String(line.prefix(width)) + " "]
        var rest = Substring(line.dropFirst(width))
        while !rest.isEmpty {
            let piece = rest.prefix(width - 3)
            rest = rest.dropFirst(piece.count)
            lines.append("   " + piece + (rest.isEmpty ? "" : " "))
        }
        return lines
    }

    /// The `+ code` and `+ ~~~` lines for the extent `column..<column+length` (0-based) of `code`,
    /// windowed with `...` when the code line does not fit.
    static func position(code: String, column: Int, length: Int) -> [String] {
        let characters = Array(code)
        let room = width - 2
        guard characters.count > room else {
            return ["+ " + code, "+ " + String(repeating: " ", count: column) + String(repeating: "~", count: max(1, length))]
        }
        let start = column < room - 10 ? 0 : min(column - 10, max(0, characters.count - (room - 4)))
        let prefix = start > 0 ? "... " : ""
        let available = room - prefix.count
        let end = min(characters.count, start + available)
        let suffix = end < characters.count ? " ..." : ""
        let visible = String(characters[start..<(end - (suffix.isEmpty ? 0 : 4))])
        let underlineStart = prefix.count + column - start
        let underlineLength = max(1, min(length, prefix.count + visible.count - underlineStart))
        return ["+ " + prefix + visible + suffix,
                "+ " + String(repeating: " ", count: underlineStart) + String(repeating: "~", count: underlineLength)]
    }
}
