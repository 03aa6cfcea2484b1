import BrokerCore
import Testing
@testable import HyperVPlugin

@Suite("Hyper-V load: summary, raw counters and devices joined per VM")
struct HyperVStatisticsTests {
    let guid = "1a2b3c4d-0000-4000-8000-00000000abcd"
    let adapter = "9F8E7D6C-0000-4000-8000-000000000001"
    let vhd = #"C:\ProgramData\Microsoft\Windows\Virtual Hard Disks\sql-01.vhdx"#

    var devices: HyperVStatistics.Devices {
        HyperVStatistics.Devices(
            storage: [["InstanceID": #"Microsoft:1A2B3C4D-0000-4000-8000-00000000ABCD\83F8638B\0\0\L"#, "ResourceType": "31", "HostResource": vhd],
                      ["InstanceID": #"Microsoft:1A2B3C4D-0000-4000-8000-00000000ABCD\83F8638B\0\1\D"#, "ResourceType": "16", "HostResource": "D:"]],
            ports: [["InstanceID": #"Microsoft:1A2B3C4D-0000-4000-8000-00000000ABCD\"# + adapter, "Address": "00155D0A0B01"]],
            connections: [["InstanceID": #"Microsoft:1A2B3C4D-0000-4000-8000-00000000ABCD\"# + adapter + #"\C"#, "LastKnownSwitchName": "External"]],
            settings: [["InstanceID": "Microsoft:1A2B3C4D-0000-4000-8000-00000000ABCD", "VirtualSystemSubType": "Microsoft:Hyper-V:SubType:2"]])
    }

    func domain(_ state: DomainState) -> Domain {
        Domain(name: "sql-01", uuid: guid, state: state, backendState: "", host: "hv01", vcpus: 4)
    }

    @Test func theDevicesComeFromTheSettingsClasses() {
        let devices = self.devices
        #expect(devices.disks[guid]?.map(\.target) == ["sda"])   // generation 2: SCSI; the DVD (16) is no disk
        #expect(devices.disks[guid]?.first?.source == vhd)
        #expect(devices.disks[guid]?.first?.bus == "scsi")
        #expect(devices.interfaces[guid]?.first?.interface.mac == "00:15:5d:0a:0b:01")
        #expect(devices.interfaces[guid]?.first?.interface.network == "External")
        #expect(HyperVStatistics.Devices.target(bus: "ide", index: 1) == "hdb")
    }

    @Test func aRunningVMGetsItsLoadCountersAndAnIntegratedCPUTime() {
        let cpu = RateIntegrator()
        let start = ContinuousClock.now
        let summary: [[String: String]] = [["Name": guid.uppercased(), "ProcessorLoad": "50", "MemoryUsage": "2048", "UpTime": "3600000"]]
        let storage: [[String: String]] = [["Name": vhd.replacingOccurrences(of: "\\", with: "-"), "ReadBytesPersec": "1000", "WriteBytesPersec": "2000",
                                            "ReadOperationsPerSec": "10", "WriteOperationsPerSec": "20"]]
        let nics: [[String: String]] = [["Name": "sql-01_Network Adapter_\(guid.uppercased())--\(adapter)", "BytesReceivedPersec": "500",
                                         "BytesSentPersec": "600", "PacketsReceivedPersec": "5", "PacketsSentPersec": "6"]]
        let first = HyperVStatistics(domains: [domain(.running)], summaries: summary, storagePerf: storage, adapterPerf: nics,
                                     devices: devices, cpu: cpu, now: start)
        let stats = first.stats[guid]
        #expect(stats?.cpuUtilization == 50)
        #expect(stats?.memoryUsedKiB == 2048 * 1024)
        #expect(stats?.uptimeSeconds == 3600)
        #expect(stats?.disks.first?.readBytes == 1000 && stats?.disks.first?.writeRequests == 20)
        #expect(stats?.interfaces.first?.rxBytes == 500 && stats?.interfaces.first?.txPackets == 6)
        #expect(first.cpuTimeNs[guid] == 0)
        // Half of four vCPUs for 10 s: 20 CPU-seconds.
        let later = HyperVStatistics(domains: [domain(.running)], summaries: summary, storagePerf: storage, adapterPerf: nics,
                                     devices: devices, cpu: cpu, now: start + .seconds(10))
        #expect(later.cpuTimeNs[guid] == 20_000_000_000)
    }

    @Test func aStoppedVMHasDevicesNoCountersAndRestartsItsCPUTime() {
        let cpu = RateIntegrator()
        let start = ContinuousClock.now
        let running: [[String: String]] = [["Name": guid, "ProcessorLoad": "100"]]
        _ = HyperVStatistics(domains: [domain(.running)], summaries: running, storagePerf: [], adapterPerf: [], devices: devices, cpu: cpu, now: start)
        _ = HyperVStatistics(domains: [domain(.running)], summaries: running, storagePerf: [], adapterPerf: [], devices: devices, cpu: cpu, now: start + .seconds(1))
        let off = HyperVStatistics(domains: [domain(.shutoff)], summaries: [["Name": guid]], storagePerf: [], adapterPerf: [], devices: devices, cpu: cpu,
                                   now: start + .seconds(2))
        #expect(off.cpuTimeNs[guid] == nil)
        #expect(off.stats[guid]?.disks.first?.readBytes == nil && off.stats[guid]?.disks.count == 1)
        let again = HyperVStatistics(domains: [domain(.running)], summaries: running, storagePerf: [], adapterPerf: [], devices: devices, cpu: cpu,
                                     now: start + .seconds(3))
        #expect(again.cpuTimeNs[guid] == 0)
    }

    @Test func aHostThatLiesGetsClampedFiguresNotACrash() {
        let cpu = RateIntegrator()
        let start = ContinuousClock.now
        let lies: [[String: String]] = [["Name": guid, "ProcessorLoad": "1e300", "MemoryUsage": "18446744073709551615", "UpTime": "-3"]]
        let first = HyperVStatistics(domains: [domain(.running)], summaries: lies, storagePerf: [["Name": "x", "ReadBytesPersec": "abc"]],
                                     adapterPerf: [["Name": "no-guids-here"]], devices: devices, cpu: cpu, now: start)
        #expect(first.stats[guid]?.cpuUtilization == 100)
        #expect(first.stats[guid]?.memoryUsedKiB == .max)
        #expect(first.stats[guid]?.uptimeSeconds == nil)
        let later = HyperVStatistics(domains: [domain(.running)], summaries: lies, storagePerf: [], adapterPerf: [], devices: devices, cpu: cpu,
                                     now: start + .seconds(1))
        #expect(later.cpuTimeNs[guid] == 4_000_000_000)  // 100 % of four vCPUs for a second
    }
}
