import ArgumentParser

/// Options every command takes.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Run an embedded broker from this configuration file instead of using the daemon.", valueName: "file"))
    var config: String?

    @Option(name: [.customShort("c"), .long], help: ArgumentHelp("Talk to the virtfedd listening on this socket (default: $VIRTFED_SOCKET, or with -r $VIRTFED_READONLY_SOCKET, else the standard paths).", valueName: "socket"))
    var connect: String?

    @Flag(name: [.customShort("r"), .long], help: "Use the daemon's read-only socket: listing only, every change refused.")
    var readonly = false

    @Flag(name: .long, help: "Print JSON instead of tables.")
    var json = false
}
