/// GUID spellings: Hyper-V writes `Msvm_ComputerSystem.Name` in uppercase without braces,
/// libvirt sends lowercase; comparisons are case-insensitive (as WQL string comparison is).
public enum GUIDText {
    /// The GUID in lowercase 8-4-4-4-12 form, or nil when `text` (braces allowed) is not one.
    public static func normalized(_ text: String) -> String? {
        var body = Substring(text)
        if body.hasPrefix("{") && body.hasSuffix("}") { body = body.dropFirst().dropLast() }
        let groups = body.split(separator: "-", omittingEmptySubsequences: false)
        guard groups.map(\.count) == [8, 4, 4, 4, 12] else { return nil }
        guard body.allSatisfy({ $0 == "-" || $0.isHexDigit }) else { return nil }
        return body.lowercased()
    }

    /// A deterministic GUID from a seed, for generated inventories and derived identifiers.
    public static func derived(_ seed: String) -> String {
        // FNV-1a over the seed, twice with different offsets, gives 128 stable bits.
        func fnv(_ offset: UInt64) -> UInt64 {
            var hash = offset
            for byte in seed.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100000001b3 }
            return hash
        }
        let high = fnv(0xcbf29ce484222325), low = fnv(0x84222325cbf29ce4)
        func hex(_ value: UInt64, _ digits: Int) -> String {
            let text = String(value, radix: 16)
            return String(repeating: "0", count: max(0, digits - text.count)) + text.suffix(digits)
        }
        let h = hex(high, 16), l = hex(low, 16)
        return "\(h.prefix(8))-\(h.dropFirst(8).prefix(4))-4\(h.dropFirst(13).prefix(3))-a\(l.prefix(3))-\(l.dropFirst(4))"
    }
}
