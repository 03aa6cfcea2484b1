/// A JSON string (RFC 8259 §7) read from bytes: the one decoder of escapes, surrogate pairs and
/// UTF-8 shared by the project's JSON readers — JSONRPC's `JSONParser` (trees, for any params)
/// and `JSONCursor` (answers of a known shape).
public enum JSONString {
    /// Why the bytes are not a JSON string.
    public enum Failure: Error, Sendable, Equatable {
        case controlCharacter, unterminated, invalidEscape, invalidUnicodeEscape, unpairedSurrogate, invalidUTF8, endOfInput

        /// The parser's words for it.
        public var reason: String {
            switch self {
            case .controlCharacter: "control character in a string"
            case .unterminated: "unterminated string"
            case .invalidEscape: "invalid escape"
            case .invalidUnicodeEscape: "invalid \\u escape"
            case .unpairedSurrogate: "unpaired surrogate"
            case .invalidUTF8: "invalid UTF-8 in a string"
            case .endOfInput: "unexpected end of input"
            }
        }
    }

    /// Reads the string whose opening quote is just before `index`, and moves `index` past its
    /// closing quote; on a failure `index` is where the reading stopped. Inlinable: it sits on
    /// the path of every JSON-RPC request.
    @inlinable
    public static func read(_ bytes: UnsafeRawBufferPointer, at index: inout Int) -> Result<String, Failure> {
        let start = index
        // Fast path: no escapes (and, commonly, nothing but ASCII, which needs no validating).
        var ascii = true
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let raw = UnsafeRawBufferPointer(rebasing: bytes[start..<index])
                index += 1
                if ascii { return .success(String(decoding: raw, as: UTF8.self)) }
                return validated(raw)
            }
            if byte == UInt8(ascii: "\\") { break }
            guard byte >= 0x20 else { return .failure(.controlCharacter) }
            ascii = ascii && byte < 0x80
            index += 1
        }
        var utf8: [UInt8] = Array(bytes[start..<index])
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return validated(utf8)
            case UInt8(ascii: "\\"):
                index += 1
                guard index < bytes.count else { return .failure(.endOfInput) }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(escape)
                case UInt8(ascii: "b"): utf8.append(0x08)
                case UInt8(ascii: "f"): utf8.append(0x0C)
                case UInt8(ascii: "n"): utf8.append(0x0A)
                case UInt8(ascii: "r"): utf8.append(0x0D)
                case UInt8(ascii: "t"): utf8.append(0x09)
                case UInt8(ascii: "u"):
                    guard var code = hex4(bytes, at: &index) else { return .failure(index + 4 > bytes.count ? .endOfInput : .invalidUnicodeEscape) }
                    if (0xD800...0xDBFF).contains(code) {
                        guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                            return .failure(.unpairedSurrogate)
                        }
                        index += 2
                        guard let low = hex4(bytes, at: &index) else { return .failure(.invalidUnicodeEscape) }
                        guard (0xDC00...0xDFFF).contains(low) else { return .failure(.unpairedSurrogate) }
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00...0xDFFF).contains(code) {
                        return .failure(.unpairedSurrogate)
                    }
                    guard let scalar = Unicode.Scalar(code) else { return .failure(.invalidEscape) }
                    utf8.append(contentsOf: Array(String(Character(scalar)).utf8))
                default:
                    return .failure(.invalidEscape)
                }
            default:
                guard byte >= 0x20 else { return .failure(.controlCharacter) }
                utf8.append(byte)
                index += 1
            }
        }
        return .failure(.unterminated)
    }

    /// Four hex digits at `index`, which moves past them; nil (and `index` unmoved past the
    /// last good digit) otherwise.
    @usableFromInline
    static func hex4(_ bytes: UnsafeRawBufferPointer, at index: inout Int) -> UInt32? {
        guard index + 4 <= bytes.count else { return nil }
        var code: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            code = code << 4 | UInt32(digit)
            index += 1
        }
        return code
    }

    @usableFromInline
    static func validated(_ utf8: some Collection<UInt8>) -> Result<String, Failure> {
        guard let text = String(validating: utf8, as: UTF8.self) else { return .failure(.invalidUTF8) }
        return .success(text)
    }
}
