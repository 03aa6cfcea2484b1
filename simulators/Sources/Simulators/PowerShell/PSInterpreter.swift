/// Runs a parsed script against a table of commands, as powershell.exe `-EncodedCommand` does:
/// statement-terminating errors are written and the script goes on (unless
/// `$ErrorActionPreference = 'Stop'`), `throw` ends the script; exit code 1 when the script ended
/// on an error or its last statement failed, else 0 (or `exit N`).
public final class PSInterpreter {
    /// What a run produced.
    public struct Result: Sendable, Equatable {
        /// Objects written to the output stream.
        public var output: [PSValue]
        /// Errors written to the error stream.
        public var errors: [PSErrorRecord]
        /// powershell.exe's exit code.
        public var exitCode: Int32
    }

    enum Interrupt: Error {
        /// An error; `scriptTerminating` for `throw` (and under ErrorAction Stop).
        case error(PSErrorRecord, scriptTerminating: Bool)
        case exit(Int32)
    }

    let commands: [String: PSCommandDefinition]
    var variables: [String: PSValue] = ["erroractionpreference": .string("Continue")]
    private var errors: [PSErrorRecord] = []
    var lastSucceeded = true
    /// Pipeline objects processed, bounded against hostile scripts.
    private var work = 0
    static let maxWork = 5_000_000

    /// Creates an interpreter with these commands (looked up case-insensitively, aliases too).
    public init(commands: [PSCommandDefinition]) {
        var table: [String: PSCommandDefinition] = [:]
        for command in commands {
            table[command.name.lowercased()] = command
            for alias in command.aliases { table[alias.lowercased()] = command }
        }
        self.commands = table
    }

    /// Parses and runs `script`.
    public func run(_ script: String) -> Result {
        let statements: [PSStatement]
        do { statements = try PSParser.parse(script) } catch {
            let record = PSErrorRecord(message: error.message, category: "ParserError", reason: "ParentContainsErrorRecordException",
                                       errorID: error.errorID, extent: PSExtent(start: error.offset, end: error.offset + 1), isParseError: true)
            return Result(output: [], errors: [record], exitCode: 1)
        }
        var output: [PSValue] = []
        var exitCode: Int32
        do {
            try execute(statements, into: &output)
            exitCode = lastSucceeded ? 0 : 1
        } catch {
            switch error {
            case .error(let record, _):
                errors.append(record)
                exitCode = 1
            case .exit(let code): exitCode = code
            }
        }
        return Result(output: output, errors: errors, exitCode: exitCode)
    }

    // MARK: variables

    /// The variable `name` (case-insensitive; `$null`, `$true`, `$false`, `$?` built in).
    public func variable(_ name: String) -> PSValue {
        switch name.lowercased() {
        case "null": .null
        case "true": .bool(true)
        case "false": .bool(false)
        case "?": .bool(lastSucceeded)
        default: variables[name.lowercased()] ?? .null
        }
    }

    /// Sets the variable `name` (`$null = …` discards).
    public func setVariable(_ name: String, _ value: PSValue) {
        guard name.lowercased() != "null" else { return }
        variables[name.lowercased()] = value
    }

    private var stopOnErrors: Bool { variable("ErrorActionPreference").text.lowercased() == "stop" }

    // MARK: statements

    func execute(_ statements: [PSStatement], into output: inout [PSValue]) throws(Interrupt) {
        for statement in statements {
            do {
                try execute(statement, into: &output)
                lastSucceeded = true
            } catch {
                guard case .error(var record, let scriptTerminating) = error, !scriptTerminating else { throw error }
                if stopOnErrors { throw .error(record, scriptTerminating: true) }
                if record.extent == nil, case .pipeline(let pipeline) = statement { record.extent = pipeline.extent }
                errors.append(record)
                lastSucceeded = false
            }
        }
    }

