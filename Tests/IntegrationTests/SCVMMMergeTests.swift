import Foundation
import Testing

/// One estate seen twice: SCVMM (`vmm`, config/scvmm-demo.json) manages the Hyper-V host that
/// virtfed also reaches directly (`hv01`, config/hv01.json). Each of hv01's VMs is one entry
/// with both routes; operations take the direct route and fall back to SCVMM when it is down.
@Suite("SCVMM and Hyper-V: one namespace, two routes", .serialized)
struct SCVMMMergeTests {
    let hvNames = ["sql-01", "web-01", "build-agent", "dc-02", "test-linux", "legacy-app"]

    func domains(_ result: CommandResult) throws -> [String: [String: Any]] {
        let list = (try result.json() as? [String: Any])?["domains"] as? [[String: Any]] ?? []
        return Dictionary(list.map { ($0["name"] as? String ?? "", $0) }, uniquingKeysWith: { first, _ in first })
    }

    @Test func hyperVVMsAppearOnceWithBothRoutesAndFallBackToSCVMM() throws {
        let vmm = try SimulatedSCVMM()
        let hv = try SimulatedHyperV()
        let dir = try scratchDirectory("merge")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = try writeConfig(in: dir, [("hv01", hv.uri, hv.backendExtra), ("vmm", vmm.uri(), vmm.backendExtra)])
        let env = hv.environment.merging(vmm.environment) { $1 }

        let merged = try domains(try virtfed("--config", path, "list", "--all", "--json", environment: env))
        #expect(merged.count == 13, "\(merged.keys.sorted())")
        for name in hvNames {
            let entry = try #require(merged["hv01/\(name)"], "\(name) is listed under its direct route")
            #expect(entry["routes"] as? [String] == ["hv01", "vmm"], "\(name)")
            #expect(merged["vmm/\(name)"] == nil, "\(name) appears once")
        }
        #expect(merged["vmm/esx-web-01"]?["routes"] as? [String] == ["vmm"])
        // `--backend vmm` still shows everything SCVMM manages.
        let throughVMM = try domains(try virtfed("--config", path, "list", "--all", "--backend", "vmm", "--json", environment: env))
        #expect(throughVMM.count == 13)

        // The preferred (direct) route is taken…
        let direct = try virtfed("--config", path, "start", "build-agent", "--json", environment: env)
        #expect((try direct.json() as? [String: Any])?["route"] as? String == "hv01", "\(direct)")
        // …and a route named by the user is honoured.
        let named = try virtfed("--config", path, "start", "vmm/legacy-app", "--json", environment: env)
        #expect((try named.json() as? [String: Any])?["route"] as? String == "vmm", "\(named)")

        // With hv01's simulator gone, the same VMs are reached through SCVMM.
        hv.stop()
        let fallback = try virtfed("--config", path, "suspend", "web-01", "--json", environment: env)
        let answer = try #require(try fallback.json() as? [String: Any], "\(fallback)")
        #expect(answer["route"] as? String == "vmm")
        #expect((answer["job"] as? [String: Any])?["resulting_state"] as? String == "paused")
        let degraded = try virtfed("--config", path, "list", "--all", "--json", environment: env)
        #expect(degraded.status == 2)
        let left = try domains(degraded)
        #expect(left.count == 13 && left["vmm/web-01"]?["routes"] as? [String] == ["vmm"])
        #expect(((try degraded.json() as? [String: Any])?["errors"] as? [[String: Any]])?.first?["backend"] as? String == "hv01")
    }

    @Test func theDaemonFallsBackWhenTheDirectRouteDiesUnderIt() throws {
        let vmm = try SimulatedSCVMM()
        let hv = try SimulatedHyperV()
        let env = hv.environment.merging(vmm.environment) { $1 }
        let daemon = try Daemon(backends: [("hv01", hv.uri, hv.backendExtra), ("vmm", vmm.uri(), vmm.backendExtra)], environment: env)
        let first = try daemon.request("domain.suspend", #"{"domain":"sql-01"}"#)["result"] as? [String: Any]
        #expect(first?["route"] as? String == "hv01", "\(String(describing: first))")
        hv.stop()
        let second = try daemon.request("domain.suspend", #"{"domain":"web-01"}"#)["result"] as? [String: Any]
        #expect(second?["route"] as? String == "vmm", "\(String(describing: second))")
        #expect((second?["job"] as? [String: Any])?["resulting_state"] as? String == "paused")
    }
}
