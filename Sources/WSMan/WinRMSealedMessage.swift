import Foundation

/// WinRM message encryption over http (MS-WSMV 2.2.9.1.1): a `multipart/encrypted` body of two
/// parts — the protocol and the original SOAP length, then a 4-byte little-endian header
/// length, the wrap token's header and the sealed SOAP — closed by `--Encrypted Boundary--`.
enum WinRMSealedMessage {
    /// The part protocol: SPNEGO for Negotiate (NTLM or Kerberos inside), Kerberos when spoken directly.
    static func protocolName(kerberosDirect: Bool) -> String {
        kerberosDirect ? "application/HTTP-Kerberos-session-encrypted" : "application/HTTP-SPNEGO-session-encrypted"
    }

    /// The request's Content-Type.
    static func contentType(_ protocolName: String) -> String {
        "multipart/encrypted;protocol=\"\(protocolName)\";boundary=\"Encrypted Boundary\""
    }

    private static let boundary = Array("--Encrypted Boundary".utf8)
    private static let octetStream = Array("\tContent-Type: application/octet-stream\r\n".utf8)

    /// The body for `header` and `sealed`, the wrapping of `length` bytes of SOAP.
    static func encode(header: [UInt8], sealed: [UInt8], length: Int, protocolName: String) -> [UInt8] {
        var out = boundary + Array("\r\n\tContent-Type: \(protocolName)\r\n\tOriginalContent: type=application/soap+xml;charset=UTF-8;Length=\(length)\r\n".utf8)
        out += boundary + [13, 10] + octetStream
        let count = UInt32(header.count)
        out += [UInt8(count & 0xff), UInt8(count >> 8 & 0xff), UInt8(count >> 16 & 0xff), UInt8(count >> 24 & 0xff)]
        out += header + sealed
        return out + boundary + Array("--\r\n".utf8)
    }

    /// Whether an answer's Content-Type says its body is sealed.
    static func isSealed(contentType: String?) -> Bool {
        contentType?.lowercased().hasPrefix("multipart/encrypted") == true
    }

    /// Where the parts of a sealed body are: the announced length of the SOAP, and the wrap
    /// token (its header, `headerLength` bytes, then the sealed SOAP) as a range of `body`, so
    /// that it is opened where it lies; nil when it is not framed as WinRM frames it.
    static func decode(_ body: [UInt8]) -> (length: Int, token: Range<Int>, headerLength: Int)? {
        let marker = Array("Length=".utf8)
        guard let at = find(marker, in: body, from: 0) else { return nil }
        var index = at + marker.count, length = 0
        while index < body.count, (48...57).contains(body[index]) {
            length = length * 10 + Int(body[index] - 48)
            index += 1
            guard length < 1 << 30 else { return nil }
        }
        guard let second = find(boundary + [13, 10], in: body, from: index) else { return nil }
        var start = second + boundary.count + 2
        // The part's own header lines, up to the payload (WinRM writes one: its Content-Type).
        guard let lineEnd = find([13, 10], in: body, from: start), body[start..<lineEnd].contains(UInt8(ascii: ":")) else { return nil }
        start = lineEnd + 2
        let closing = boundary + Array("--\r\n".utf8)
        var end = body.count
        if body.count >= closing.count, body[(body.count - closing.count)...].elementsEqual(closing) { end -= closing.count }
        guard end - start >= 4 else { return nil }
        let headerLength = Int(body[start]) | Int(body[start + 1]) << 8 | Int(body[start + 2]) << 16 | Int(body[start + 3]) << 24
        guard headerLength > 0, headerLength <= 1024, end - start >= 4 + headerLength else { return nil }
        return (length, (start + 4)..<end, headerLength)
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count, start <= haystack.count - needle.count else { return nil }
        for index in start...(haystack.count - needle.count) where haystack[index] == needle[0] {
            if haystack[index..<(index + needle.count)].elementsEqual(needle) { return index }
        }
        return nil
    }
}
