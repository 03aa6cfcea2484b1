// virtfed-sim: protocol-faithful simulators of backends that cannot run here.
import ArgumentParser

/// The root command: one subcommand per simulated backend.
@main
struct SimCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "virtfed-sim",
        abstract: "Protocol-faithful simulators of backends that cannot run here.",
        subcommands: [HyperVCommand.self, SCVMMCommand.self]
    )
}
