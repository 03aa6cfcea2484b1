/// `xs:duration` values as WS-Management uses them for `w:OperationTimeout` (`PT20S`, `PT1M30.5S`).
enum XSDuration {
    /// The duration, or nil when `text` is not a day-time duration.
    static func parse(_ text: String) -> Duration? {
        var rest = Substring(text.trimmingSpaces)
        guard rest.hasPrefix("P") else { return nil }
        rest = rest.dropFirst()
        var seconds = 0.0, inTime = false, number = ""
        for character in rest {
            switch character {
            case "T": inTime = true
            case "0"..."9", ".": number.append(character)
            case "D", "H", "M", "S":
                guard let value = Double(number) else { return nil }
                number = ""
                switch (character, inTime) {
                case ("D", false): seconds += value * 86_400
                case ("H", true): seconds += value * 3_600
                case ("M", true): seconds += value * 60
                case ("S", true): seconds += value
                default: return nil
                }
            default: return nil
            }
        }
        guard number.isEmpty, seconds.isFinite else { return nil }
        return .milliseconds(Int64(min(seconds, 86_400) * 1000))
    }
}
