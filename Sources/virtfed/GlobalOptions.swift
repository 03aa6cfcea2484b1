import ArgumentParser

/// Options every command takes.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Run an embedded broker from this configuration file.", valueName: "file"))
    var config: String?

    @Flag(name: .long, help: "Print JSON instead of tables.")
    var json = false
}
