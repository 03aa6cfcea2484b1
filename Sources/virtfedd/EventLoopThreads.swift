import Foundation
import NIOCore

/// How many event-loop threads the daemon runs: one per CPU it may use. NIO counts the
/// machine's CPUs (or its cgroup's quota); a CPU affinity mask (`taskset`, systemd's
/// `CPUAffinity=`) narrows that further here, so that a daemon confined to one CPU runs one
/// loop rather than several threads taking turns on it.
enum EventLoopThreads {
    static var count: Int {
        max(1, min(System.coreCount, affinityCount ?? .max))
    }

    /// The CPUs in this process's affinity mask (`Cpus_allowed` in /proc/self/status, a hex
    /// mask in comma-separated groups); nil when it cannot be read.
    static var affinityCount: Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Cpus_allowed:") }) else { return nil }
        var count = 0
        for digit in line.dropFirst("Cpus_allowed:".count) where digit.isHexDigit {
            count += digit.hexDigitValue!.nonzeroBitCount
        }
        return count > 0 ? count : nil
    }
}
