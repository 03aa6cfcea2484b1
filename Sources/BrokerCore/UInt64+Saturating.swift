extension UInt64 {
    /// `self × factor`, or `UInt64.max` where the product does not fit: a backend that reports
    /// an absurd size (a lying or broken host) gives an absurd figure, never a trap.
    public func saturatingMultiplied(by factor: UInt64) -> UInt64 {
        let (product, overflow) = multipliedReportingOverflow(by: factor)
        return overflow ? .max : product
    }

    /// A non-negative double rounded down, `UInt64.max` beyond the range, 0 for NaN.
    public init(saturating value: Double) {
        if value.isNaN || value <= 0 {
            self = 0
        } else if value >= 18_446_744_073_709_549_568 {
            self = .max
        } else {
            self = UInt64(value.rounded(.down))
        }
    }
}
