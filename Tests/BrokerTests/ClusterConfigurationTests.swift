import BrokerCore
import InMemoryPlugin
import Testing
@testable import Broker

@Suite("The [cluster] section")
struct ClusterConfigurationTests {
    let loader = ConfigurationLoader(registry: PluginRegistry([InMemoryPlugin([:])]), environment: ["VF_PG": "s3cret"])

    func problems(_ text: String) -> [String] {
        do {
            _ = try loader.parse(text, file: "/etc/virtfed/test.toml")
            return []
        } catch {
            return error.problems.map(\.description)
        }
    }

    @Test func aNodeOfAClusterWithItsSitesAndLease() throws {
        let config = try loader.parse("""
            [cluster]
            store = "postgresql://virtfed@/virtfed?host=/run/postgresql"
            password_env = "VF_PG"
            node = "node-1"
            site = "bos"
            lease_ms = 5000

            [[backends]]
            name = "a"
            uri = "mem://a/"
            site = "brq"
            """, file: "/etc/virtfed/test.toml")
        let cluster = try #require(config.cluster)
        #expect(cluster.node == "node-1" && cluster.site == "bos" && cluster.leaseMilliseconds == 5000 && cluster.password == "s3cret")
        #expect(config.backends[0].site == "brq")
        #expect(try loader.parse("[[backends]]\nname = \"a\"\nuri = \"mem://a/\"\n", file: "x.toml").cluster == nil)
    }

    @Test(arguments: [
        ("store = \"postgresql://svc:pw@127.0.0.1/v\"", "must not carry a password"),
        ("store = \"mysql://svc@127.0.0.1/v\"", "must be a postgresql:// URL"),
        ("node = \"n\"", "[cluster] needs store"),
        ("store = \"postgresql://svc@127.0.0.1/v\"\nlease_ms = 200", "at least 1000"),
        ("store = \"postgresql://svc@127.0.0.1/v\"\nnode = \"Node 1\"", "not a valid node name"),
        ("store = \"postgresql://svc@127.0.0.1/v\"\npassword_env = \"NOPE\"", "NOPE is not set"),
        ("store = \"postgresql://svc@127.0.0.1/v\"\nleader = true", "leader"),
    ])
    func aBadClusterSectionIsNamed(lines: String, says: String) {
        let found = problems("[cluster]\n" + lines + "\n")
        #expect(found.contains { $0.contains(says) && !$0.contains("pw@") }, "\(found)")
    }
}
