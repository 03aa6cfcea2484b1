/// One entry of `Select-Object`'s property list: a name (wildcards allowed) or a calculated
/// property `@{Name='X'; Expression={…}}` (keys `Name`/`N`/`Label`/`L` and `Expression`/`E`,
/// abbreviations accepted; the expression a script block or a property name).
enum PSPropertySelector {
    case name(String)
    case calculated(name: String, expression: PSValue)

    init(_ value: PSValue) throws(PSErrorRecord) {
        guard case .hashtable(let entries) = value else {
            self = .name(value.text)
            return
        }
        var name: String?, expression: PSValue?
        for entry in entries {
            let key = entry.name.lowercased()
            if !key.isEmpty && ("name".hasPrefix(key) || "label".hasPrefix(key)) {
                name = entry.value.text
            } else if !key.isEmpty && "expression".hasPrefix(key) {
                expression = entry.value
            } else {
                throw PSErrorRecord(message: "The \(entry.name) key is not valid.", category: "InvalidArgument", reason: "NotSupportedException",
                                    errorID: "DictionaryKeyIllegal")
            }
        }
        guard let expression else {
            throw PSErrorRecord(message: "The Expression key is missing from the calculated property.", category: "InvalidArgument",
                                reason: "NotSupportedException", errorID: "DictionaryKeyMandatoryEntry")
        }
        self = .calculated(name: name ?? expression.text, expression: expression)
    }

    /// The selected properties of `item`: a missing name yields `$null` under that name.
    func properties(of item: PSValue, interpreter: PSInterpreter) throws(PSErrorRecord) -> [PSProperty] {
        switch self {
        case .name(let pattern):
            let names = PSBuiltinCommands.propertyNames(of: item)
            if PSWildcard.hasWildcard(pattern) {
                return names.filter { PSWildcard.matches(pattern, $0) }.map { PSProperty($0, PSInterpreter.member($0, of: item)) }
            }
            let name = names.first { $0.lowercased() == pattern.lowercased() } ?? pattern
            return [PSProperty(name, PSInterpreter.member(name, of: item))]
        case .calculated(let name, let expression):
            if case .scriptBlock(let block) = expression {
                // Windows PowerShell 5.1 (MshExpression → DoInvokeReturnAsIs → GetRawResult): no
                // output → $null, one → that object (a one-element @(...) is unrolled), more → a
                // [psobject]-wrapped object[].
                return [PSProperty(name, .rawResult(try interpreter.invoke(block, with: item)))]
            }
            return [PSProperty(name, PSInterpreter.member(expression.text, of: item))]
        }
    }
}
