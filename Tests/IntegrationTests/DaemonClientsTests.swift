import Foundation
import Testing

/// Real clients of the daemon: a plain Python program, and the `virtfed` CLI.
@Suite("virtfedd with its clients")
struct DaemonClientsTests {
    static let demo: [(name: String, uri: String, extra: String)] = ["kvm-a", "kvm-b", "kvm-c"].map {
        ($0, "test://\(Paths.hosts)/\($0).xml", "")
    }

    @Test func theDaemonRunsOneEventLoopPerCPUItMayUse() throws {
        let confined = try Daemon(backends: Self.demo, launcher: ["/usr/bin/taskset", "-c", "0"])
        #expect(confined.log.contains("event_loops=1"), "\(confined.log)")
        #expect((try confined.request("broker.ping"))["result"] != nil)
        // Unconfined: the machine's CPUs, or fewer under a cgroup quota.
        let free = try Daemon(backends: Self.demo)
        let loops = free.log.firstMatch(of: /event_loops=([0-9]+)/).flatMap { Int($0.1) }
        #expect(loops.map { (1...sysconf(Int32(_SC_NPROCESSORS_ONLN))).contains($0) } == true, "\(free.log)")
    }

    @Test func aPythonClientDrivesTheDaemonEndToEnd() throws {
        let daemon = try Daemon(backends: Self.demo)
        let script = Paths.root.appendingPathComponent("Tests/IntegrationTests/Peers/jsonrpc_client.py").path
        let result = try runCommand("/usr/bin/python3", [script, daemon.socket, daemon.readonlySocket])
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.hasSuffix("11 passed, 0 failed\n"))
    }

    @Test func theCLIUsesTheDaemonAndStateChangesPersistBetweenCalls() throws {
        let daemon = try Daemon(backends: Self.demo)
        let env = ["VIRTFED_SOCKET": daemon.socket, "VIRTFED_READONLY_SOCKET": daemon.readonlySocket]
        let start = try virtfed("start", "kvm-b/test-sandbox", environment: env)
        #expect(start.status == 0, "\(start)")
        #expect(start.stdout == "Domain 'kvm-b/test-sandbox' started\n\n")
        let list = try virtfed("list", environment: env)
        #expect(list.stdout.contains("kvm-b/test-sandbox        running"), "\(list)")
        #expect(try virtfed("domstate", "test-sandbox", environment: env).stdout == "running\n\n")
        let refused = try virtfed("-r", "destroy", "test-sandbox", environment: env)
        #expect(refused.status == 1)
        #expect(refused.stderr == "error: domain.destroy is refused on the read-only socket\n")
        #expect(try virtfed("-r", "domstate", "test-sandbox", environment: env).stdout == "running\n\n")
        let json = try virtfed("-c", daemon.socket, "list", "--all", "--json")
        let domains = (try json.json() as? [String: Any])?["domains"] as? [[String: Any]]
        #expect(domains?.count == 18)
        let backends = try virtfed("backends", "--json", environment: env)
        #expect((try backends.json() as? [[String: Any]])?.allSatisfy { $0["status"] as? String == "up" } == true)
    }
}
