import BrokerCore
import StateStore
import Testing

@Suite("where the PostgreSQL store is")
struct PostgresLocationTests {
    @Test func aUnixSocketOrATCPHost() throws {
        let socket = try PostgresLocation(url: "postgresql://virtfed@/fed?host=/run/postgresql&port=5433")
        #expect(socket.user == "virtfed" && socket.database == "fed" && socket.host == nil && socket.socketPath == "/run/postgresql/.s.PGSQL.5433")
        let tcp = try PostgresLocation(url: "postgres://svc@127.0.0.1:6543/virtfed")
        #expect(tcp.host == "127.0.0.1" && tcp.port == 6543 && tcp.socketPath == nil)
        #expect(tcp.description == "postgresql://svc@127.0.0.1:6543/virtfed")
    }

    @Test(arguments: [
        ("postgresql://svc:hunter2@127.0.0.1/virtfed", "password"), ("mysql://svc@127.0.0.1/virtfed", "postgresql://"),
        ("postgresql://127.0.0.1/virtfed", "no user"), ("postgresql://svc@127.0.0.1/", "no database"), ("postgresql://svc@/virtfed", "no host"),
    ])
    func whatIsNotAStoreIsSaid(url: String, says: String) {
        do {
            _ = try PostgresLocation(url: url)
            Issue.record("\(url) was taken")
        } catch {
            #expect(error.code == .invalidArgument && error.message.contains(says) && !error.message.contains("hunter2"), "\(error.message)")
        }
    }
}
