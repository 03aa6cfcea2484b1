import Foundation
import Simulators
import Testing
import XML

@Suite("Raw performance counters of VM disks and adapters (root/cimv2)")
struct PerformanceCounterTests {
    static let storage = "SELECT * FROM Win32_PerfRawData_Counters_HyperVVirtualStorageDevice "
    static let network = "SELECT * FROM Win32_PerfRawData_NvspNicStats_HyperVVirtualNetworkAdapter "
    static let root = Envelopes.cimv2 + "*"
    static let web = "B3F1A2C4-6D7E-4F80-9A1B-2C3D4E5F6A7B"

    /// Counter values by instance name.
    static func counters(_ harness: SimulatorHarness, _ wql: String, _ property: String) throws -> [String: UInt64] {
        var values: [String: UInt64] = [:]
        for item in try harness.query(wql, root: root) {
            values[try #require(item.property("Name"))] = UInt64(try #require(item.property(property)))
        }
        return values
    }

    /// Requests a state change and waits until the VM has reached `state`.
    static func change(_ harness: SimulatorHarness, _ guid: String, to state: Int) async throws {
        let (status, _) = try harness.call(Envelopes.requestStateChange(guid: guid, state: state))
        #expect(status == 200)
        for _ in 0..<200 where harness.simulator.model.enabledState(ofVM: guid) != state {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(harness.simulator.model.enabledState(ofVM: guid) == state)
    }

    @Test("Instances for running and paused VMs only, named as Windows names them; uint64 counters and timestamps")
    func instances() async throws {
        let harness = try await SimulatorHarness.start()
        defer { Task { await harness.stop() } }
        let disks = try harness.query(Self.storage, root: Self.root)
        #expect(disks.compactMap { $0.property("Name") } == [
            "C:-ProgramData-Microsoft-Windows-Virtual Hard Disks-sql-01.vhdx",
            "C:-ProgramData-Microsoft-Windows-Virtual Hard Disks-web-01.vhdx",
            "C:-ProgramData-Microsoft-Windows-Virtual Hard Disks-test-linux.vhdx",
        ])
        for disk in disks {
            for name in ["ReadBytesPersec", "WriteBytesPersec", "ReadOperationsPerSec", "WriteOperationsPerSec", "Timestamp_PerfTime", "Timestamp_Sys100NS"] {
                #expect(UInt64(disk.property(name) ?? "") ?? 0 > 0, "\(name)")
            }
            #expect(disk.property("Frequency_Sys100NS") == "10000000" && disk.property("Frequency_PerfTime") == "10000000")
        }
        let ports = try harness.query("SELECT * FROM Msvm_SyntheticEthernetPortSettingData ")
        let adapters = try harness.query(Self.network, root: Self.root)
        let expected = [("sql-01", "7A3E0C4B-2F1D-4E5A-9B8C-1D2E3F4A5B6C"), ("web-01", Self.web), ("test-linux", "9F8E7D6C-5B4A-4392-8181-706F5E4D3C2B")]
        #expect(adapters.compactMap { $0.property("Name") } == expected.map { name, guid in
            let port = ports.first { $0.property("InstanceID")?.hasPrefix("Microsoft:\(guid)") == true }
            let adapterID = port?.property("InstanceID")?.split(separator: "\\").last.map(String.init) ?? "?"
            return "\(name)_Network Adapter_\(guid)--\(adapterID)"
        })
        for adapter in adapters {
            for name in ["BytesReceivedPersec", "BytesSentPersec", "PacketsReceivedPersec", "PacketsSentPersec"] {
                #expect(UInt64(adapter.property(name) ?? "") ?? 0 > 0, "\(name)")
            }
            #expect(adapter.property("DroppedPacketsIncomingPersec") != nil && adapter.property("DroppedPacketsOutgoingPersec") != nil)
        }
        // A Win32 class is not in root/virtualization/v2.
        let (status, envelope) = try harness.call(Envelopes.enumerate(Self.storage, root: Envelopes.v2 + "*", optimize: 10))
        #expect(status == 500 && envelope.faultSubcode == "DestinationUnreachable")
    }

    @Test("Counters grow between reads while a VM runs, stand still while it is paused")
    func growth() async throws {
        let harness = try await SimulatorHarness.start()
        defer { Task { await harness.stop() } }
        let first = try Self.counters(harness, Self.storage, "ReadBytesPersec")
        let firstNet = try Self.counters(harness, Self.network, "BytesReceivedPersec")
        try await Task.sleep(for: .milliseconds(50))
        let second = try Self.counters(harness, Self.storage, "ReadBytesPersec")
        let secondNet = try Self.counters(harness, Self.network, "BytesReceivedPersec")
        for name in first.keys where !name.contains("test-linux") {
            #expect(second[name]! > first[name]!, "\(name)")
        }
        for name in firstNet.keys where !name.hasPrefix("test-linux") {
            #expect(secondNet[name]! > firstNet[name]!, "\(name)")
        }
        let paused = try #require(first.keys.first { $0.contains("test-linux") })
        #expect(second[paused] == first[paused])
    }

    @Test("Turning a VM off removes its instances; starting it again counts from zero")
    func resetOnRestart() async throws {
        let harness = try await SimulatorHarness.start(jobMilliseconds: 30)
        defer { Task { await harness.stop() } }
        let name = "C:-ProgramData-Microsoft-Windows-Virtual Hard Disks-web-01.vhdx"
        let before = try #require(try Self.counters(harness, Self.storage, "WriteBytesPersec")[name])
        try await Self.change(harness, Self.web, to: 3)
        #expect(try Self.counters(harness, Self.storage, "WriteBytesPersec")[name] == nil)
        #expect(try Self.counters(harness, Self.network, "BytesSentPersec").keys.allSatisfy { !$0.hasPrefix("web-01_") })
        try await Self.change(harness, Self.web, to: 2)
        let after = try #require(try Self.counters(harness, Self.storage, "WriteBytesPersec")[name])
        #expect(after < before / 100)
        try await Task.sleep(for: .milliseconds(30))
        #expect(try #require(try Self.counters(harness, Self.storage, "WriteBytesPersec")[name]) > after)
    }
}
