import Foundation

/// A simulated VM's load: deterministic per VM (seeded by its GUID, lowercase), smooth in time.
/// Each rate follows `r(t) = base·(1 + a·sin(ωt + φ))` with `a < 1`, its base, amplitude, period
/// and phase drawn from the seed, so the cumulative amount (the integral from the VM's start)
/// only grows, and two VMs differ. `t` is the VM's running time in seconds.
struct VMWorkload: Sendable {
    /// What is measured.
    enum Channel: String, Sendable, CaseIterable {
        case diskRead, diskWrite, networkReceived, networkSent

        /// The range of the base rate, bytes per second (drawn log-uniformly).
        var baseRange: (low: Double, high: Double) {
            switch self {
            case .diskRead: (256 * 1024, 24 * 1024 * 1024)
            case .diskWrite: (128 * 1024, 8 * 1024 * 1024)
            case .networkReceived: (16 * 1024, 4 * 1024 * 1024)
            case .networkSent: (8 * 1024, 2 * 1024 * 1024)
            }
        }
    }

    /// One sinusoidal rate.
    struct Wave: Sendable {
        let base: Double, amplitude: Double, omega: Double, phase: Double

        func rate(at t: Double) -> Double { base * (1 + amplitude * sin(omega * t + phase)) }

        /// ∫₀ᵗ rate.
        func total(over t: Double) -> Double {
            guard t > 0 else { return 0 }
            return base * (t + amplitude / omega * (cos(phase) - cos(omega * t + phase)))
        }
    }

    /// The seed (the VM's GUID in lowercase, or SCVMM's ID when there is no VM GUID).
    let seed: String

    /// Creates the workload of the VM identified by `seed`.
    init(seed: String) { self.seed = seed.lowercased() }

    /// A deterministic fraction in [0, 1) for `key` (FNV-1a over seed and key).
    func fraction(_ key: String) -> Double {
        var hash: UInt64 = 0xcbf29ce484222325
        for byte in (seed + "/" + key).utf8 { hash = (hash ^ UInt64(byte)) &* 0x100000001b3 }
        hash ^= hash >> 29
        hash = hash &* 0xbf58476d1ce4e5b9
        hash ^= hash >> 32
        return Double(hash >> 11) / Double(1 << 53)
    }

    private func wave(_ key: String, low: Double, high: Double) -> Wave {
        let base = low * pow(high / low, fraction(key + "/base"))
        let period = 60 + 240 * fraction(key + "/period")
        return Wave(base: base, amplitude: 0.3 + 0.5 * fraction(key + "/amplitude"), omega: 2 * Double.pi / period,
                    phase: 2 * Double.pi * fraction(key + "/phase"))
    }

    /// The byte rate of `channel` on device `device` (a disk's or an adapter's index).
    func wave(_ channel: Channel, device: Int) -> Wave {
        wave("\(channel.rawValue)/\(device)", low: channel.baseRange.low, high: channel.baseRange.high)
    }

    /// Bytes moved on the device from the VM's start until `t` seconds later.
    func bytes(_ channel: Channel, device: Int, over t: Double) -> UInt64 {
        UInt64(max(0, wave(channel, device: device).total(over: t)).rounded(.down))
    }

    /// The average byte rate over the last `window` seconds before `t` (the last sample).
    func sampledRate(_ channel: Channel, device: Int, at t: Double, window: Double = 10) -> Double {
        let span = min(window, t)
        guard span > 0 else { return wave(channel, device: device).rate(at: 0) }
        let wave = wave(channel, device: device)
        return (wave.total(over: t) - wave.total(over: t - span)) / span
    }

    /// The size of one I/O (bytes) on a disk, 4–64 KiB for reads, 8–128 KiB for writes.
    func ioSize(_ channel: Channel, device: Int) -> Double {
        let low: Double = channel == .diskRead ? 4096 : 8192
        return low * pow(16, fraction("\(channel.rawValue)/\(device)/io")).rounded()
    }

    /// The mean packet size (bytes) on an adapter, 300–1500.
    func packetSize(_ channel: Channel, device: Int) -> Double {
        300 + 1200 * fraction("\(channel.rawValue)/\(device)/packet")
    }

    /// One dropped packet per this many packets, 20,000–200,000.
    func dropInterval(_ channel: Channel, device: Int) -> Double {
        20_000 + 180_000 * fraction("\(channel.rawValue)/\(device)/drop")
    }

    /// Processor load in percent of the VM's virtual processors (0–100) at `t`.
    func processorLoad(at t: Double) -> Int {
        let load = wave("cpu", low: 5, high: 65)
        let jitter = wave("cpu/fast", low: 1, high: 4)
        let value = load.rate(at: t) + (jitter.rate(at: 7 * t) - jitter.base)
        return Int(min(100, max(0, value)).rounded())
    }

    /// Memory in use (MiB) at `t`: the startup memory with static memory; with dynamic memory a
    /// demand that moves between about 60 % of the startup memory and the maximum.
    func memoryUsage(startupMiB: Int, maximumMiB: Int, at t: Double) -> Int {
        guard maximumMiB > startupMiB else { return startupMiB }
        let base = 0.65 + 0.35 * fraction("memory/base")
        let period = 120 + 480 * fraction("memory/period")
        let demand = base + 0.15 * sin(2 * Double.pi * (t / period + fraction("memory/phase")))
        return min(maximumMiB, max(1, Int((Double(startupMiB) * demand).rounded())))
    }
}
