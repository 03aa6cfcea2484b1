import Testing
import WinRMSupport
import WSMan
import XML

@Suite("Invoke, Get and Identify")
struct InvokeTests {
    let uuid = "5c5e3d4a-1b2c-4d3e-8f90-a1b2c3d4e5f6"
    let jobID = "7D4C4E1A-93B5-4C49-A7D3-2F0E8B1C6A55"

    var jobStarted: WSManHTTPResponse {
        WSManHTTPResponse(status: 200, body: Hyperv.envelope(action: Hyperv.computerSystem + "/RequestStateChangeResponse", body: """
            <p:RequestStateChange_OUTPUT xmlns:p="\(Hyperv.computerSystem)">\
            <p:Job><a:Address>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</a:Address>\
            <a:ReferenceParameters><w:ResourceURI>\(Hyperv.concreteJob)</w:ResourceURI>\
            <w:SelectorSet><w:Selector Name="InstanceID">\(jobID)</w:Selector>\
            <w:Selector Name="__cimnamespace">root/virtualization/v2</w:Selector></w:SelectorSet>\
            </a:ReferenceParameters></p:Job><p:ReturnValue>4096</p:ReturnValue></p:RequestStateChange_OUTPUT>
            """))
    }

    @Test func requestStateChangeEnvelopeAndTheJobReply() async throws {
        let transport = RecordedTransport(answers: [jobStarted])
        let client = WSManClient(transport: transport, endpoint: Hyperv.endpoint)
        let output = try await client.invoke(
            classURI: Hyperv.computerSystem, method: "RequestStateChange",
            selectors: [("Name", uuid), ("CreationClassName", "Msvm_ComputerSystem")], parameters: [("RequestedState", "2")])

        #expect(output.name == "RequestStateChange_OUTPUT")
        #expect(output.wmiProperties["ReturnValue"] == "4096")
        #expect(output.child("Job")?.selector("InstanceID") == jobID)
        #expect(output.child("Job")?.path("ReferenceParameters", "ResourceURI")?.text == Hyperv.concreteJob)
        #expect(client.roundTrips == 1)

        let sent = try SentEnvelope(try #require(transport.requests.first))
        #expect(sent.action == Hyperv.computerSystem + "/RequestStateChange")
        #expect(sent.resourceURI == Hyperv.computerSystem)
        #expect(sent.selectors == ["Name=\(uuid)", "CreationClassName=Msvm_ComputerSystem"])
        #expect(sent.header("SelectorSet")?.namespace == WSManNamespace.wsman)
        let input = try #require(sent.body?.children.first)
        #expect(input.name == "RequestStateChange_INPUT" && input.namespace == Hyperv.computerSystem)
        #expect(input.children.map { "\($0.name)=\($0.text)" } == ["RequestedState=2"])
        #expect(input.child("RequestedState")?.namespace == Hyperv.computerSystem)
        #expect(transport.requestTexts[0].contains(
            #"<s:Body><p:RequestStateChange_INPUT xmlns:p="\#(Hyperv.computerSystem)"><p:RequestedState>2</p:RequestedState></p:RequestStateChange_INPUT></s:Body>"#))
    }

    @Test func completedInvokeAndAnErrorReturnValue() async throws {
        let reply = { (value: Int) in
            WSManHTTPResponse(status: 200, body: Hyperv.envelope(action: "x", body: """
                <p:InitiateShutdown_OUTPUT xmlns:p="http://schemas.microsoft.com/wbem/wsman/1/wmi/root/virtualization/v2/Msvm_ShutdownComponent">\
                <p:ReturnValue>\(value)</p:ReturnValue></p:InitiateShutdown_OUTPUT>
                """))
        }
        let transport = RecordedTransport(answers: [reply(0), reply(32775)])
        let client = WSManClient(transport: transport, endpoint: Hyperv.endpoint)
        let classURI = "http://schemas.microsoft.com/wbem/wsman/1/wmi/root/virtualization/v2/Msvm_ShutdownComponent"
        let parameters = [("Force", "False"), ("Reason", "Planned shutdown via libvirt")]
        let first = try await client.invoke(classURI: classURI, method: "InitiateShutdown", selectors: [], parameters: parameters)
        let second = try await client.invoke(classURI: classURI, method: "InitiateShutdown", selectors: [], parameters: parameters)
        #expect(first.wmiProperties["ReturnValue"] == "0")
        #expect(second.wmiProperties["ReturnValue"] == "32775")
        #expect(first.child("Job")?.selector("InstanceID") == nil)
        let input = try #require(try SentEnvelope(transport.requests[0]).body?.child("InitiateShutdown_INPUT"))
        #expect(input.children.map { "\($0.name)=\($0.text)" } == ["Force=False", "Reason=Planned shutdown via libvirt"])
    }

    @Test func anOutputOfAnotherMethodIsMalformed() async throws {
        let client = WSManClient(transport: RecordedTransport(answers: [jobStarted]), endpoint: Hyperv.endpoint)
        let error = await failure { () async throws(WSManError) in
            try await client.invoke(classURI: Hyperv.computerSystem, method: "RequestStateChangeX", selectors: [], parameters: [])
        }
        #expect(error == .malformed("the answer has no RequestStateChangeX_OUTPUT"))
    }

    @Test func aMethodOrParameterThatIsNotAnXMLNameIsNeverSent() async throws {
        let transport = RecordedTransport(answers: [jobStarted])
        let client = WSManClient(transport: transport, endpoint: Hyperv.endpoint)
        let badMethod = await failure { () async throws(WSManError) in
            try await client.invoke(classURI: Hyperv.computerSystem, method: "Stop><evil", selectors: [], parameters: [])
        }
        let badParameter = await failure { () async throws(WSManError) in
            try await client.invoke(classURI: Hyperv.computerSystem, method: "RequestStateChange", selectors: [], parameters: [("1st", "2")])
        }
        #expect(badMethod == .invalidRequest("'Stop><evil' is not a valid method or parameter name"))
        #expect(badParameter == .invalidRequest("'1st' is not a valid method or parameter name"))
        #expect(badMethod?.backendError.code == .invalidArgument)
        #expect(transport.requests.isEmpty && client.roundTrips == 0)
    }

    @Test func getReadsOneInstanceWithNilsDatetimesAndArrays() async throws {
        let transport = RecordedTransport(answers: [
            WSManHTTPResponse(status: 200, body: Hyperv.envelope(
                action: "http://schemas.xmlsoap.org/ws/2004/09/transfer/GetResponse", body: Hyperv.vm("web01", uuid, state: 2))),
        ])
        let client = WSManClient(transport: transport, endpoint: Hyperv.endpoint)
        let instance = try await client.get(resourceURI: Hyperv.computerSystem, selectors: [("CreationClassName", "Msvm_ComputerSystem"), ("Name", uuid)])
        let properties = instance.wmiProperties
        #expect(instance.name == "Msvm_ComputerSystem")
        #expect(properties["ElementName"] == "web01" && properties["EnabledState"] == "2" && properties["Name"] == uuid)
        #expect(properties["InstallDate"] == nil && properties["ProcessID"] == nil)
        #expect(properties["TimeOfLastStateChange"] == "2024-03-01T09:15:02.123456Z")
        #expect(properties["AvailableRequestedStates"] == "2")
        #expect(instance.wmiArray("AvailableRequestedStates") == ["2", "3"])
        #expect(instance.wmiArray("ProcessID").isEmpty && instance.wmiArray("Missing").isEmpty)

        let sent = try SentEnvelope(try #require(transport.requests.first))
        #expect(sent.action == "http://schemas.xmlsoap.org/ws/2004/09/transfer/Get")
        #expect(sent.resourceURI == Hyperv.computerSystem)
        #expect(sent.selectors == ["CreationClassName=Msvm_ComputerSystem", "Name=\(uuid)"])
        #expect(sent.body?.children.isEmpty == true)
    }

    @Test func identifyHasNoAddressingHeaders() async throws {
        let transport = RecordedTransport(answers: [
            WSManHTTPResponse(status: 200, body: """
                <s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:wsmid="http://schemas.dmtf.org/wbem/wsman/identity/1/wsmanidentity.xsd">\
                <s:Header/><s:Body><wsmid:IdentifyResponse><wsmid:ProtocolVersion>http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd</wsmid:ProtocolVersion>\
                <wsmid:ProductVendor>Microsoft Corporation</wsmid:ProductVendor><wsmid:ProductVersion>OS: 10.0.17763 SP: 0.0 Stack: 3.0</wsmid:ProductVersion>\
                </wsmid:IdentifyResponse></s:Body></s:Envelope>
                """),
        ])
        let identity = try await WSManClient(transport: transport, endpoint: Hyperv.endpoint).identify()
        #expect(identity.wmiProperties["ProductVendor"] == "Microsoft Corporation")
        #expect(identity.wmiProperties["ProductVersion"] == "OS: 10.0.17763 SP: 0.0 Stack: 3.0")
        let sent = try SentEnvelope(try #require(transport.requests.first))
        #expect(sent.root.child("Header")?.children.isEmpty == true)
        #expect(sent.body?.child("Identify")?.namespace == WSManNamespace.identity)
    }
}
