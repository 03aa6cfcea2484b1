import BrokerCore
import Testing

@Suite("Rates integrated into totals")
struct RateIntegratorTests {
    let key = RateIntegrator.Key(uuid: "vm", figure: "cpu")

    @Test func theFirstSampleStartsAtZeroAndEachAddsTheMeanRateTimesTheTime() {
        let integrator = RateIntegrator()
        let start = ContinuousClock.now
        #expect(integrator.total(key, rate: 100, now: start) == 0)
        // 100/s then 300/s over 2 s: the mean, 200/s, for 2 s.
        #expect(integrator.total(key, rate: 300, now: start + .seconds(2)) == 400)
        #expect(integrator.total(key, rate: 300, now: start + .seconds(3)) == 700)
    }

    @Test func totalsNeverGoBackwardsWhateverTheRatesOrClock() {
        let integrator = RateIntegrator()
        let start = ContinuousClock.now
        var last: UInt64 = 0
        for (step, rate) in [50.0, -10, .nan, .infinity, 0, 1e6, 3].enumerated() {
            let total = integrator.total(key, rate: rate, now: start + .milliseconds(500 * step))
            #expect(total >= last)
            last = total
        }
        // A sample from before the last one adds nothing.
        #expect(integrator.total(key, rate: 10, now: start) == last)
    }

    @Test func aVMLeftOutOfRetainStartsAgainFromZero() {
        let integrator = RateIntegrator()
        let start = ContinuousClock.now
        let other = RateIntegrator.Key(uuid: "other", figure: "cpu")
        _ = integrator.total(key, rate: 10, now: start)
        _ = integrator.total(other, rate: 10, now: start)
        #expect(integrator.total(key, rate: 10, now: start + .seconds(10)) == 100)
        integrator.retain(only: ["other"])
        #expect(integrator.total(key, rate: 10, now: start + .seconds(20)) == 0)
        #expect(integrator.total(other, rate: 10, now: start + .seconds(20)) == 200)
    }

    @Test func absurdRatesSaturateInsteadOfTrapping() {
        let integrator = RateIntegrator()
        let start = ContinuousClock.now
        _ = integrator.total(key, rate: 1e300, now: start)
        #expect(integrator.total(key, rate: 1e300, now: start + .seconds(10)) == .max)
        #expect(UInt64(saturating: .nan) == 0 && UInt64(saturating: -5) == 0 && UInt64(saturating: 1e30) == .max && UInt64(saturating: 7.9) == 7)
        #expect(UInt64.max.saturatingMultiplied(by: 1024) == .max && UInt64(3).saturatingMultiplied(by: 1024) == 3072)
    }
}
