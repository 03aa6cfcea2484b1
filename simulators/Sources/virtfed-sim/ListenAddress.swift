import ArgumentParser

/// `HOST:PORT` for `--listen`; the host must be loopback (`127.0.0.1`, `::1` as `[::1]:PORT`).
struct ListenAddress: ExpressibleByArgument, CustomStringConvertible, Sendable {
    var host: String
    var port: Int

    init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    init?(argument: String) {
        guard let colon = argument.lastIndex(of: ":"), let port = Int(argument[argument.index(after: colon)...]),
              (0...65535).contains(port) else { return nil }
        var host = String(argument[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard host == "127.0.0.1" || host == "::1" || host == "localhost" || host.hasPrefix("127.") else { return nil }
        self.host = host
        self.port = port
    }

    var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    var defaultValueDescription: String { description }

    static var defaultCompletionKind: CompletionKind { .default }
}
