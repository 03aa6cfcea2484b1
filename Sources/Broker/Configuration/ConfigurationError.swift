/// A configuration problem, located: the file, the line and the key.
public struct ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file.
    public var file: String
    /// The line (1-based), 0 when the problem has no single line.
    public var line: Int
    /// The key, dotted (`backends[2].uri`), when one is at fault.
    public var key: String?
    /// What is wrong.
    public var message: String

    /// Creates an error.
    public init(file: String, line: Int, key: String?, message: String) {
        self.file = file
        self.line = line
        self.key = key
        self.message = message
    }

    public var description: String {
        var text = file
        if line > 0 { text += ":\(line)" }
        if let key { text += ": \(key)" }
        return text + ": " + message
    }
}
