extension Duration {
    /// The duration in seconds, as a floating-point number (for gauges, ages and rates).
    public var inSeconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
