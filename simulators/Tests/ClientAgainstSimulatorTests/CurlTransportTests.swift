import Foundation
import Testing
import Simulators
import WinRMSupport
import WSMan

/// `CurlTransport` against the project's own Hyper-V simulator, in process on loopback: the
/// client and the server were written separately to the same wire facts.
@Suite("libcurl transport to the Hyper-V simulator", .serialized)
struct CurlTransportTests {
    func withSimulator(_ body: (Int) async throws -> Void) async throws {
        let inventory = try HyperVInventory.load(path: URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().appendingPathComponent("../../../config/hv01.json").standardizedFileURL.path)
        // The client speaks Basic in the clear over http: a Windows listener's two leniencies, on by name.
        let simulator = HyperVSimulator(model: HyperVModel(inventory: inventory),
                                        configuration: .init(credentials: .init(user: "administrator", password: "s3cret"), listener: .lenient))
        let port = try await simulator.start(host: "127.0.0.1", port: 0)
        do {
            try await body(port)
        } catch {
            await simulator.stop()
            throw error
        }
        await simulator.stop()
    }

    @Test func identifyOverHTTPWithBasicAuthAndErrors() async throws {
        try await withSimulator { port in
            let endpoint = "http://127.0.0.1:\(port)/wsman"
            let transport = try CurlTransport(endpoint: endpoint, username: "administrator", password: "s3cret", authentication: .basic)
            let client = WSManClient(transport: transport, endpoint: endpoint)
            for _ in 0..<2 {
                let identity = try await client.identify()
                #expect(identity.wmiProperties["ProductVendor"] == "Microsoft Corporation")
                #expect(identity.wmiProperties["ProductVersion"]?.hasPrefix("OS: ") == true)
            }
            #expect(client.roundTrips == 2)

            // NTLMv2 through libcurl, verified by the simulator.
            let ntlm = try CurlTransport(endpoint: endpoint, username: "administrator", password: "s3cret", authentication: .ntlm)
            let systems = try await WSManClient(transport: ntlm, endpoint: endpoint).enumerate(
                resourceURI: "http://schemas.microsoft.com/wbem/wsman/1/wmi/root/virtualization/v2/*",
                classURI: "http://schemas.microsoft.com/wbem/wsman/1/wmi/root/virtualization/v2/Msvm_ComputerSystem",
                wql: #"SELECT * FROM Msvm_ComputerSystem WHERE Description = "Microsoft Virtual Machine" "#)
            #expect(systems.count == 6)

            let wrong = try CurlTransport(endpoint: endpoint, username: "administrator", password: "guess", authentication: .basic)
            let refused = await failure { () async throws(WSManError) in try await WSManClient(transport: wrong, endpoint: endpoint).identify() }
            #expect(refused == .unauthorized && refused?.backendError.code == .authFailed)

            let wrongPath = try CurlTransport(endpoint: "http://127.0.0.1:\(port)/other", username: "administrator", password: "s3cret")
            let status = await failure { () async throws(WSManError) in try await WSManClient(transport: wrongPath, endpoint: endpoint).identify() }
            #expect(status == .httpStatus(404))
        }

        let closed = try CurlTransport(endpoint: "http://127.0.0.1:1/wsman", username: "administrator", password: "s3cret")
        let unreachable = await failure { () async throws(WSManError) in
            try await WSManClient(transport: closed, endpoint: "http://127.0.0.1:1/wsman").identify()
        }
        guard case .unavailable = unreachable else { Issue.record("expected unavailable, got \(String(describing: unreachable))"); return }
        #expect(unreachable?.backendError.code == .backendUnavailable)
    }

    @Test func summaryInformationAndCountersThroughTheClient() async throws {
        try await withSimulator { port in
            let endpoint = "http://127.0.0.1:\(port)/wsman"
            let transport = try CurlTransport(endpoint: endpoint, username: "administrator", password: "s3cret", authentication: .basic)
            let client = WSManClient(transport: transport, endpoint: endpoint)
            let v2 = "http://schemas.microsoft.com/wbem/wsman/1/wmi/root/virtualization/v2/"
            let output = try await client.invoke(
                classURI: v2 + "Msvm_VirtualSystemManagementService", method: "GetSummaryInformation",
                selectors: [("CreationClassName", "Msvm_VirtualSystemManagementService")],
                parameters: [("RequestedInformation", "0"), ("RequestedInformation", "101"), ("RequestedInformation", "105")])
            #expect(output.wmiProperties["ReturnValue"] == "0")
            let summaries = output.children.filter { $0.name == "SummaryInformation" }.map(\.wmiProperties)
            #expect(summaries.count == 6)
            let sql = summaries.first { $0["Name"] == "7A3E0C4B-2F1D-4E5A-9B8C-1D2E3F4A5B6C" }
            #expect((0...100).contains(Int(sql?["ProcessorLoad"] ?? "") ?? -1) && Int(sql?["UpTime"] ?? "") ?? 0 > 0)
            #expect(summaries.first { $0["Name"] == "0D9C8B7A-6F5E-4D3C-8B2A-19F8E7D6C5B4" }?["ProcessorLoad"] == nil)

            let cimv2 = "http://schemas.microsoft.com/wbem/wsman/1/wmi/root/cimv2/"
            let disks = try await client.enumerate(
                resourceURI: cimv2 + "*", classURI: cimv2 + "Win32_PerfRawData_Counters_HyperVVirtualStorageDevice",
                wql: "SELECT * FROM Win32_PerfRawData_Counters_HyperVVirtualStorageDevice ")
            #expect(disks.count == 3 && disks.allSatisfy { UInt64($0.wmiProperties["ReadBytesPersec"] ?? "") ?? 0 > 0 })
        }
    }
}
