/// The general-purpose commands the simulator runs: `Import-Module`, `Select-Object` (`Select`),
/// `ConvertTo-Json`, `Write-Output` (`echo`, `write`) and `Out-Null`.
public enum PSBuiltinCommands {
    /// All of them; `modules` are the names `Import-Module` accepts.
    public static func all(modules: Set<String>) -> [PSCommandDefinition] {
        [importModule(modules), selectObject, convertToJson, writeOutput, outNull]
    }

    static func importModule(_ modules: Set<String>) -> PSCommandDefinition {
        let known = Set(modules.map { $0.lowercased() })
        return PSCommandDefinition(name: "Import-Module", aliases: ["ipmo"], parameters: [PSParameter("Name", position: 0, typeName: "System.String[]")],
                                   implementingType: "Microsoft.PowerShell.Commands.ImportModuleCommand") { call, _ throws(PSErrorRecord) in
            for name in (call["Name"] ?? .null).pipelineItems.map(\.text) where !known.contains(name.lowercased()) {
                throw PSErrorRecord(message: "The specified module '\(name)' was not loaded because no valid module file was found in any module directory.",
                                    category: "ResourceUnavailable", reason: "FileNotFoundException", target: "\(name):String",
                                    errorID: "Modules_ModuleNotFound")
            }
            return []
        }
    }

    static let writeOutput = PSCommandDefinition(
        name: "Write-Output", aliases: ["echo", "write"], parameters: [PSParameter("InputObject", position: 0)],
        implementingType: "Microsoft.PowerShell.Commands.WriteOutputCommand") { call, _ throws(PSErrorRecord) in
            (call["InputObject"]?.pipelineItems ?? []) + (call.input ?? [])
        }

    static let outNull = PSCommandDefinition(
        name: "Out-Null", parameters: [PSParameter("InputObject")], implementingType: "Microsoft.PowerShell.Commands.OutNullCommand"
    ) { _, _ throws(PSErrorRecord) in [] }

    static let convertToJson = PSCommandDefinition(
        name: "ConvertTo-Json",
        parameters: [PSParameter("InputObject", position: 0), PSParameter("Depth", typeName: "System.Int32"), .flag("Compress")],
        implementingType: "Microsoft.PowerShell.Commands.ConvertToJsonCommand"
    ) { call, _ throws(PSErrorRecord) in
        var depth = 2
        if let given = call["Depth"] {
            let number = try given.cast(to: "int")
            guard case .int(let value) = number, (1...100).contains(value) else {
                throw PSErrorRecord(message: "Cannot validate argument on parameter 'Depth'. The \(number.text) argument is \((number.number ?? 0) > 100 ? "greater than the maximum allowed range of 100" : "less than the minimum allowed range of 1"). Supply an argument that is \((number.number ?? 0) > 100 ? "less than or equal to 100" : "greater than or equal to 1") and then try the command again.",
                                    category: "InvalidData", reason: "ParameterBindingValidationException", errorID: "ParameterArgumentValidationError")
            }
            depth = value
        }
        let compress = call.isSet("Compress")
        let value: PSValue
        if let explicit = call["InputObject"] {
            value = explicit
        } else {
            let input = call.input ?? []
            guard !input.isEmpty else { return [] }
            value = input.count == 1 ? input[0] : .array(input)
        }
        return [.string(try PSJSONWriter.write(value, depth: depth, compress: compress))]
    }

    static let selectObject = PSCommandDefinition(
        name: "Select-Object", aliases: ["Select"],
        parameters: [PSParameter("Property", position: 0, typeName: "System.Object[]"), PSParameter("ExpandProperty", typeName: "System.String"),
                     PSParameter("First", typeName: "System.Int32"), PSParameter("Last", typeName: "System.Int32"),
                     PSParameter("Skip", typeName: "System.Int32"), PSParameter("InputObject")],
        implementingType: "Microsoft.PowerShell.Commands.SelectObjectCommand"
    ) { call, interpreter throws(PSErrorRecord) in
        var items = (call.input ?? call["InputObject"]?.pipelineItems ?? []).filter { !$0.isNull }
        if let skip = call["Skip"]?.number { items = Array(items.dropFirst(max(0, Int(skip)))) }
        if let first = call["First"]?.number { items = Array(items.prefix(max(0, Int(first)))) }
        if let last = call["Last"]?.number { items = Array(items.suffix(max(0, Int(last)))) }
        let selectors = try (call["Property"]?.pipelineItems ?? []).map { value throws(PSErrorRecord) in try PSPropertySelector(value) }
        var output: [PSValue] = []
        for item in items {
            if let expand = call["ExpandProperty"]?.text {
                let value = PSInterpreter.member(expand, of: item)
                if value.isNull, propertyNames(of: item).allSatisfy({ $0.lowercased() != expand.lowercased() }) {
                    throw PSErrorRecord(message: "Property \"\(expand)\" cannot be found.", category: "InvalidArgument",
                                        reason: "PSArgumentException", target: "\(item.text):PSObject", errorID: "ExpandPropertyNotFound")
                }
                output.append(contentsOf: value.pipelineItems)
                continue
            }
            guard !selectors.isEmpty else {
                output.append(item)
                continue
            }
            var properties: [PSProperty] = []
            for selector in selectors {
                for property in try selector.properties(of: item, interpreter: interpreter)
                where !properties.contains(where: { $0.name.lowercased() == property.name.lowercased() }) {
                    properties.append(property)
                }
            }
            let typeName: String
            if case .object(let object) = item { typeName = "Selected." + object.typeName } else { typeName = "Selected.System.Object" }
            output.append(.object(PSObject(typeName: typeName, properties: properties, isCustom: true)))
        }
        return output
    }

    static func propertyNames(of value: PSValue) -> [String] {
        switch value {
        case .object(let object): object.properties.map(\.name)
        case .string: ["Length"]
        default: []
        }
    }
}
