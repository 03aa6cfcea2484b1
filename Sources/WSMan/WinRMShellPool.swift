import BlockingWork

/// Reuses WinRM shells across commands instead of opening one per call: at most `maxShells`
/// open at once (callers beyond that wait for one to come free), each recycled after
/// `maxCommandsPerShell` commands, and deleted at once after any failure that leaves it in
/// doubt (a transport error, a fault, a malformed answer). A command that merely exits
/// non-zero is not such a failure: its shell is reused. A reused shell that refuses a new
/// command with a fault (the server forgot it: idle timeout, restart) is replaced and the
/// command tried again, since it never started.
public actor WinRMShellPool {
    /// Counters for tests and diagnostics.
    public struct Statistics: Sendable, Equatable {
        /// Shells opened.
        public var created = 0
        /// Shells deleted (recycled, discarded after an error, or closed).
        public var deleted = 0
        /// Shells dropped because a command on them failed.
        public var discardedAfterError = 0
        /// Commands run to completion.
        public var commands = 0

        /// Creates counters.
        public init(created: Int = 0, deleted: Int = 0, discardedAfterError: Int = 0, commands: Int = 0) {
            self.created = created
            self.deleted = deleted
            self.discardedAfterError = discardedAfterError
            self.commands = commands
        }
    }

    private struct Idle {
        let shell: WinRMShell
        let uses: Int
    }

    private let makeClient: @Sendable () throws(WSManError) -> WSManClient
    private let maxShells: Int
    private let maxCommandsPerShell: Int
    private var idle: [Idle] = []
    private var openCount = 0
    private var waiters: [CheckedContinuation<Void, Never>] = []
    private var closed = false
    private var stats = Statistics()

    /// Creates a pool whose shells each get a client of their own from `makeClient` (so, over
    /// libcurl, a connection of their own: one shell's long Receive never holds up another's).
    public init(maxShells: Int = 4, maxCommandsPerShell: Int = 1000, makeClient: @escaping @Sendable () throws(WSManError) -> WSManClient) {
        self.makeClient = makeClient
        self.maxShells = max(1, maxShells)
        self.maxCommandsPerShell = max(1, maxCommandsPerShell)
    }

    /// Creates a pool whose shells all talk through `client`.
    public init(client: WSManClient, maxShells: Int = 4, maxCommandsPerShell: Int = 1000) {
        self.init(maxShells: maxShells, maxCommandsPerShell: maxCommandsPerShell) { client }
    }

    /// The counters so far.
    public var statistics: Statistics { stats }

    /// Shells open now (idle or running a command).
    public var openShells: Int { openCount }

    /// Opens one shell ahead of the first command (when none is open), which also proves the
    /// endpoint answers and accepts the credentials.
    public func prepare() async throws(WSManError) {
        guard openCount == 0 else { return }
        let (shell, uses) = try await acquire()
        idle.append(Idle(shell: shell, uses: uses))
        wakeOne()
    }

    /// Runs a PowerShell script on a pooled shell.
    public func run(_ script: PowerShellCommand) async throws(WSManError) -> WinRMCommandOutput {
        let checked = try script.validated()
        while true {
            let (shell, uses) = try await acquire()
            let commandID: String
            do {
                commandID = try await shell.start(checked.command, arguments: [checked.arguments])
            } catch {
                discard(shell)
                // A reused shell the server no longer knows (idle timeout, restart) refuses the
                // command before it starts: safe to try again, on another shell.
                if case .fault = error, uses > 0 { continue }
                throw error
            }
            let output: WinRMCommandOutput
            do {
                output = try await shell.collect(commandID)
            } catch {
                discard(shell)
                throw error
            }
            finish(shell, uses: uses)
            return output
        }
    }

    /// Deletes every idle shell (all at once, waiting at most `milliseconds` for a server that
    /// does not answer) and refuses further commands; shells still running a command are
    /// deleted when it ends.
    public func close(waitingAtMost milliseconds: Int = 3000) async {
        closed = true
        let shells = idle.map(\.shell)
        idle.removeAll()
        openCount -= shells.count
        stats.deleted += shells.count
        for waiter in waiters { waiter.resume() }
        waiters.removeAll()
        _ = try? await withDeadline(milliseconds: milliseconds, onTimeout: { WSManError.timeout("deleting WinRM shells") }) { () async throws(WSManError) in
            await withTaskGroup(of: Void.self) { group in
                for shell in shells { group.addTask { try? await shell.delete() } }
            }
        }
    }

    // MARK: - Internals

    private func acquire() async throws(WSManError) -> (WinRMShell, Int) {
        while true {
            guard !closed else { throw .unavailable("the WinRM shell pool is closed") }
            if let next = idle.popLast() { return (next.shell, next.uses) }
            if openCount < maxShells {
                openCount += 1
                do {
                    let shell = try await WinRMShell.create(client: try makeClient())
                    stats.created += 1
                    return (shell, 0)
                } catch {
                    openCount -= 1
                    wakeOne()
                    throw error
                }
            }
            await withCheckedContinuation { waiters.append($0) }
        }
    }

    /// Puts a shell back after a command, or recycles it when its quota is used up.
    private func finish(_ shell: WinRMShell, uses: Int) {
        stats.commands += 1
        if closed || uses + 1 >= maxCommandsPerShell {
            retire(shell)
        } else {
            idle.append(Idle(shell: shell, uses: uses + 1))
            wakeOne()
        }
    }

    /// Drops a shell a command failed on.
    private func discard(_ shell: WinRMShell) {
        stats.discardedAfterError += 1
        retire(shell)
    }

    /// Takes a shell out of the pool and deletes it on the server in the background (a dead
    /// server must not hold up the caller's error).
    private func retire(_ shell: WinRMShell) {
        openCount -= 1
        stats.deleted += 1
        wakeOne()
        Task { try? await shell.delete() }
    }

    private func wakeOne() {
        if !waiters.isEmpty { waiters.removeFirst().resume() }
    }
}
