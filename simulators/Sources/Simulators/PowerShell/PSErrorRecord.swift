/// A PowerShell error record, rendered as powershell.exe writes it to stderr: the message (with
/// `Cmdlet : ` in front for a cmdlet's error), `At line:L char:C`, the line with `~` under the
/// failing extent, `CategoryInfo` and `FullyQualifiedErrorId`.
public struct PSErrorRecord: Error, Sendable, Equatable {
    /// The exception's message.
    public var message: String
    /// The ErrorCategory (`InvalidOperation`, `ObjectNotFound`, `OperationStopped` …).
    public var category: String
    /// The exception's short type name (CategoryInfo's Reason).
    public var reason: String
    /// The target object's text, if any (CategoryInfo's `(target:Type)`).
    public var target: String
    /// The FullyQualifiedErrorId.
    public var errorID: String
    /// The command that failed (its name prefixes the message), nil for `throw` and parse errors.
    public var commandName: String?
    /// CategoryInfo's activity (`[Start-SCVirtualMachine]`); nil uses `commandName`.
    public var activity: String?
    /// Where in the script.
    public var extent: PSExtent?
    /// Whether the parser produced it (rendered position first, as PowerShell does).
    public var isParseError: Bool

    /// Creates a record.
    public init(message: String, category: String, reason: String, target: String = "", errorID: String,
                commandName: String? = nil, activity: String? = nil, extent: PSExtent? = nil, isParseError: Bool = false) {
        self.message = message
        self.category = category
        self.reason = reason
        self.target = target
        self.errorID = errorID
        self.commandName = commandName
        self.activity = activity
        self.extent = extent
        self.isParseError = isParseError
    }

    /// A cmdlet's error, as SCVMM's cmdlets raise them (`CarmineException`).
    public static func cmdlet(_ message: String, category: String = "InvalidOperation", errorID: String,
                              reason: String = "CarmineException", target: String = "") -> PSErrorRecord {
        PSErrorRecord(message: message, category: category, reason: reason, target: target, errorID: errorID)
    }

    /// The lines powershell.exe prints for this record (without line terminators), laid out for
    /// its 80-column host (`PSConsoleLayout`).
    public func lines(script: String) -> [String] {
        logicalLines(script: script).flatMap(PSConsoleLayout.wrap)
    }

    private func logicalLines(script: String) -> [String] {
        var position: [String] = []
        if let extent {
            let characters = Array(script)
            let start = min(extent.start, characters.count)
            var lineStart = start
            while lineStart > 0, !characters[lineStart - 1].isNewline { lineStart -= 1 }
            var lineEnd = start
            while lineEnd < characters.count, !characters[lineEnd].isNewline { lineEnd += 1 }
            let lineNumber = characters[..<lineStart].filter(\.isNewline).count + 1
            let column = start - lineStart + 1
            let underline = max(1, min(extent.end, lineEnd) - start)
            position = ["At line:\(lineNumber) char:\(column)"]
                + PSConsoleLayout.position(code: String(characters[lineStart..<lineEnd]), column: column - 1, length: underline)
        }
        let messageLines = message.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
        let activity = "[" + (self.activity ?? commandName ?? "") + "]"
        let category = "    + CategoryInfo          : \(self.category): (\(target.isEmpty ? ":" : target)) \(activity), \(reason)"
        let id = "    + FullyQualifiedErrorId : \(errorID)"
        if isParseError { return position + messageLines + [category, id, " "] }
        var head = messageLines
        if let commandName, !head.isEmpty { head[0] = "\(commandName) : " + head[0] }
        return head + position + [category, id, " "]
    }
}
