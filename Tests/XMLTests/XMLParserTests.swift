import Testing
import XML

@Suite("XML from untrusted peers")
struct XMLParserTests {
    let pull = """
        <s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:n="http://schemas.xmlsoap.org/ws/2004/09/enumeration">
          <s:Body><n:PullResponse><n:Items>
            <p:Msvm_ComputerSystem xmlns:p="http://schemas.microsoft.com/wbem/wsman/1/wmi/root/virtualization/v2/Msvm_ComputerSystem">
              <p:ElementName>web &amp; db</p:ElementName><p:EnabledState>2</p:EnabledState>
              <p:Name xsi:nil="true" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/>
            </p:Msvm_ComputerSystem>
          </n:Items><n:EndOfSequence/></n:PullResponse></s:Body>
        </s:Envelope>
        """

    @Test func namespacesTextAndAttributes() throws {
        let root = try XMLParser.parse(Array(pull.utf8))
        #expect(root.name == "Envelope" && root.namespace == "http://www.w3.org/2003/05/soap-envelope")
        let system = try #require(root.path("Body", "PullResponse", "Items", "Msvm_ComputerSystem"))
        #expect(system.namespace == "http://schemas.microsoft.com/wbem/wsman/1/wmi/root/virtualization/v2/Msvm_ComputerSystem")
        #expect(system.child("ElementName")?.text == "web & db")
        #expect(system.child("EnabledState")?.text == "2")
        #expect(system.child("Name")?.attributes["nil"] == "true")
        #expect(root.descendant("EndOfSequence") != nil)
    }

    @Test func billionLaughsIsRefusedWithoutExpanding() {
        let bomb = """
            <?xml version="1.0"?>
            <!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
            <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
            <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
            <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
            <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
            <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
            <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
            <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]>
            <lolz>&lol9;</lolz>
            """
        #expect(throws: XMLError("XML with a document type declaration is refused")) {
            try XMLParser.parse(Array(bomb.utf8))
        }
    }

    @Test func anExternalEntityNamingALocalFileIsNeverRead() {
        let xxe = """
            <?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>
            """
        #expect(throws: XMLError("XML with a document type declaration is refused")) {
            try XMLParser.parse(Array(xxe.utf8))
        }
        // Even an undeclared reference to it is refused, never resolved.
        #expect(throws: XMLError.self) { try XMLParser.parse(Array("<r>&x;</r>".utf8)) }
    }

    @Test func sizeDepthAndMalformedInput() {
        #expect(throws: XMLError("XML document of 2048 bytes exceeds the 1024-byte limit")) {
            try XMLParser.parse([UInt8](repeating: UInt8(ascii: " "), count: 2048), maxBytes: 1024)
        }
        let deep = String(repeating: "<a>", count: 100) + String(repeating: "</a>", count: 100)
        #expect(throws: XMLError("XML nested deeper than 64 levels")) { try XMLParser.parse(Array(deep.utf8)) }
        #expect(throws: XMLError.self) { try XMLParser.parse(Array("<a><b></a>".utf8)) }
        #expect(throws: XMLError("empty XML document")) { try XMLParser.parse([UInt8]()) }
        #expect(throws: XMLError.self) { try XMLParser.parse(Array("<a>".utf8).prefix(2)) }
    }

    @Test func escapingRoundTrips() throws {
        let hostile = "a<b>&\"quotes\"'apos'\u{1}]]>"
        let root = try XMLParser.parse(Array("<v x=\"\(hostile.xmlEscaped)\">\(hostile.xmlEscaped)</v>".utf8))
        #expect(root.text == "a<b>&\"quotes\"'apos']]>")
        #expect(root.attributes["x"] == "a<b>&\"quotes\"'apos']]>")
    }
}
