import Testing
@testable import WSMan

@Suite("WinRM's multipart/encrypted framing")
struct SealedMessageTests {
    @Test func aSealedBodyIsFramedAsWindowsFramesItAndReadBack() throws {
        let header = [UInt8](repeating: 0xAB, count: 60), sealed = Array("ciphertext".utf8)
        let protocolName = WinRMSealedMessage.protocolName(kerberosDirect: true)
        let body = WinRMSealedMessage.encode(header: header, sealed: sealed, length: 1234, protocolName: protocolName)
        let text = String(decoding: body, as: UTF8.self)
        #expect(text.hasPrefix("--Encrypted Boundary\r\n\tContent-Type: application/HTTP-Kerberos-session-encrypted\r\n"
            + "\tOriginalContent: type=application/soap+xml;charset=UTF-8;Length=1234\r\n--Encrypted Boundary\r\n\tContent-Type: application/octet-stream\r\n"))
        #expect(text.hasSuffix("--Encrypted Boundary--\r\n"))
        let parts = try #require(WinRMSealedMessage.decode(body))
        #expect(parts.length == 1234 && parts.headerLength == header.count)
        #expect(Array(body[parts.token]) == header + sealed)
        #expect(WinRMSealedMessage.contentType(protocolName) == "multipart/encrypted;protocol=\"application/HTTP-Kerberos-session-encrypted\";boundary=\"Encrypted Boundary\"")
        #expect(WinRMSealedMessage.isSealed(contentType: "multipart/encrypted;protocol=\"application/HTTP-SPNEGO-session-encrypted\""))
        #expect(!WinRMSealedMessage.isSealed(contentType: "application/soap+xml;charset=UTF-8"))
    }

    @Test(arguments: [
        "", "no length here", "--Encrypted Boundary\r\nLength=12\r\n",
        "Length=5\r\n--Encrypted Boundary\r\n\tContent-Type: application/octet-stream\r\n\u{0}\u{0}\u{0}\u{0}",
        "Length=5\r\n--Encrypted Boundary\r\n\tContent-Type: application/octet-stream\r\n\u{ff}\u{ff}\u{0}\u{0}abc",
        "Length=99999999999999\r\n--Encrypted Boundary\r\n",
    ])
    func hostileFramingIsRefusedNotTrusted(body: String) {
        #expect(WinRMSealedMessage.decode(Array(body.utf8)) == nil)
    }
}