    private func execute(_ statement: PSStatement, into output: inout [PSValue]) throws(Interrupt) {
        switch statement {
        case .pipeline(let pipeline):
            output.append(contentsOf: try run(pipeline))
        case .assignment(let name, let rhs, _):
            setVariable(name, try value(of: rhs))
        case .conditional(let clauses, let otherwise):
            for clause in clauses where try value(of: .pipeline(clause.condition)).isTrue {
                try execute(clause.body, into: &output)
                return
            }
            if let otherwise { try execute(otherwise, into: &output) }
        case .throw(let pipeline, let extent):
            let value = try pipeline.map { p throws(Interrupt) in try self.value(of: .pipeline(p)) } ?? .null
            let message = value.isNull ? "ScriptHalted" : value.text
            throw .error(PSErrorRecord(message: message, category: "OperationStopped", reason: "RuntimeException",
                                       target: value.isNull ? "" : "\(message):String", errorID: message, extent: extent),
                         scriptTerminating: true)
        case .exit(let pipeline):
            let value = try pipeline.map { p throws(Interrupt) in try self.value(of: .pipeline(p)) } ?? .int(0)
            throw .exit(Int32(truncatingIfNeeded: Int(value.number ?? 0)))
        }
    }

    /// What a statement evaluates to on the right of `=` or in a hashtable: a lone expression's
    /// value as it is, a pipeline's outputs collapsed.
    func value(of statement: PSStatement) throws(Interrupt) -> PSValue {
        switch statement {
        case .pipeline(let pipeline):
            if pipeline.elements.count == 1, case .expression(let expression) = pipeline.elements[0] { return try evaluate(expression) }
            return .collapsing(try run(pipeline))
        case .assignment(let name, let value, _):
            let result = try self.value(of: value)
            setVariable(name, result)
            return result
        default:
            var output: [PSValue] = []
            try execute(statement, into: &output)
            return .collapsing(output)
        }
    }

    // MARK: pipelines

    func run(_ pipeline: PSPipeline) throws(Interrupt) -> [PSValue] {
        var items: [PSValue]?
        for element in pipeline.elements {
            switch element {
            case .expression(let expression): items = try evaluate(expression).pipelineItems
            case .command(let command): items = try invoke(command, input: items)
            }
            work += items?.count ?? 0
            guard work <= Self.maxWork else {
                throw .error(PSErrorRecord(message: "The script processed more than \(Self.maxWork) pipeline objects.",
                                           category: "LimitsExceeded", reason: "RuntimeException", errorID: "WorkLimitExceeded"),
                             scriptTerminating: true)
            }
        }
        return items ?? []
    }

    private func invoke(_ invocation: PSCommandInvocation, input: [PSValue]?) throws(Interrupt) -> [PSValue] {
        guard let definition = commands[invocation.name.lowercased()] else {
            let name = invocation.name
            throw .error(PSErrorRecord(
                message: "The term '\(name)' is not recognized as the name of a cmdlet, function, script file, or operable program. Check the spelling of the name, or if a path was included, verify that the path is correct and try again.",
                category: "ObjectNotFound", reason: "CommandNotFoundException", target: "\(name):String", errorID: "CommandNotFoundException",
                commandName: name, activity: "", extent: invocation.extent), scriptTerminating: false)
        }
        do {
            let call = try bind(invocation, to: definition, input: input)
            return try definition.body(call, self)
        } catch {
            var record = error
            if record.commandName == nil && !record.errorID.hasPrefix("Virtfed") { record.commandName = definition.name }
            if record.extent == nil { record.extent = invocation.extent }
            if !record.errorID.contains(",") { record.errorID += "," + definition.implementingType }
            throw .error(record, scriptTerminating: false)
        }
    }

    /// Runs a script block with `$_` bound to `item` (Select-Object's calculated properties).
    public func invoke(_ block: PSScriptBlock, with item: PSValue) throws(PSErrorRecord) -> [PSValue] {
        let saved = variables["_"]
        defer { variables["_"] = saved }
        variables["_"] = item
        var output: [PSValue] = []
        do {
            for statement in block.body { try execute(statement, into: &output) }
        } catch {
            if case .error(let record, _) = error { throw record }
        }
        return output
    }
}
