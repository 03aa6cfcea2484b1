import Foundation
import XML

/// What one command left behind: its exit code and both output streams.
public struct WinRMCommandOutput: Sendable, Equatable {
    /// The process's exit code.
    public var exitCode: Int
    /// Everything written to stdout.
    public var stdout: [UInt8]
    /// Everything written to stderr.
    public var stderr: [UInt8]

    /// Creates an output record.
    public init(exitCode: Int, stdout: [UInt8], stderr: [UInt8]) {
        self.exitCode = exitCode
        self.stdout = stdout
        self.stderr = stderr
    }

    /// stdout as UTF-8 text.
    public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    /// stderr as UTF-8 text.
    public var stderrText: String { String(decoding: stderr, as: UTF8.self) }
}

/// One open WinRM cmd shell (MS-WSMV): Create once, then for each command Command → Receive
/// until `CommandState` is Done (a `w:TimedOut` fault, 2150858793, only means "no output yet"
/// and is retried, as pywinrm does) → Signal terminate; Delete when done with the shell.
/// A shell runs one command at a time; `WinRMShellPool` hands shells out.
public final class WinRMShell: Sendable {
    /// The WS-Management error number of "the operation timed out" on Receive.
    public static let timedOutFaultCode = 2_150_858_793

    /// The server's id of the shell.
    public let shellID: String
    private let client: WSManClient
    private let maxReceives: Int
    private let maxOutputBytes: Int

    private init(client: WSManClient, shellID: String, maxReceives: Int, maxOutputBytes: Int) {
        self.client = client
        self.shellID = shellID
        self.maxReceives = maxReceives
        self.maxOutputBytes = maxOutputBytes
    }

    /// Opens a shell. `maxReceives` bounds one command's Receive loop against a server that
    /// never says Done; `maxOutputBytes` bounds what one command may write.
    public static func create(client: WSManClient, maxReceives: Int = 10_000, maxOutputBytes: Int = 64 << 20) async throws(WSManError) -> WinRMShell {
        let body = try await client.send(.createShell(to: client.endpoint))
        guard let id = body.selector("ShellId") ?? body.descendant("ShellId")?.text.trimmed, !id.isEmpty else {
            throw .malformed("the Create answer names no ShellId")
        }
        return WinRMShell(client: client, shellID: id, maxReceives: maxReceives, maxOutputBytes: maxOutputBytes)
    }

    /// Runs `command` with `arguments` and collects its output until it is done.
    public func run(_ command: String, arguments: [String]) async throws(WSManError) -> WinRMCommandOutput {
        try await collect(try await start(command, arguments: arguments))
    }

    /// Starts `command` and returns its `CommandId`. A failure here means the command did not start.
    public func start(_ command: String, arguments: [String]) async throws(WSManError) -> String {
        let started = try await client.send(.command(to: client.endpoint, shellID: shellID, command: command, arguments: arguments))
        guard let commandID = started.descendant("CommandId")?.text.trimmed, !commandID.isEmpty else {
            throw .malformed("the Command answer names no CommandId")
        }
        return commandID
    }

    /// Receives the output of a started command until it is done, then signals terminate.
    public func collect(_ commandID: String) async throws(WSManError) -> WinRMCommandOutput {
        let endpoint = client.endpoint
        var stdout: [UInt8] = []
        var stderr: [UInt8] = []
        var exitCode: Int?
        var receives = 0
        while exitCode == nil {
            receives += 1
            guard receives <= maxReceives else { throw .malformed("the command did not finish after \(maxReceives) Receive requests") }
            let body: XMLElement
            do {
                body = try await client.send(.receive(to: endpoint, shellID: shellID, commandID: commandID))
            } catch .fault(let fault) where Self.isTimedOut(fault) {
                continue  // no output within OperationTimeout: ask again
            }
            guard let response = body.child("ReceiveResponse") else { throw .malformed("the Receive answer has no ReceiveResponse") }
            for stream in response.children(named: "Stream") where stream.attributes["CommandId"].map({ $0.caseInsensitiveCompare(commandID) == .orderedSame }) ?? true {
                let text = stream.text.trimmed
                guard !text.isEmpty else { continue }
                guard let bytes = Data(base64Encoded: text) else { throw .malformed("a Receive stream is not base64") }
                switch stream.attributes["Name"] {
                case "stdout": stdout += bytes
                case "stderr": stderr += bytes
                default: continue
                }
                guard stdout.count + stderr.count <= maxOutputBytes else {
                    throw .tooLarge("the command wrote more than \(maxOutputBytes) bytes")
                }
            }
            if let state = response.child("CommandState"), state.attributes["State"] == WSManNamespace.commandDone {
                guard let code = state.child("ExitCode").flatMap({ Int($0.text.trimmed) }) else {
                    throw .malformed("a finished command carries no exit code")
                }
                exitCode = code
            }
        }
        // Releases the command on the server; pywinrm does it after every command.
        _ = try await client.send(.terminate(to: endpoint, shellID: shellID, commandID: commandID))
        return WinRMCommandOutput(exitCode: exitCode ?? -1, stdout: stdout, stderr: stderr)
    }

    /// Runs a PowerShell script through `powershell -EncodedCommand`.
    public func run(_ script: PowerShellCommand) async throws(WSManError) -> WinRMCommandOutput {
        let checked = try script.validated()
        return try await run(checked.command, arguments: [checked.arguments])
    }

    /// Deletes the shell on the server.
    public func delete() async throws(WSManError) {
        _ = try await client.send(.deleteShell(to: client.endpoint, shellID: shellID))
    }

    /// Whether a fault is WinRM's "no output within the operation timeout".
    public static func isTimedOut(_ fault: WSManFault) -> Bool {
        fault.detailCode == timedOutFaultCode || fault.subcodeName == "TimedOut"
    }
}
