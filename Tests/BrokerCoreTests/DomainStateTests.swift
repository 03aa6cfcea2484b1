import BrokerCore
import Testing

@Suite("Domain states")
struct DomainStateTests {
    @Test func tokensAreTheDesignsAndVirshWordsAreVirshs() {
        #expect(DomainState.allCases.map(\.rawValue) == [
            "running", "blocked", "paused", "shutting_down", "shutoff", "crashed", "pmsuspended", "saved",
            "starting", "stopping", "unknown",
        ])
        #expect(DomainState.shutoff.virshWord == "shut off")
        #expect(DomainState.shuttingDown.virshWord == "in shutdown")
        #expect(DomainState.saved.virshWord == "saved")
        #expect(DomainState.blocked.virshWord == "idle")
    }

    @Test func pausedAndSavedAreNeverShutoff() {
        #expect(DomainState.paused.isActive)
        #expect(!DomainState.saved.isActive)
        #expect(DomainState(token: "saved") == .saved)
        #expect(DomainState(token: "shut off") == .shutoff)
        #expect(DomainState(token: "SHUTOFF") == .shutoff)
        #expect(DomainState(token: "in shutdown") == .shuttingDown)
        #expect(DomainState(token: "sideways") == nil)
    }
}

@Suite("Plugin registry")
struct PluginRegistryTests {
    struct Fake: BackendPlugin {
        static let name = "fake"
        static let schemes: Set<String> = ["qemu", "test"]
        func open(_ uri: BackendURI, credentials: Credentials?, options: BackendOptions, logger: Logger) async throws(BackendError) -> any BackendSession {
            throw .unsupported("open")
        }
    }

    @Test func resolvesByDriverWhateverTheTransport() throws {
        let registry = PluginRegistry([Fake()])
        #expect(type(of: try registry.plugin(for: BackendURI(parsing: "qemu+ssh://root@h/system"))).name == "fake")
        #expect(type(of: try registry.plugin(for: BackendURI(parsing: "QEMU:///system"))).name == "fake")
        #expect(throws: BackendError(.invalidArgument, "no plugin owns the URI scheme 'xen'; known schemes: qemu, test")) {
            try registry.plugin(for: BackendURI(parsing: "xen:///"))
        }
    }

    @Test func credentialsNeverPrintTheirSecret() {
        let credentials = Credentials(username: "admin", password: "hunter2")
        #expect(!"\(credentials)".contains("hunter2"))
        #expect(!String(reflecting: credentials).contains("hunter2"))
    }
}

import Logging
