import ArgumentParser
import Broker
import BrokerAPI
import BuiltinPlugins
import BrokerCore

/// `virtfed config check`: validate a configuration without connecting to anything.
struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config", abstract: "Work with configuration files.", subcommands: [Check.self]
    )

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate a configuration file without connecting to anything (exit 0 valid, 1 invalid)."
        )

        @OptionGroup var global: GlobalOptions

        func run() async throws {
            guard let path = global.config else {
                Output.error("config check needs --config FILE")
                throw ExitStatus.failure
            }
            do {
                let configuration = try ConfigurationLoader(registry: BuiltinPlugins.registry).load(file: path)
                for warning in configuration.warnings { Output.warning(warning.description) }
                let backends = try configuration.backends.map { backend throws(BackendError) in
                    BackendStatus(name: backend.name, plugin: type(of: try BuiltinPlugins.registry.plugin(for: backend.uri)).name,
                                  status: nil, error: nil, uri: backend.uri)
                }
                if global.json {
                    Output.json(backends)
                } else {
                    Output.print("\(path): valid, \(backends.count) backend\(backends.count == 1 ? "" : "s")")
                }
            } catch let invalid as InvalidConfiguration {
                if global.json { Output.json(["errors": invalid.problems.map(ProblemRecord.init)]) }
                for problem in invalid.problems { Output.error(problem.description) }
                throw ExitStatus.failure
            }
        }
    }

    struct ProblemRecord: Encodable {
        let file: String
        let line: Int
        let key: String?
        let message: String

        init(_ problem: ConfigurationError) {
            file = problem.file
            line = problem.line
            key = problem.key
            message = problem.message
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(file, forKey: .file)
            try container.encode(line, forKey: .line)
            try container.encode(key, forKey: .key)
            try container.encode(message, forKey: .message)
        }

        enum CodingKeys: String, CodingKey { case file, line, key, message }
    }
}
