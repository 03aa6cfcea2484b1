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

    private let commands: [String: PSCommandDefinition]
    private var variables: [String: PSValue] = ["erroractionpreference": .string("Continue")]
    private var errors: [PSErrorRecord] = []
    private var lastSucceeded = true
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

    private func bind(_ invocation: PSCommandInvocation, to definition: PSCommandDefinition, input: [PSValue]?) throws(PSErrorRecord) -> PSCommandCall {
        var bound: [String: PSValue] = [:]
        var positional: [PSValue] = []
        var index = 0
        let arguments = invocation.arguments
        while index < arguments.count {
            defer { index += 1 }
            switch arguments[index] {
            case .value(let expression):
                positional.append(try evaluateForCommand(expression))
            case .parameter(let name, let explicit):
                let parameter = try resolve(name, in: definition)
                if let explicit {
                    bound[parameter.name.lowercased()] = try evaluateForCommand(explicit)
                } else if parameter.isSwitch {
                    bound[parameter.name.lowercased()] = .bool(true)
                } else if index + 1 < arguments.count, case .value(let expression) = arguments[index + 1] {
                    bound[parameter.name.lowercased()] = try evaluateForCommand(expression)
                    index += 1
                } else {
                    throw PSErrorRecord(message: "Missing an argument for parameter '\(parameter.name)'. Specify a parameter of type '\(parameter.typeName)' and try again.",
                                        category: "InvalidArgument", reason: "ParameterBindingException", errorID: "MissingArgument")
                }
            }
        }
        let slots = definition.parameters.filter { $0.position != nil && bound[$0.name.lowercased()] == nil }
            .sorted { ($0.position ?? 0) < ($1.position ?? 0) }
        for (offset, value) in positional.enumerated() {
            guard offset < slots.count else {
                throw PSErrorRecord(message: "A positional parameter cannot be found that accepts argument '\(value.text)'.",
                                    category: "InvalidArgument", reason: "ParameterBindingException", errorID: "PositionalParameterNotFound")
            }
            bound[slots[offset].name.lowercased()] = value
        }
        return PSCommandCall(name: definition.name, bound: bound, input: input)
    }

    private func evaluateForCommand(_ expression: PSExpression) throws(PSErrorRecord) -> PSValue {
        do { return try evaluate(expression) } catch {
            if case .error(let record, _) = error { throw record }
            throw PSErrorRecord(message: "exit is not allowed in an argument.", category: "InvalidOperation", reason: "RuntimeException", errorID: "ExitInArgument")
        }
    }

    private func resolve(_ name: String, in definition: PSCommandDefinition) throws(PSErrorRecord) -> PSParameter {
        let key = name.lowercased()
        if let exact = definition.parameters.first(where: { $0.name.lowercased() == key || $0.aliases.contains { $0.lowercased() == key } }) {
            return exact
        }
        let candidates = definition.parameters.filter { $0.name.lowercased().hasPrefix(key) }
        if candidates.count == 1 { return candidates[0] }
        if candidates.isEmpty {
            throw PSErrorRecord(message: "A parameter cannot be found that matches parameter name '\(name)'.", category: "InvalidArgument",
                                reason: "ParameterBindingException", errorID: "NamedParameterNotFound")
        }
        throw PSErrorRecord(message: "Parameter cannot be processed because the parameter name '\(name)' is ambiguous. Possible matches include: \(candidates.map { "-" + $0.name }.joined(separator: " ")).",
                            category: "InvalidArgument", reason: "ParameterBindingException", errorID: "AmbiguousParameter")
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

    // MARK: expressions

    func evaluate(_ expression: PSExpression) throws(Interrupt) -> PSValue {
        switch expression {
        case .constant(let value): return value
        case .expandable(let parts):
            var text = ""
            for part in parts {
                switch part {
                case .literal(let literal): text += literal
                case .variable(let name): text += variable(name).text
                case .subexpression(let statements):
                    var output: [PSValue] = []
                    try execute(statements, into: &output)
                    text += PSValue.collapsing(output).text
                }
            }
            return .string(text)
        case .variable(let name): return variable(name)
        case .member(let target, let name): return Self.member(name, of: try evaluate(target))
        case .index(let target, let index): return Self.index(try evaluate(index), of: try evaluate(target))
        case .arrayExpression(let statements):
            var output: [PSValue] = []
            try execute(statements, into: &output)
            return .array(output)
        case .subexpression(let statements):
            var output: [PSValue] = []
            try execute(statements, into: &output)
            return .collapsing(output)
        case .parenthesized(let pipeline): return try value(of: .pipeline(pipeline))
        case .hashtable(let entries):
            var properties: [PSProperty] = []
            for entry in entries {
                let value = try value(of: entry.value)
                if let existing = properties.firstIndex(where: { $0.name.lowercased() == entry.key.lowercased() }) {
                    throw .error(PSErrorRecord(message: "Duplicate keys '\(properties[existing].name)' are not allowed in hash literals.",
                                               category: "InvalidOperation", reason: "RuntimeException", errorID: "DuplicateKeyInHashLiteral"),
                                 scriptTerminating: false)
                }
                properties.append(PSProperty(entry.key, value))
            }
            return .hashtable(properties)
        case .list(let items):
            var values: [PSValue] = []
            for item in items { values.append(try evaluate(item)) }
            return .array(values)
        case .scriptBlock(let block): return .scriptBlock(block)
        case .cast(let type, let operand):
            let value = try evaluate(operand)
            do { return try value.cast(to: type) } catch { throw .error(error, scriptTerminating: false) }
        case .not(let operand): return .bool(!(try evaluate(operand).isTrue))
        case .binary(let op, let left, let right):
            let lhs = try evaluate(left)
            switch op {
            case "and":
                guard lhs.isTrue else { return .bool(false) }
                return .bool(try evaluate(right).isTrue)
            case "or":
                guard !lhs.isTrue else { return .bool(true) }
                return .bool(try evaluate(right).isTrue)
            case "xor":
                let rhs = try evaluate(right)
                return .bool(lhs.isTrue != rhs.isTrue)
            default: return Self.compare(op, lhs, try evaluate(right))
            }
        }
    }

    /// `value.Name`: a property (or hashtable key), `Count`/`Length`, member enumeration on arrays.
    static func member(_ name: String, of value: PSValue) -> PSValue {
        let key = name.lowercased()
        switch value {
        case .object(let object):
            if let property = object.property(name) { return property.value }
            return key == "count" || key == "length" ? .int(1) : .null
        case .hashtable(let entries):
            if let entry = entries.first(where: { $0.name.lowercased() == key }) { return entry.value }
            if key == "count" { return .int(entries.count) }
            if key == "keys" { return .array(entries.map { .string($0.name) }) }
            if key == "values" { return .array(entries.map(\.value)) }
            return .null
        case .array(let elements):
            if key == "count" || key == "length" { return .int(elements.count) }
            let values = elements.map { member(name, of: $0) }.filter { !$0.isNull }.flatMap(\.pipelineItems)
            return .collapsing(values)
        case .string(let text): return key == "length" ? .int(text.count) : .null
        case .enumeration(let enumeration): return key == "value__" ? .int(enumeration.rawValue) : .null
        case .null: return .null
        default: return key == "count" ? .int(1) : .null
        }
    }

    static func index(_ index: PSValue, of value: PSValue) -> PSValue {
        switch value {
        case .array(let elements):
            guard let position = index.number.map({ Int($0) }) else { return .null }
            let resolved = position < 0 ? elements.count + position : position
            return elements.indices.contains(resolved) ? elements[resolved] : .null
        case .hashtable: return member(index.text, of: value)
        default:
            return index.number == 0 ? value : .null
        }
    }

    /// Comparison operators; an array on the left filters its elements.
    static func compare(_ op: String, _ left: PSValue, _ right: PSValue) -> PSValue {
        if case .array(let elements) = left {
            return .array(elements.filter { compare(op, $0, right).isTrue })
        }
        let caseSensitive = op.hasPrefix("c")
        let base = op.hasPrefix("c") || op.hasPrefix("i") ? String(op.dropFirst()) : op
        switch base {
        case "eq": return .bool(left.equals(right, caseSensitive: caseSensitive))
        case "ne": return .bool(!left.equals(right, caseSensitive: caseSensitive))
        case "like": return .bool(PSWildcard.matches(right.text, left.text))
        case "notlike": return .bool(!PSWildcard.matches(right.text, left.text))
        default:
            let order: Int
            if let l = left.number, let r = right.number, !(left.isString && right.isString) {
                order = l < r ? -1 : (l > r ? 1 : 0)
            } else {
                let l = left.text.lowercased(), r = right.text.lowercased()
                order = l < r ? -1 : (l > r ? 1 : 0)
            }
            switch base {
            case "gt": return .bool(order > 0)
            case "ge": return .bool(order >= 0)
            case "lt": return .bool(order < 0)
            default: return .bool(order <= 0)
            }
        }
    }
}

extension PSValue {
    var isString: Bool {
        if case .string = self { return true }
        return false
    }
}
