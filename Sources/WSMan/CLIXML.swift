import Foundation
import XML

/// PowerShell's CLIXML error stream (`#< CLIXML\r\n<Objs …><S S="Error">…</S></Objs>`) made
/// readable, as pywinrm's `_clean_error_msg` does: the `S` strings joined, their `_xHHHH_`
/// escapes decoded (`_x000D__x000A_` is a line break), progress records dropped.
public enum CLIXML {
    /// The marker PowerShell writes before CLIXML on a redirected stream.
    public static let marker = "#< CLIXML"

    /// The readable text of `stderr`: decoded when it is CLIXML, as it came otherwise (also
    /// when the CLIXML cannot be parsed — a hostile or broken document never fails the caller).
    public static func readable(_ stderr: String) -> String {
        guard let start = stderr.range(of: marker) else { return stderr.trimmed }
        let document = stderr[start.upperBound...].drop { $0 == "\r" || $0 == "\n" || $0 == " " }
        guard let root = try? XMLParser.parse(Array(document.utf8), maxBytes: 4 << 20, maxDepth: 32) else {
            return stderr.trimmed
        }
        let strings = root.children(named: "S")
        let errors = strings.filter { $0.attributes["S"]?.lowercased() == "error" }
        let text = (errors.isEmpty ? strings : errors).map { decode($0.text) }.joined()
        return text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { line in String(line.reversed().drop { $0.isWhitespace }.reversed()) }
            .joined(separator: "\n")
            .trimmed
    }

    /// Decodes CLIXML's `_xHHHH_` escapes (UTF-16 code units; surrogate pairs joined);
    /// carriage returns are dropped so that lines end in `\n`.
    public static func decode(_ text: String) -> String {
        let input = Array(text.utf16)
        var units: [UInt16] = []
        units.reserveCapacity(input.count)
        var index = 0
        while index < input.count {
            // `_x` HHHH `_`: seven code units.
            if input[index] == 0x5F, index + 6 < input.count, input[index + 1] == 0x78, input[index + 6] == 0x5F,
               input[(index + 2)...(index + 5)].allSatisfy(isHexDigit),
               let value = UInt16(String(decoding: input[(index + 2)...(index + 5)], as: UTF16.self), radix: 16) {
                if value != 0x0D { units.append(value) }
                index += 7
            } else {
                if input[index] != 0x0D { units.append(input[index]) }
                index += 1
            }
        }
        return String(decoding: units, as: UTF16.self)
    }

    private static func isHexDigit(_ unit: UInt16) -> Bool {
        (0x30...0x39).contains(unit) || (0x41...0x46).contains(unit) || (0x61...0x66).contains(unit)
    }
}
