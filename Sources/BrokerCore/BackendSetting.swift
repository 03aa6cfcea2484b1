/// A configuration key a plugin declares for its `[[backends]]` entries, with the kind of
/// value it takes; the loader checks the value and reports a bad one at its TOML line.
public struct BackendSetting: Sendable, Hashable {
    /// What a setting's value must be.
    public enum Kind: Sendable, Hashable {
        /// Any string.
        case string
        /// A path to a readable file, relative to the configuration file's directory.
        case readableFile
        /// A whole number above zero.
        case positiveInteger
        /// true or false.
        case boolean
    }

    /// The TOML key (`ca_file`).
    public var key: String
    /// Its kind.
    public var kind: Kind
    /// One line for the annotated configuration and error messages.
    public var help: String

    /// Declares a setting.
    public init(_ key: String, _ kind: Kind, help: String) {
        self.key = key
        self.kind = kind
        self.help = help
    }

    /// A CA bundle to verify the backend's TLS certificate against, instead of the system's.
    public static let caFile = BackendSetting("ca_file", .readableFile, help: "CA file")
}
