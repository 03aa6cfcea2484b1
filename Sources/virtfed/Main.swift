/// The entry point: lets the global options stand before the command, as in
/// `virtfed --config FILE list --all`, by moving them behind the command's name.
@main
enum Main {
    static func main() async {
        await Virtfed.main(ArgumentOrder.commandFirst(Array(CommandLine.arguments.dropFirst())))
    }
}
