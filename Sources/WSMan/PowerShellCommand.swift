import Foundation

/// A PowerShell script as a cmd-shell command line: `powershell -NoProfile -NonInteractive
/// -EncodedCommand BASE64`, BASE64 being the script's UTF-16LE bytes (what `-EncodedCommand`
/// expects; pywinrm's `run_ps` does the same). Nothing of the script reaches cmd.exe's parser.
public struct PowerShellCommand: Sendable, Equatable {
    /// cmd.exe's command-line limit, in characters.
    public static let maxCommandLine = 8191

    /// The script.
    public let script: String

    /// Creates the command for `script`.
    public init(_ script: String) {
        self.script = script
    }

    /// Base64 of the script's UTF-16LE bytes.
    public var encodedScript: String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(script.utf16.count * 2)
        for unit in script.utf16 {
            bytes.append(UInt8(unit & 0xFF))
            bytes.append(UInt8(unit >> 8))
        }
        return Data(bytes).base64EncodedString()
    }

    /// The program to run.
    public var command: String { "powershell" }

    /// Its arguments, as one `rsp:Arguments` string.
    public var arguments: String { "-NoProfile -NonInteractive -EncodedCommand \(encodedScript)" }

    /// The whole command line, checked against cmd.exe's limit.
    public func validated() throws(WSManError) -> PowerShellCommand {
        let length = command.count + 1 + arguments.count
        guard length <= Self.maxCommandLine else {
            throw .invalidRequest("the encoded PowerShell command line is \(length) characters, over cmd.exe's \(Self.maxCommandLine)")
        }
        return self
    }
}
