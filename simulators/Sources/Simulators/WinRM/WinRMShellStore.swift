import Foundation
import NIOCore

/// The open shells and their commands, bounded (`maxShells`) and expiring (`idleTimeout`).
final class WinRMShellStore: Sendable {
    private struct Shell {
        var lastUsed: NIODeadline
        var commands: [String: WinRMCommandRecord] = [:]
    }

    private let shells = Locked<[String: Shell]>([:])
    private let configuration: WinRMShellConfiguration

    init(configuration: WinRMShellConfiguration) { self.configuration = configuration }

    /// Shells open now (expired ones are not counted).
    var count: Int {
        shells.withLock { shells in
            prune(&shells, now: .now())
            return shells.count
        }
    }

    /// Opens a shell; returns its ShellId.
    func create() throws(WSManFaultReply) -> String {
        let now = NIODeadline.now()
        let id = UUID().uuidString.uppercased()
        let opened = shells.withLock { shells -> Bool in
            prune(&shells, now: now)
            guard shells.count < configuration.maxShells else { return false }
            shells[id] = Shell(lastUsed: now)
            return true
        }
        guard opened else { throw .shellQuotaExceeded(configuration.maxShells) }
        return id
    }

    /// Closes a shell and its commands.
    func delete(_ shellID: String) throws(WSManFaultReply) {
        let removed = shells.withLock { shells in
            prune(&shells, now: .now())
            return shells.removeValue(forKey: shellID.uppercased()) != nil
        }
        guard removed else { throw .shellNotFound(shellID) }
    }

    /// Records a started command; returns its CommandId.
    func add(_ output: ShellCommandOutput, to shellID: String) throws(WSManFaultReply) -> String {
        let now = NIODeadline.now()
        let id = UUID().uuidString.uppercased()
        let delay = TimeAmount.nanoseconds(Int64(configuration.commandDelay.components.seconds) * 1_000_000_000
                                           + configuration.commandDelay.components.attoseconds / 1_000_000_000)
        let record = WinRMCommandRecord(id: id, output: output, readyAt: now + delay)
        let added = shells.withLock { shells -> Bool in
            prune(&shells, now: now)
            guard var shell = shells[shellID.uppercased()] else { return false }
            shell.lastUsed = now
            shell.commands[id] = record
            shells[shellID.uppercased()] = shell
            return true
        }
        guard added else { throw .shellNotFound(shellID) }
        return id
    }

    /// Whether the shell exists (touching it), throwing the WinRM fault when it does not.
    func touch(_ shellID: String) throws(WSManFaultReply) {
        let now = NIODeadline.now()
        let found = shells.withLock { shells -> Bool in
            prune(&shells, now: now)
            guard shells[shellID.uppercased()] != nil else { return false }
            shells[shellID.uppercased()]?.lastUsed = now
            return true
        }
        guard found else { throw .shellNotFound(shellID) }
    }

    /// When the command's output is available.
    func readyAt(shell shellID: String, command commandID: String) throws(WSManFaultReply) -> NIODeadline {
        let ready = shells.withLock { shells -> NIODeadline?? in
            guard let shell = shells[shellID.uppercased()] else { return .none }
            return .some(shell.commands[commandID.uppercased()]?.readyAt)
        }
        switch ready {
        case .none: throw .shellNotFound(shellID)
        case .some(.none): throw .commandNotFound(commandID)
        case .some(.some(let deadline)): return deadline
        }
    }

    /// Takes the command's next output chunk (call once it is ready).
    func nextChunk(shell shellID: String, command commandID: String)
        throws(WSManFaultReply) -> (stdout: ArraySlice<UInt8>, stderr: ArraySlice<UInt8>, done: Bool, exitCode: Int32) {
        let limit = configuration.receiveChunkBytes
        let chunk = shells.withLock { shells -> (ArraySlice<UInt8>, ArraySlice<UInt8>, Bool, Int32)?? in
            guard var shell = shells[shellID.uppercased()] else { return .none }
            guard var command = shell.commands[commandID.uppercased()] else { return .some(nil) }
            let (stdout, stderr, done) = command.nextChunk(limit: limit)
            shell.commands[commandID.uppercased()] = command
            shell.lastUsed = .now()
            shells[shellID.uppercased()] = shell
            return .some((stdout, stderr, done, command.output.exitCode))
        }
        switch chunk {
        case .none: throw .shellNotFound(shellID)
        case .some(.none): throw .commandNotFound(commandID)
        case .some(.some(let found)): return (found.0, found.1, found.2, found.3)
        }
    }

    /// Ends a command (Signal terminate); unknown commands are ignored, as WinRM does once a
    /// command has finished.
    func terminate(shell shellID: String, command commandID: String) throws(WSManFaultReply) {
        let found = shells.withLock { shells -> Bool in
            guard var shell = shells[shellID.uppercased()] else { return false }
            shell.commands.removeValue(forKey: commandID.uppercased())
            shell.lastUsed = .now()
            shells[shellID.uppercased()] = shell
            return true
        }
        guard found else { throw .shellNotFound(shellID) }
    }

    private func prune(_ shells: inout [String: Shell], now: NIODeadline) {
        let idle = TimeAmount.milliseconds(Int64(configuration.idleTimeout.components.seconds) * 1000
                                           + configuration.idleTimeout.components.attoseconds / 1_000_000_000_000_000)
        shells = shells.filter { now < $0.value.lastUsed + idle }
    }
}
