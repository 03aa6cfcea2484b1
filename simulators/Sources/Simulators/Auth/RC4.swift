/// RC4, the stream cipher of NTLM sealing (MS-NLMP 3.4.4); a handle keeps its state across messages.
struct RC4 {
    private var state: [UInt8] = Array(0...255)
    private var i: UInt8 = 0
    private var j: UInt8 = 0

    /// A handle keyed with `key` (1…256 bytes).
    init(key: [UInt8]) {
        var j: UInt8 = 0
        for index in 0..<256 {
            j = j &+ state[index] &+ key[index % key.count]
            state.swapAt(index, Int(j))
        }
    }

    /// Encrypts or decrypts `data`, advancing the stream.
    mutating func process(_ data: [UInt8]) -> [UInt8] {
        var out = data
        for index in out.indices {
            i = i &+ 1
            j = j &+ state[Int(i)]
            state.swapAt(Int(i), Int(j))
            out[index] ^= state[Int(state[Int(i)] &+ state[Int(j)])]
        }
        return out
    }
}
