import Foundation

/// A WinRM command line taken apart: `powershell [-NoProfile] [-NonInteractive] … -EncodedCommand
/// BASE64` (pywinrm sends it as one `Command`, virtfed as `powershell` + `Arguments`; flags are
/// case-insensitive and may be abbreviated) or `-Command text`, else a cmd.exe line.
public enum PowerShellCommandLine: Equatable, Sendable {
    /// A PowerShell script to run.
    case powershell(script: String)
    /// powershell.exe refused the command line (its message).
    case invalid(String)
    /// Anything else: a cmd.exe command line.
    case cmd(String)

    /// Splits `command` + `arguments` (joined with spaces, as cmd.exe sees them).
    public init(command: String, arguments: [String]) {
        let line = ([command] + arguments).joined(separator: " ").trimmingCharacters(in: .whitespacesAndNewlines)
        let tokens = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard let first = tokens.first else {
            self = .cmd("")
            return
        }
        var program = first.lowercased()
        if program.hasSuffix(".exe") { program = String(program.dropLast(4)) }
        if let slash = program.lastIndex(where: { $0 == "\\" || $0 == "/" }) { program = String(program[program.index(after: slash)...]) }
        guard program == "powershell" || program == "pwsh" else {
            self = .cmd(line)
            return
        }
        var index = 1
        while index < tokens.count {
            let token = tokens[index]
            guard token.hasPrefix("-") || token.hasPrefix("/") else {
                self = .powershell(script: tokens[index...].joined(separator: " "))
                return
            }
            let flag = String(token.dropFirst()).lowercased()
            func matches(_ name: String, minimum: Int = 1) -> Bool { flag.count >= minimum && name.hasPrefix(flag) }
            if ["e", "ec", "enc"].contains(flag) || matches("encodedcommand", minimum: 2) {
                guard index + 1 < tokens.count else {
                    self = .invalid("Missing the argument for the -EncodedCommand parameter.")
                    return
                }
                self = Self.decode(tokens[index + 1])
                return
            }
            if flag == "c" || matches("command", minimum: 2) {
                self = .powershell(script: tokens[(index + 1)...].joined(separator: " "))
                return
            }
            if matches("executionpolicy", minimum: 2) || matches("inputformat", minimum: 2) || matches("outputformat", minimum: 2)
                || matches("windowstyle", minimum: 1) || matches("version", minimum: 1) || flag == "ep" {
                index += 2
                continue
            }
            if matches("noprofile", minimum: 3) || matches("noninteractive", minimum: 4) || matches("nologo", minimum: 3)
                || matches("noexit", minimum: 3) || flag == "sta" || flag == "mta" {
                index += 1
                continue
            }
            self = .powershell(script: tokens[index...].joined(separator: " "))
            return
        }
        self = .powershell(script: "")
    }

    /// Base64 of UTF-16LE text, as `-EncodedCommand` carries it.
    static func decode(_ base64: String) -> PowerShellCommandLine {
        guard let data = Data(base64Encoded: base64), data.count % 2 == 0 else {
            return .invalid("Cannot process the command because the value specified with -EncodedCommand is not properly encoded. The value must be Base64 encoded.")
        }
        let units = stride(from: 0, to: data.count, by: 2).map { UInt16(data[data.startIndex + $0]) | UInt16(data[data.startIndex + $0 + 1]) << 8 }
        return .powershell(script: String(decoding: units, as: UTF16.self))
    }

    /// `script` as `-EncodedCommand` wants it: base64 of its UTF-16LE bytes.
    public static func encode(_ script: String) -> String {
        var bytes: [UInt8] = []
        for unit in script.utf16 { bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        return Data(bytes).base64EncodedString()
    }
}
