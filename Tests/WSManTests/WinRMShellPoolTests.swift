import Testing
import WinRMTestPeer
import WSMan

@Suite("WinRM shell pool: reuse, cap, recycling")
struct WinRMShellPoolTests {
    @Test func shellsAreReusedAcrossCommandsEvenWhenAScriptFails() async throws {
        let peer = ScriptedWinRM { call in
            call.command == 2 ? .done(stdout: "", stderr: "#< CLIXML\r\n<Objs/>", exitCode: 1) : .done(stdout: "ok \(call.command)", stderr: "", exitCode: 0)
        }
        let pool = WinRMShellPool(client: peer.client())
        try await pool.prepare()
        #expect(peer.shellsCreated == 1)
        #expect(try await pool.run(PowerShellCommand("a")).stdoutText == "ok 1")
        #expect(try await pool.run(PowerShellCommand("b")).exitCode == 1)
        #expect(try await pool.run(PowerShellCommand("c")).stdoutText == "ok 3")
        #expect(peer.shellsCreated == 1)
        #expect(await pool.statistics == WinRMShellPool.Statistics(created: 1, deleted: 0, discardedAfterError: 0, commands: 3))
        await pool.close()
        #expect(peer.deleted == ["SHELL-1"])
        let error = await failure { () async throws(WSManError) in try await pool.run(PowerShellCommand("d")) }
        guard case .unavailable? = error else { Issue.record("a closed pool refuses commands"); return }
    }

    @Test func aShellIsDeletedAfterAnErrorAndTheNextCommandGetsANewOne() async throws {
        let peer = ScriptedWinRM { call in
            call.command == 1 ? .raw(WSManHTTPResponse(status: 200, body: Hyperv.envelope(action: "r", body: "<garbage/>"))) : .done(stdout: "fine", stderr: "", exitCode: 0)
        }
        let pool = WinRMShellPool(client: peer.client())
        let error = await failure { () async throws(WSManError) in try await pool.run(PowerShellCommand("a")) }
        guard case .malformed? = error else { Issue.record("expected malformed, got \(String(describing: error))"); return }
        #expect(try await pool.run(PowerShellCommand("b")).stdoutText == "fine")
        #expect(peer.shellsCreated == 2)
        let stats = await pool.statistics
        #expect(stats.discardedAfterError == 1 && stats.created == 2 && stats.commands == 1)
        // The broken shell is deleted on the server (in the background).
        for _ in 0..<100 where !peer.deleted.contains("SHELL-1") { try await Task.sleep(for: .milliseconds(10)) }
        #expect(peer.deleted == ["SHELL-1"])
    }

    @Test func aShellTheServerForgotIsReplacedAndTheCommandRunsOnce() async throws {
        let peer = ScriptedWinRM { call in .done(stdout: "run \(call.command)", stderr: "", exitCode: 0) }
        let pool = WinRMShellPool(client: peer.client())
        #expect(try await pool.run(PowerShellCommand("a")).stdoutText == "run 1")
        peer.forgetShells()
        #expect(try await pool.run(PowerShellCommand("b")).stdoutText == "run 2")
        #expect(peer.shellsCreated == 2 && peer.commandsStarted == 2)
        #expect(await pool.statistics == WinRMShellPool.Statistics(created: 2, deleted: 1, discardedAfterError: 1, commands: 2))
        // A fresh shell that refuses is an error, not a loop.
        peer.forgetShells()
        let fresh = WinRMShellPool(client: peer.client())
        try await fresh.prepare()
        peer.forgetShells()
        let error = await failure { () async throws(WSManError) in try await fresh.run(PowerShellCommand("c")) }
        guard case .fault? = error else { Issue.record("expected the fault, got \(String(describing: error))"); return }
    }

    @Test func shellsAreRecycledAfterTheirCommandQuota() async throws {
        let peer = ScriptedWinRM { _ in .done(stdout: "x", stderr: "", exitCode: 0) }
        let pool = WinRMShellPool(client: peer.client(), maxCommandsPerShell: 2)
        for _ in 0..<5 { _ = try await pool.run(PowerShellCommand("a")) }
        #expect(peer.shellsCreated == 3)
        #expect(await pool.statistics.deleted == 2)
    }

    @Test func concurrentCommandsNeverOpenMoreShellsThanTheCap() async throws {
        let peer = ScriptedWinRM { call in call.receive < 2 ? .timedOut : .done(stdout: "x", stderr: "", exitCode: 0) }
        let pool = WinRMShellPool(client: peer.client(), maxShells: 2)
        let outputs = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<8 { group.addTask { try await pool.run(PowerShellCommand("a")).stdoutText } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(outputs == Array(repeating: "x", count: 8))
        #expect(peer.shellsCreated <= 2)
        #expect(await pool.openShells <= 2)
    }
}
