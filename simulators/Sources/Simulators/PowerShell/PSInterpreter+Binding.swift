/// Parameter binding, as PowerShell does it: `-Name value`, `-Name:value`, switches, unique
/// prefixes and aliases, then positional arguments in position order; PowerShell's binding errors.
extension PSInterpreter {
    func bind(_ invocation: PSCommandInvocation, to definition: PSCommandDefinition, input: [PSValue]?) throws(PSErrorRecord) -> PSCommandCall {
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

    func evaluateForCommand(_ expression: PSExpression) throws(PSErrorRecord) -> PSValue {
        do { return try evaluate(expression) } catch {
            if case .error(let record, _) = error { throw record }
            throw PSErrorRecord(message: "exit is not allowed in an argument.", category: "InvalidOperation", reason: "RuntimeException", errorID: "ExitInArgument")
        }
    }

    func resolve(_ name: String, in definition: PSCommandDefinition) throws(PSErrorRecord) -> PSParameter {
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
}
