/// Misbehaviour to inject, for testing clients against a flaky host. Fractions are
/// probabilities in 0…1 drawn per request (after authentication), checked in this order:
/// reset, hang, HTTP 500, malformed XML, truncated body.
public struct SimulatorFaults: Sendable, Equatable {
    /// Added before every reply (including 401s).
    public var latencyMilliseconds: Int
    /// Close the connection with a TCP reset instead of answering — after the request was
    /// carried out, as when a host acts and the connection dies before the reply.
    public var resetFraction: Double
    /// Never answer (the connection stays open).
    public var hangFraction: Double
    /// Answer HTTP 500 with a `w:InternalError` fault.
    public var failFraction: Double
    /// Answer 200 with a body that is not well-formed XML.
    public var malformedFraction: Double
    /// Announce the full Content-Length, send half the body, close.
    public var truncateFraction: Double
    /// When set, faults are drawn only for requests whose SOAP text contains it (an action
    /// name such as `RequestStateChange`); every other request is answered.
    public var onlyMatching: String?

    /// No faults.
    public static let none = SimulatorFaults()

    /// Creates a fault profile.
    public init(latencyMilliseconds: Int = 0, resetFraction: Double = 0, hangFraction: Double = 0, failFraction: Double = 0,
                malformedFraction: Double = 0, truncateFraction: Double = 0, onlyMatching: String? = nil) {
        self.onlyMatching = onlyMatching
        self.latencyMilliseconds = latencyMilliseconds
        self.resetFraction = resetFraction
        self.hangFraction = hangFraction
        self.failFraction = failFraction
        self.malformedFraction = malformedFraction
        self.truncateFraction = truncateFraction
    }

    /// What to do with one request.
    public enum Decision: Sendable, Equatable { case answer, reset, hang, fail, malformed, truncate }

    /// Draws the decision for one request (its SOAP text, for `onlyMatching`).
    public func decide<Generator: RandomNumberGenerator>(for request: [UInt8], using generator: inout Generator) -> Decision {
        if let onlyMatching, !String(decoding: request, as: UTF8.self).contains(onlyMatching) { return .answer }
        let table: [(Double, Decision)] = [(resetFraction, .reset), (hangFraction, .hang), (failFraction, .fail),
                                           (malformedFraction, .malformed), (truncateFraction, .truncate)]
        for (fraction, decision) in table where fraction > 0 {
            if fraction >= 1 || Double.random(in: 0..<1, using: &generator) < fraction { return decision }
        }
        return .answer
    }

    /// Checks that every fraction is within 0…1 and the latency is not negative.
    public func validate() throws(SimulatorError) {
        for (name, value) in [("reset", resetFraction), ("hang", hangFraction), ("fail", failFraction),
                              ("malformed", malformedFraction), ("truncate", truncateFraction)] where !(0...1).contains(value) {
            throw SimulatorError("the \(name) fraction must be between 0 and 1, not \(value)")
        }
        guard latencyMilliseconds >= 0 else { throw SimulatorError("latency must not be negative") }
    }
}
