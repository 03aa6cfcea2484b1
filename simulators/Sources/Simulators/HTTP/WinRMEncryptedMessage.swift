/// WinRM message encryption over http (MS-WSMV 2.2.9.1.1, as pywinrm frames it): a
/// `multipart/encrypted` body of two parts — the original length, then a 4-byte little-endian
/// signature length, the signature and the sealed SOAP text — closed by `--Encrypted Boundary--`.
enum WinRMEncryptedMessage {
    static let protocolName = "application/HTTP-SPNEGO-session-encrypted"
    /// Kerberos spoken directly (not inside SPNEGO).
    static let kerberosProtocolName = "application/HTTP-Kerberos-session-encrypted"
    /// The Content-Type of an encrypted request or reply.
    static let contentType = contentType(protocolName)

    /// The Content-Type of a body sealed under `protocolName`.
    static func contentType(_ protocolName: String) -> String {
        "multipart/encrypted;protocol=\"\(protocolName)\";boundary=\"Encrypted Boundary\""
    }

    /// The protocol a request's Content-Type names.
    static func protocolName(in contentType: String) -> String {
        contentType.lowercased().contains(kerberosProtocolName.lowercased()) ? kerberosProtocolName : protocolName
    }
    private static let boundary = Array("--Encrypted Boundary".utf8)
    private static let octetStream = Array("\tContent-Type: application/octet-stream\r\n".utf8)

    /// Whether a request's Content-Type announces an encrypted body.
    static func isEncrypted(contentType: String?) -> Bool {
        guard let type = contentType?.lowercased() else { return false }
        return type.hasPrefix("multipart/encrypted") && (type.contains(protocolName.lowercased()) || type.contains(kerberosProtocolName.lowercased()))
    }

    /// The parts of an encrypted body, or nil when it is not framed as expected.
    static func decode(_ body: [UInt8]) -> (length: Int, signature: [UInt8], sealed: [UInt8])? {
        let lengthMarker = Array("Length=".utf8)
        guard let lengthAt = find(lengthMarker, in: body, from: 0) else { return nil }
        var index = lengthAt + lengthMarker.count, length = 0
        while index < body.count, (48...57).contains(body[index]) {
            length = length * 10 + Int(body[index] - 48)
            index += 1
            guard length < 1 << 30 else { return nil }
        }
        guard let second = find(boundary + [13, 10], in: body, from: index),
              body[(second + boundary.count + 2)...].starts(with: octetStream) else { return nil }
        let payloadStart = second + boundary.count + 2 + octetStream.count
        let closing = boundary + Array("--\r\n".utf8)
        var payloadEnd = body.count
        if body.count >= closing.count, Array(body.suffix(closing.count)) == closing { payloadEnd -= closing.count }
        guard payloadEnd - payloadStart >= 4 else { return nil }
        let signatureLength = Int(body[payloadStart]) | Int(body[payloadStart + 1]) << 8 | Int(body[payloadStart + 2]) << 16 | Int(body[payloadStart + 3]) << 24
        // NTLM's signature is 16 bytes; a Kerberos wrap token's header is longer.
        guard (16...1024).contains(signatureLength), payloadEnd - payloadStart >= 4 + signatureLength else { return nil }
        let signature = Array(body[(payloadStart + 4)..<(payloadStart + 4 + signatureLength)])
        return (length, signature, Array(body[(payloadStart + 4 + signatureLength)..<payloadEnd]))
    }

    /// An encrypted body for a sealed message of `length` plaintext bytes.
    static func encode(signature: [UInt8], sealed: [UInt8], length: Int, protocolName: String = protocolName) -> [UInt8] {
        var out = boundary + Array("\r\n\tContent-Type: \(protocolName)\r\n\tOriginalContent: type=application/soap+xml;charset=UTF-8;Length=\(length)\r\n".utf8)
        out += boundary + [13, 10] + octetStream
        var signatureLength: [UInt8] = []
        signatureLength.appendLE32(UInt32(signature.count))
        out += signatureLength + signature + sealed
        return out + boundary + Array("--\r\n".utf8)
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count, start <= haystack.count - needle.count else { return nil }
        for index in start...(haystack.count - needle.count) where haystack[index] == needle[0] {
            if haystack[index..<(index + needle.count)].elementsEqual(needle) { return index }
        }
        return nil
    }
}
