import Foundation

/// CIM datetimes and intervals in the xs: forms WinRM puts inside `cim:Datetime` / `cim:Interval`.
enum CIMTime {
    /// `2024-05-01T10:00:00Z`-style text.
    static func datetime(_ date: Date) -> WMIValue {
        .datetime(date.formatted(.iso8601))
    }

    /// `2024-05-01T10:00:00.123Z`-style text, to the millisecond (Windows keeps ticks) (checkpoints'
    /// `CreationTime`, where two of one second must still be ordered).
    static func preciseDatetime(_ date: Date) -> WMIValue {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return .datetime(formatter.string(from: date))
    }

    /// `PT1.250S`-style xs:duration text.
    static func interval(_ duration: Duration) -> WMIValue {
        let milliseconds = max(0, duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000)
        let fraction = String(milliseconds % 1000)
        return .interval("PT\(milliseconds / 1000).\(String(repeating: "0", count: 3 - fraction.count))\(fraction)S")
    }
}
