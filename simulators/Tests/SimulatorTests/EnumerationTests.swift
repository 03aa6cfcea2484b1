import Simulators
import Testing
import XML

/// libvirt's WQL, byte for byte (hyperv_wmi_classes.h defines end with a space).
enum LibvirtWQL {
    static let virtual = "Description = \"Microsoft Virtual Machine\" "
    static let active = "(EnabledState != 0 and EnabledState != 3 and EnabledState != 32769) "
    static let inactive = "(EnabledState = 0 or EnabledState = 3 or EnabledState = 32769) "
    static let all = "SELECT * FROM Msvm_ComputerSystem WHERE " + virtual
}

@Suite("Enumerate/Pull over HTTP")
struct EnumerationTests {
    @Test("libvirt's list-all query, Enumerate then Pull with MaxElements 1, walks every VM then EndOfSequence")
    func listAllByPull() async throws {
        let harness = try await SimulatorHarness.start()
        defer { Task { await harness.stop() } }
        let (items, pulls) = try harness.enumerateAndPull(LibvirtWQL.all, className: "Msvm_ComputerSystem", maxElements: 1)
        #expect(items.map { $0.property("ElementName") } == ["sql-01", "web-01", "build-agent", "dc-02", "test-linux", "legacy-app"])
        #expect(pulls == 6)
        #expect(items.allSatisfy { $0.name == "Msvm_ComputerSystem" && $0.namespace == Envelopes.v2 + "Msvm_ComputerSystem" })
        #expect(items[0].property("Name") == "7A3E0C4B-2F1D-4E5A-9B8C-1D2E3F4A5B6C")
        #expect(items[0].property("EnabledState") == "2")
        #expect(items[0].property("ProcessID") != nil)
        #expect(items[2].property("ProcessID") == nil)
        #expect(items[2].child("ProcessID")?.attributes["nil"] == "true")
        #expect(items[0].property("InstallDate")?.hasPrefix("20") == true)
    }

    @Test("No MaxElements in Pull means one item per Pull; a used-up context is invalid")
    func defaultMaxElementsAndExhaustedContext() async throws {
        let harness = try await SimulatorHarness.start()
        defer { Task { await harness.stop() } }
        let (status, envelope) = try harness.call(Envelopes.enumerate(LibvirtWQL.all + "AND " + LibvirtWQL.inactive))
        #expect(status == 200)
        let context = try #require(envelope.path("Body", "EnumerateResponse", "EnumerationContext")?.text)
        let first = try harness.call(Envelopes.pull(context, className: "Msvm_ComputerSystem"))
        #expect(first.envelope.path("Body", "PullResponse", "Items")?.children.map { $0.property("ElementName") } == ["build-agent"])
        #expect(first.envelope.path("Body", "PullResponse", "EnumerationContext")?.text == context)
        let second = try harness.call(Envelopes.pull(context, className: "Msvm_ComputerSystem"))
        #expect(second.envelope.path("Body", "PullResponse", "Items")?.children.map { $0.property("ElementName") } == ["legacy-app"])
        #expect(second.envelope.path("Body", "PullResponse", "EndOfSequence") != nil)
        let third = try harness.call(Envelopes.pull(context, className: "Msvm_ComputerSystem"))
        #expect(third.status == 500)
        #expect(third.envelope.faultSubcode == "InvalidEnumerationContext")
    }

    @Test("libvirt's active filter counts saved (6) and paused (9) VMs as active, as on real hosts")
    func activeQuirk() async throws {
        let harness = try await SimulatorHarness.start()
        defer { Task { await harness.stop() } }
        let active = try harness.enumerateAndPull(LibvirtWQL.all + "AND " + LibvirtWQL.active, className: "Msvm_ComputerSystem").items
        #expect(active.map { $0.property("ElementName") } == ["sql-01", "web-01", "dc-02", "test-linux"])
        let byUUID = try harness.query(LibvirtWQL.all + "AND Name = '9f8e7d6c-5b4a-4392-8181-706f5e4d3c2b'")
        #expect(byUUID.map { $0.property("ElementName") } == ["test-linux"])
        let byName = try harness.query("SELECT * FROM Msvm_ComputerSystem WHERE Description = \"Microsoft Virtual Machine\" AND ElementName = 'web-01'")
        let pid = try #require(byName.first?.property("ProcessID"))
        let byID = try harness.query(LibvirtWQL.all + "AND ProcessID = \(pid)")
        #expect(byID.map { $0.property("ElementName") } == ["web-01"])
    }

    @Test("OptimizeEnumeration returns up to MaxElements items in the EnumerateResponse")
    func optimized() async throws {
        let harness = try await SimulatorHarness.start()
        defer { Task { await harness.stop() } }
        let all = try harness.call(Envelopes.enumerate(LibvirtWQL.all, optimize: 32000))
        let response = try #require(all.envelope.path("Body", "EnumerateResponse"))
        #expect(response.child("Items")?.children.count == 6)
        #expect(response.child("EndOfSequence") != nil)
        #expect(response.child("EnumerationContext") == nil)

        let partial = try harness.call(Envelopes.enumerate(LibvirtWQL.all, optimize: 4))
        let first = try #require(partial.envelope.path("Body", "EnumerateResponse"))
        #expect(first.child("Items")?.children.map { $0.property("ElementName") } == ["sql-01", "web-01", "build-agent", "dc-02"])
        let context = try #require(first.child("EnumerationContext")?.text)
        let rest = try harness.call(Envelopes.pull(context, className: "Msvm_ComputerSystem", maxElements: 10))
        #expect(rest.envelope.path("Body", "PullResponse", "Items")?.children.map { $0.property("ElementName") } == ["test-linux", "legacy-app"])
        #expect(rest.envelope.path("Body", "PullResponse", "EndOfSequence") != nil)
    }

