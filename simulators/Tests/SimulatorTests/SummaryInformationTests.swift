import Foundation
import Simulators
import Testing
import XML

@Suite("Msvm_VirtualSystemManagementService.GetSummaryInformation")
struct SummaryInformationTests {
    static let codes = ["0", "1", "4", "100", "101", "103", "104", "105", "106", "109"]
    static let summaryURI = Envelopes.v2 + "Msvm_SummaryInformation"

    /// The `SummaryInformation` elements of a successful call.
    static func summaries(_ harness: SimulatorHarness, codes: [String] = codes, settingData: [String] = []) throws -> [XMLElement] {
        let (status, envelope) = try harness.call(Envelopes.getSummaryInformation(codes: codes, settingData: settingData))
        #expect(status == 200)
        #expect(envelope.path("Header", "Action")?.text == Envelopes.uri("Msvm_VirtualSystemManagementService") + "/GetSummaryInformationResponse")
        let output = try #require(envelope.path("Body", "GetSummaryInformation_OUTPUT"))
        #expect(output.namespace == Envelopes.uri("Msvm_VirtualSystemManagementService"))
        #expect(output.property("ReturnValue") == "0")
        return output.children(named: "SummaryInformation")
    }

    static func byName(_ summaries: [XMLElement]) -> [String: XMLElement] {
        Dictionary(uniqueKeysWithValues: summaries.compactMap { summary in summary.property("Name").map { ($0, summary) } })
    }

    @Test("Every VM: embedded Msvm_SummaryInformation instances, requested properties filled, load only for running VMs")
    func allVMs() async throws {
        let harness = try await SimulatorHarness.start()
        defer { Task { await harness.stop() } }
        let summaries = try Self.summaries(harness)
        #expect(summaries.count == 6)
        for summary in summaries {
            #expect(summary.attributes["type"] == "q1:Msvm_SummaryInformation_Type")
            #expect(summary.children.allSatisfy { $0.namespace == Self.summaryURI })
            #expect(summary.child("ThumbnailImage")?.attributes["nil"] == "true" && summary.property("Notes") == nil)
        }
        let vms = Self.byName(summaries)
        let sql = try #require(vms["7A3E0C4B-2F1D-4E5A-9B8C-1D2E3F4A5B6C"])
        #expect(sql.property("ElementName") == "sql-01" && sql.property("NumberOfProcessors") == "4" && sql.property("EnabledState") == "2")
        #expect((0...100).contains(Int(try #require(sql.property("ProcessorLoad"))) ?? -1))
        #expect((1...16384).contains(Int(try #require(sql.property("MemoryUsage"))) ?? -1))
        #expect(sql.property("Heartbeat") == "2" && sql.property("HealthState") == "5")
        #expect(Int(try #require(sql.property("UpTime"))) ?? 0 >= 3_600_000)
        #expect(sql.property("GuestOperatingSystem") != nil)
        let web = try #require(vms["B3F1A2C4-6D7E-4F80-9A1B-2C3D4E5F6A7B"])
        #expect(web.property("MemoryUsage") == "4096")  // static memory: all of it
        let off = try #require(vms["0D9C8B7A-6F5E-4D3C-8B2A-19F8E7D6C5B4"])
        #expect(off.property("EnabledState") == "3" && off.property("ProcessorLoad") == nil && off.property("MemoryUsage") == nil)
        #expect(off.child("ProcessorLoad")?.attributes["nil"] == "true")
        #expect(off.property("UpTime") == "0" && off.property("Heartbeat") == "12" && off.property("GuestOperatingSystem") == nil)
        let saved = try #require(vms["1E2D3C4B-5A69-4788-9A6B-5C4D3E2F1A0B"])
        #expect(saved.property("ProcessorLoad") == nil && saved.property("UpTime") == "0")
        let paused = try #require(vms["9F8E7D6C-5B4A-4392-8181-706F5E4D3C2B"])
        #expect(paused.property("ProcessorLoad") == "0" && paused.property("MemoryUsage") != nil && paused.property("Heartbeat") == "12")
        #expect(Int(try #require(paused.property("UpTime"))) ?? 0 >= 3_600_000)
    }

    @Test("UpTime grows between two calls for a running VM and stays 0 for a stopped one")
    func uptimeGrows() async throws {
        let harness = try await SimulatorHarness.start()
        defer { Task { await harness.stop() } }
        let first = Self.byName(try Self.summaries(harness, codes: ["105"]))
        try await Task.sleep(for: .milliseconds(30))
        let second = Self.byName(try Self.summaries(harness, codes: ["105"]))
        let sql = "7A3E0C4B-2F1D-4E5A-9B8C-1D2E3F4A5B6C", off = "0D9C8B7A-6F5E-4D3C-8B2A-19F8E7D6C5B4"
        #expect(Int(second[sql]?.property("UpTime") ?? "") ?? 0 > Int(first[sql]?.property("UpTime") ?? "") ?? .max)
        #expect(first[off]?.property("UpTime") == "0" && second[off]?.property("UpTime") == "0")
        // Only what was asked for (and Name).
        #expect(second[sql]?.property("ElementName") == nil && second[sql]?.property("ProcessorLoad") == nil)
    }

    @Test("SettingData narrows to the referenced VMs, in order; an unknown one gives an empty Name; unknown codes are ignored")
    func settingData() async throws {
        let harness = try await SimulatorHarness.start()
        defer { Task { await harness.stop() } }
        let summaries = try Self.summaries(harness, codes: ["1", "4242"], settingData: [
            "Microsoft:B3F1A2C4-6D7E-4F80-9A1B-2C3D4E5F6A7B", "Microsoft:00000000-0000-0000-0000-000000000000",
            "microsoft:7a3e0c4b-2f1d-4e5a-9b8c-1d2e3f4a5b6c",
        ])
        #expect(summaries.map { $0.child("Name")?.text } == ["B3F1A2C4-6D7E-4F80-9A1B-2C3D4E5F6A7B", "", "7A3E0C4B-2F1D-4E5A-9B8C-1D2E3F4A5B6C"])
        #expect(summaries.map { $0.property("ElementName") } == ["web-01", nil, "sql-01"])
    }

    @Test("A code that is not a uint32 is a w:InvalidParameter fault; so is a reference to another class; no selectors is InvalidSelectors")
    func invalid() async throws {
        let harness = try await SimulatorHarness.start()
        defer { Task { await harness.stop() } }
        for code in ["abc", "-1", "4294967296", ""] {
            let (status, envelope) = try harness.call(Envelopes.getSummaryInformation(codes: ["0", code]))
            #expect(status == 500 && envelope.faultSubcode == "InvalidParameter", "\(code)")
            #expect(envelope.path("Body", "Fault", "Detail", "WSManFault")?.attributes["Code"] == "2147942487")
        }
        let wrongClass = Envelopes.getSummaryInformation(codes: ["0"], settingData: ["x"])
            .replacingOccurrences(of: "Msvm_VirtualSystemSettingData</w:ResourceURI>", with: "Msvm_ComputerSystem</w:ResourceURI>")
        #expect(try harness.call(wrongClass).envelope.faultSubcode == "InvalidParameter")
        let noSelectors = Envelopes.getSummaryInformation(codes: ["0"])
            .replacingOccurrences(of: #"<w:SelectorSet><w:Selector Name="CreationClassName">Msvm_VirtualSystemManagementService</w:Selector></w:SelectorSet>"#, with: "")
        #expect(try harness.call(noSelectors).envelope.faultSubcode == "InvalidSelectors")
    }
}
