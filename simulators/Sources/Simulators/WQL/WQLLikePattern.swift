/// A WQL `LIKE` pattern: `%` any run, `_` one character, `[abc]`, `[a-z]`, `[^a]` sets;
/// matching is case-insensitive. A `[` with no closing `]` is a literal `[`.
struct WQLLikePattern {
    private enum Element {
        case any, one, literal(Character), set([ClosedRange<Character>], negated: Bool)
    }

    private let elements: [Element]

    init(_ pattern: String) {
        var elements: [Element] = []
        let characters = Array(pattern.lowercased())
        var index = 0
        while index < characters.count {
            let character = characters[index]
            switch character {
            case "%": elements.append(.any)
            case "_": elements.append(.one)
            case "[":
                if let close = characters[(index + 1)...].firstIndex(of: "]"), close > index + 1 {
                    var body = Array(characters[(index + 1)..<close])
                    let negated = body.first == "^" && body.count > 1
                    if negated { body.removeFirst() }
                    var ranges: [ClosedRange<Character>] = []
                    var cursor = 0
                    while cursor < body.count {
                        if cursor + 2 < body.count, body[cursor + 1] == "-", body[cursor] <= body[cursor + 2] {
                            ranges.append(body[cursor]...body[cursor + 2])
                            cursor += 3
                        } else {
                            ranges.append(body[cursor]...body[cursor])
                            cursor += 1
                        }
                    }
                    elements.append(.set(ranges, negated: negated))
                    index = close
                } else {
                    elements.append(.literal("["))
                }
            default: elements.append(.literal(character))
            }
            index += 1
        }
        self.elements = elements
    }

    /// Whether `text` matches the whole pattern.
    func matches(_ text: String) -> Bool {
        let characters = Array(text.lowercased())
        // Dynamic programming over (pattern position, text position): no exponential backtracking.
        var reachable = [Bool](repeating: false, count: characters.count + 1)
        reachable[0] = true
        for element in elements {
            var next = [Bool](repeating: false, count: characters.count + 1)
            for position in 0...characters.count where reachable[position] {
                switch element {
                case .any:
                    for later in position...characters.count { next[later] = true }
                case .one:
                    if position < characters.count { next[position + 1] = true }
                case .literal(let expected):
                    if position < characters.count, characters[position] == expected { next[position + 1] = true }
                case .set(let ranges, let negated):
                    if position < characters.count, ranges.contains(where: { $0.contains(characters[position]) }) != negated {
                        next[position + 1] = true
                    }
                }
            }
            reachable = next
        }
        return reachable[characters.count]
    }
}
