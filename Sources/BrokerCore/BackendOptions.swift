/// A backend's plugin settings from the configuration, validated against the plugin's
/// `settings` (never the URI, never secrets).
public struct BackendOptions: Sendable, Equatable {
    /// A validated value.
    public enum Value: Sendable, Equatable {
        case string(String)
        case integer(Int)
        case boolean(Bool)
    }

    /// The values by key; keys not set are absent.
    public var values: [String: Value]

    /// Creates options.
    public init(_ values: [String: Value] = [:]) {
        self.values = values
    }

    /// A string (or path) setting.
    public func string(_ setting: BackendSetting) -> String? {
        if case .string(let value)? = values[setting.key] { return value }
        return nil
    }

    /// A whole-number setting.
    public func integer(_ setting: BackendSetting) -> Int? {
        if case .integer(let value)? = values[setting.key] { return value }
        return nil
    }

    /// A boolean setting.
    public func boolean(_ setting: BackendSetting) -> Bool? {
        if case .boolean(let value)? = values[setting.key] { return value }
        return nil
    }

    /// The CA file, for plugins that declare `BackendSetting.caFile`.
    public var caFile: String? { string(.caFile) }
}
