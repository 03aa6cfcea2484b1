#if canImport(Glibc)
import Glibc
#endif

/// Joins the expositions of several swift-prometheus registries into one in which every family
/// appears once: its `# HELP`/`# TYPE` lines (from the first registry that has it), then the
/// samples of every registry, as the text format requires. Sample lines are the registries' own,
/// byte for byte; only whole family blocks are moved.
struct ExpositionMerger {
    private var order: [String] = []
    private var families: [String: [UInt8]] = [:]

    /// Adds one registry's exposition.
    mutating func add(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            let count = buffer.count
            /// The index just past the line that starts at `start` (its newline included).
            func lineEnd(_ start: Int) -> Int {
                guard let found = memchr(base + start, Int32(UInt8(ascii: "\n")), count - start) else { return count }
                return base.distance(to: found.assumingMemoryBound(to: UInt8.self)) + 1
            }
            func starts(_ at: Int, with prefix: StaticString) -> Bool {
                at + prefix.utf8CodeUnitCount <= count && memcmp(base + at, prefix.utf8Start, prefix.utf8CodeUnitCount) == 0
            }
            var start = 0
            var help: Int?
            var family: String?
            while start < count {
                let end = lineEnd(start)
                if base[start] != UInt8(ascii: "#") {
                    // Samples run up to the next comment line; they belong to the family named last.
                    var blockEnd = end
                    while blockEnd < count && base[blockEnd] != UInt8(ascii: "#") { blockEnd = lineEnd(blockEnd) }
                    if let family { families[family]!.append(contentsOf: buffer[start..<blockEnd]) }
                    start = blockEnd
                    continue
                }
                if starts(start, with: "# HELP ") {
                    help = start
                } else if starts(start, with: "# TYPE ") {
                    var nameEnd = start + 7
                    while nameEnd < end && base[nameEnd] != UInt8(ascii: " ") { nameEnd += 1 }
                    let name = String(decoding: buffer[(start + 7)..<nameEnd], as: UTF8.self)
                    if families[name] == nil {
                        order.append(name)
                        families[name] = Array(buffer[(help ?? start)..<end])
                    }
                    family = name
                    help = nil
                }
                start = end
            }
        }
    }

    /// The joined exposition.
    func bytes() -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(families.values.reduce(0) { $0 + $1.count })
        for name in order { result.append(contentsOf: families[name]!) }
        return result
    }
}