    @Test("Settings and host queries libvirt makes, through ASSOCIATORS OF over HTTP")
    func associatorsOverHTTP() async throws {
        let harness = try await SimulatorHarness.start()
        defer { Task { await harness.stop() } }
        let vssd = try harness.query(
            "ASSOCIATORS OF {Msvm_ComputerSystem.CreationClassName='Msvm_ComputerSystem',Name='7a3e0c4b-2f1d-4e5a-9b8c-1d2e3f4a5b6c'} WHERE AssocClass = Msvm_SettingsDefineState ResultClass = Msvm_VirtualSystemSettingData")
        let settings = try #require(vssd.first)
        #expect(settings.name == "Msvm_VirtualSystemSettingData")
        #expect(settings.property("BIOSGUID") == "{E1C2A3B4-5D6E-4F70-8192-A3B4C5D6E7F8}")
        #expect(settings.propertyArray("Notes") == ["SQL Server 2019, production"])
        let instanceID = try #require(settings.property("InstanceID"))
        let memory = try harness.query(
            "ASSOCIATORS OF {Msvm_VirtualSystemSettingData.InstanceID='\(instanceID)'} WHERE AssocClass = Msvm_VirtualSystemSettingDataComponent ResultClass = Msvm_MemorySettingData")
        #expect(memory.first?.property("VirtualQuantity") == "8192")
        #expect(memory.first?.property("Limit") == "16384")
        let cpu = try harness.query(
            "ASSOCIATORS OF {Msvm_VirtualSystemSettingData.InstanceID='\(instanceID)'} WHERE AssocClass = Msvm_VirtualSystemSettingDataComponent ResultClass = Msvm_ProcessorSettingData")
        #expect(cpu.first?.property("VirtualQuantity") == "4")

        let host = try harness.query("SELECT * FROM Win32_ComputerSystem ", root: Envelopes.cimv2 + "*")
        #expect(host.first?.property("DNSHostName") == "hv01.lab.local")
        #expect(host.first?.property("TotalPhysicalMemory") == "274877906944")
        let hostName = try #require(host.first?.property("Name"))
        let processors = try harness.query(
            "ASSOCIATORS OF {Win32_ComputerSystem.Name='\(hostName)'} WHERE AssocClass = Win32_ComputerSystemProcessor ResultClass = Win32_Processor",
            root: Envelopes.cimv2 + "*")
        #expect(processors.count == 2)
        #expect(processors.allSatisfy { $0.property("NumberOfCores") == "20" && $0.property("NumberOfLogicalProcessors") == "40" })
        #expect(processors.first?.property("MaxClockSpeed") == "2100")
        #expect(processors.first?.namespace == Envelopes.cimv2 + "Win32_Processor")
        let os = try harness.query("SELECT * FROM Win32_OperatingSystem ", root: Envelopes.cimv2 + "*")
        #expect(os.first?.property("Version") == "10.0.17763")
        let product = try harness.query("SELECT * FROM Win32_ComputerSystemProduct ", root: Envelopes.cimv2 + "*")
        #expect(product.first?.property("UUID") == "4C4C4544-0042-3510-8052-B7C04F565032")
    }

    @Test("Get by selectors, Release, EnumerateEPR and Identify")
    func getReleaseAndIdentify() async throws {
        let harness = try await SimulatorHarness.start()
        defer { Task { await harness.stop() } }
        let got = try harness.call(Envelopes.get("Msvm_ComputerSystem", selectors: [
            ("CreationClassName", "Msvm_ComputerSystem"), ("Name", "1E2D3C4B-5A69-4788-9A6B-5C4D3E2F1A0B")]))
        #expect(got.status == 200)
        #expect(got.envelope.path("Body", "Msvm_ComputerSystem")?.property("ElementName") == "dc-02")
        #expect(got.envelope.path("Body", "Msvm_ComputerSystem")?.property("EnabledState") == "6")
        #expect(got.envelope.path("Header", "RelatesTo")?.text == "uuid:0AB58087-C2C3-0005-0000-000000010000")

        let opened = try harness.call(Envelopes.enumerate(LibvirtWQL.all))
        let context = try #require(opened.envelope.path("Body", "EnumerateResponse", "EnumerationContext")?.text)
        #expect(try harness.call(Envelopes.release(context, className: "Msvm_ComputerSystem")).status == 200)
        let afterRelease = try harness.call(Envelopes.pull(context, className: "Msvm_ComputerSystem"))
        #expect(afterRelease.envelope.faultSubcode == "InvalidEnumerationContext")

        let eprs = try harness.call(Envelopes.enumerate(LibvirtWQL.all + "AND ElementName = 'sql-01'", optimize: 10, mode: "EnumerateEPR"))
        let reference = try #require(eprs.envelope.path("Body", "EnumerateResponse", "Items", "EndpointReference"))
        #expect(reference.path("ReferenceParameters", "ResourceURI")?.text == Envelopes.v2 + "Msvm_ComputerSystem")
        let selectors = reference.path("ReferenceParameters", "SelectorSet")?.children.map { ($0.attributes["Name"] ?? "", $0.text) }
        #expect(selectors?.first { $0.0 == "Name" }?.1 == "7A3E0C4B-2F1D-4E5A-9B8C-1D2E3F4A5B6C")

        let identify = try harness.call(Envelopes.identify())
        #expect(identify.envelope.path("Body", "IdentifyResponse", "ProductVendor")?.text == "Microsoft Corporation")
    }
}
