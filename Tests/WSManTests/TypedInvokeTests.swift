import Testing
import WSMan
import XML

@Suite("Invoke with references and embedded instances")
struct TypedInvokeTests {
    let v2 = "http://schemas.microsoft.com/wbem/wsman/1/wmi/root/virtualization/v2/"

    func reply(_ method: String, _ inner: String) -> WSManHTTPResponse {
        WSManHTTPResponse(status: 200, body: Hyperv.envelope(action: "x", body: """
            <p:\(method)_OUTPUT xmlns:p="\(v2)Msvm_VirtualSystemManagementService">\(inner)<p:ReturnValue>0</p:ReturnValue></p:\(method)_OUTPUT>
            """))
    }

    @Test func anEndpointReferenceParameterCarriesAddressResourceURIAndSelectors() async throws {
        let transport = RecordedTransport(answers: [reply("DestroySystem", "")])
        let client = WSManClient(transport: transport, endpoint: Hyperv.endpoint)
        let system = WSManEndpointReference(resourceURI: v2 + "Msvm_ComputerSystem",
                                            selectors: [.init("CreationClassName", "Msvm_ComputerSystem"), .init("Name", "A&B")])
        _ = try await client.invoke(classURI: v2 + "Msvm_VirtualSystemManagementService", method: "DestroySystem",
                                    selectors: [("CreationClassName", "Msvm_VirtualSystemManagementService")],
                                    typed: [.reference("AffectedSystem", system)])
        let sent = try SentEnvelope(transport.requests[0])
        let parameter = try #require(sent.body?.child("DestroySystem_INPUT")?.child("AffectedSystem"))
        #expect(parameter.namespace == v2 + "Msvm_VirtualSystemManagementService")
        #expect(parameter.child("Address")?.namespace == WSManNamespace.addressing)
        #expect(parameter.child("Address")?.text == WSManNamespace.anonymous)
        #expect(parameter.path("ReferenceParameters", "ResourceURI")?.text == v2 + "Msvm_ComputerSystem")
        #expect(parameter.path("ReferenceParameters", "ResourceURI")?.namespace == WSManNamespace.wsman)
        let selectors = parameter.path("ReferenceParameters", "SelectorSet")?.children.map { "\($0.attributes["Name"] ?? "")=\($0.text)" }
        #expect(selectors == ["CreationClassName=Msvm_ComputerSystem", "Name=A&B"])
        // Read back as a reference, as an _OUTPUT's ResultingSystem is.
        #expect(WSManEndpointReference(parameter) == system)
    }

    @Test func embeddedInstancesAreCIMXMLInCDATAAndRepeatAsArrays() async throws {
        let transport = RecordedTransport(answers: [reply("ModifyResourceSettings", "")])
        let client = WSManClient(transport: transport, endpoint: Hyperv.endpoint)
        let cpu = WMIEmbeddedInstance(className: "Msvm_ProcessorSettingData", properties: [
            .init("InstanceID", #"Microsoft:G\B637\0"#), .init("VirtualQuantity", "4", type: "uint64")])
        let vssd = WMIEmbeddedInstance(className: "Msvm_VirtualSystemSettingData", properties: [
            .init("ElementName", "a]]>b <&> 'q'"), .init("Notes", array: ["one", "two"]), .init("Parent", nil)])
        _ = try await client.invoke(classURI: v2 + "Msvm_VirtualSystemManagementService", method: "ModifyResourceSettings",
                                    selectors: [], typed: [.instance("ResourceSettings", cpu), .instance("ResourceSettings", vssd)])
        let text = transport.requestTexts[0]
        #expect(text.contains(#"<p:ResourceSettings><![CDATA[<INSTANCE CLASSNAME="Msvm_ProcessorSettingData"><PROPERTY NAME="InstanceID" TYPE="string"><VALUE>Microsoft:G\B637\0</VALUE></PROPERTY><PROPERTY NAME="VirtualQuantity" TYPE="uint64"><VALUE>4</VALUE></PROPERTY></INSTANCE>]]></p:ResourceSettings>"#))
        let input = try #require(try SentEnvelope(transport.requests[0]).body?.child("ModifyResourceSettings_INPUT"))
        let values = input.children(named: "ResourceSettings").map(\.text)
        #expect(values.count == 2)
        // The CDATA text is itself CIM-XML; a value that looks like a CDATA end is escaped inside it.
        let second = try XMLParser.parse(Array(values[1].utf8))
        #expect(second.name == "INSTANCE" && second.attributes["CLASSNAME"] == "Msvm_VirtualSystemSettingData")
        let properties = second.children
        #expect(properties[0].child("VALUE")?.text == "a]]>b <&> 'q'")
        #expect(properties[1].name == "PROPERTY.ARRAY" && properties[1].child("VALUE.ARRAY")?.children.map(\.text) == ["one", "two"])
        #expect(properties[2].children.isEmpty)
    }

    @Test func badClassOrPropertyNamesAreNeverSent() async throws {
        let transport = RecordedTransport(answers: [])
        let client = WSManClient(transport: transport, endpoint: Hyperv.endpoint)
        let bad = WMIEmbeddedInstance(className: "Msvm_X\"><y", properties: [])
        let error = await failure { () async throws(WSManError) in
            try await client.invoke(classURI: v2 + "Msvm_VirtualSystemManagementService", method: "DefineSystem", selectors: [],
                                    typed: [.instance("SystemSettings", bad)])
        }
        #expect(error == .invalidRequest(#"'Msvm_X"><y' is not a valid class or property name"#))
        #expect(transport.requests.isEmpty)
    }
}
