/// A WinRM listener's `Service/Auth/CbtHardeningLevel`: how it checks channel binding
/// (`tls-server-end-point`, RFC 5929) on authentication over https. Over http there is no
/// channel to bind to, and the level changes nothing.
public enum CbtHardeningLevel: String, Sendable, Equatable, CaseIterable {
    /// Bindings are not checked (a wrong one is accepted too).
    case none = "None"
    /// Windows' default: bindings are checked when the client sends them (a wrong one is
    /// refused with 401); a client that sends none is accepted.
    case relaxed = "Relaxed"
    /// An authentication without matching bindings is refused with 401.
    case strict = "Strict"

    /// From the setting's value, case-insensitively (`none`, `Relaxed`, `STRICT`).
    public init?(setting: String) {
        guard let level = Self.allCases.first(where: { $0.rawValue.lowercased() == setting.lowercased() }) else { return nil }
        self = level
    }

    /// What to do with a client's bindings: `sent` is whether it sent any, `matching` whether
    /// they are the listener's. Nil when accepted; otherwise the reason, for the log.
    func refusal(sent: Bool, matching: Bool) -> String? {
        switch self {
        case .none: nil
        case .relaxed: sent && !matching ? "wrong channel binding (CbtHardeningLevel = Relaxed)" : nil
        case .strict:
            !sent ? "no channel binding (CbtHardeningLevel = Strict)" : matching ? nil : "wrong channel binding (CbtHardeningLevel = Strict)"
        }
    }
}
