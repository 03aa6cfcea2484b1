/// Reorders arguments so that global options given before the command name follow it,
/// which is where swift-argument-parser looks for a subcommand's options.
enum ArgumentOrder {
    /// Global options and whether each takes a value.
    static let globals: [String: Bool] = [
        "--config": true, "--json": false, "--connect": true, "-c": true, "--readonly": false, "-r": false,
    ]
    /// Commands that have subcommands of their own.
    static let groups: Set<String> = ["config", "cluster"]

    static func commandFirst(_ arguments: [String]) -> [String] {
        var hoisted: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            let name = argument.split(separator: "=", maxSplits: 1).first.map(String.init) ?? argument
            guard let takesValue = globals[name] else { break }
            hoisted.append(argument)
            if takesValue && !argument.contains("=") && index + 1 < arguments.count {
                hoisted.append(arguments[index + 1])
                index += 1
            }
            index += 1
        }
        var rest = Array(arguments[index...])
        guard !hoisted.isEmpty, !rest.isEmpty else { return arguments }
        var commandLength = 1
        if groups.contains(rest[0]), rest.count > 1, !rest[1].hasPrefix("-") { commandLength = 2 }
        rest.insert(contentsOf: hoisted, at: commandLength)
        return rest
    }
}
