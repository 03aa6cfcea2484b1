import Foundation
@testable import Simulators
import Testing
import XML

@Suite("WinRM cmd shell server (SCVMM simulator over HTTP)")
struct WinRMShellTests {
    struct Running {
        let simulator: SCVMMSimulator
        let client: RawHTTPClient

        func call(_ body: String) throws -> (status: Int, envelope: XMLElement) {
            let response = try client.post(body)
            return (response.status, try XMLParser.parse(response.body))
        }

        func open() throws -> String {
            let (status, envelope) = try call(ShellEnvelopes.create())
            guard status == 200, let id = envelope.descendant("Selector")?.text, envelope.descendant("Selector")?.attributes["Name"] == "ShellId" else {
                throw TestFailure("create failed: \(status) \(envelope)")
            }
            return id
        }
    }

    static func start(shell: WinRMShellConfiguration = .init()) async throws -> Running {
        let model = SCVMMModel(inventory: try SCVMMInventory.load(path: SCVMMScripts.demo))
        let simulator = SCVMMSimulator(model: model, configuration: WSManServerConfiguration(credentials: BasicCredentials(user: "administrator", password: "secret"), listener: .lenient),
                                       shellConfiguration: shell)
        let port = try await simulator.start(host: "127.0.0.1", port: 0)
        return Running(simulator: simulator, client: RawHTTPClient(port: port))
    }

    static func decoded(_ envelope: XMLElement, stream: String) -> String {
        let chunks = envelope.descendant("ReceiveResponse")?.children(named: "Stream").filter { $0.attributes["Name"] == stream } ?? []
        return chunks.compactMap { Data(base64Encoded: $0.text) }.map { String(decoding: $0, as: UTF8.self) }.joined()
    }

    @Test("Create → Command (virtfed's powershell + Arguments form) → Receive (Done, ExitCode, base64 streams) → Signal → Delete; RelatesTo echoes MessageID")
    func lifecycle() async throws {
        let running = try await Self.start()
        defer { Task { await running.simulator.stop() } }
        let shell = try running.open()
        let encoded = PowerShellCommandLine.encode("Get-SCVirtualMachine -Name 'web-01' | Select-Object Name | ConvertTo-Json -Compress")
        let (status, command) = try running.call(ShellEnvelopes.command(shell, command: "powershell", arguments: ["-NoProfile -NonInteractive -EncodedCommand \(encoded)"],
                                                                        messageID: "uuid:AAAAAAAA-1111-1111-1111-111111111112"))
        #expect(status == 200)
        #expect(command.descendant("RelatesTo")?.text == "uuid:AAAAAAAA-1111-1111-1111-111111111112")
        let commandID = try #require(command.descendant("CommandId")?.text)
        let (_, receive) = try running.call(ShellEnvelopes.receive(shell, commandID: commandID))
        #expect(Self.decoded(receive, stream: "stdout") == "{\"Name\":\"web-01\"}\r\n")
        let state = try #require(receive.descendant("CommandState"))
        #expect(state.attributes["State"] == ShellEnvelopes.shell + "/CommandState/Done")
        #expect(state.child("ExitCode")?.text == "0")
        #expect(receive.descendant("ReceiveResponse")?.children(named: "Stream").filter { $0.attributes["End"] == "true" }.count == 2)
        let (signalStatus, signal) = try running.call(ShellEnvelopes.signal(shell, commandID: commandID))
        #expect(signalStatus == 200 && signal.descendant("SignalResponse") != nil)
        #expect(signal.descendant("RelatesTo")?.text == "uuid:11111111-1111-1111-1111-111111111114")
        let (deleteStatus, _) = try running.call(ShellEnvelopes.delete(shell))
        #expect(deleteStatus == 200)
        let (again, fault) = try running.call(ShellEnvelopes.delete(shell))
        #expect(again == 500 && fault.faultSubcode == "InvalidSelectors")
        #expect(fault.descendant("WSManFault")?.attributes["Code"] == "2150858843")
        #expect(running.simulator.shell.openShells == 0)
    }

    @Test("A command still running: Receive waits up to OperationTimeout, then the w:TimedOut fault (2150858793); a later Receive gets the output")
    func timedOut() async throws {
        let running = try await Self.start(shell: WinRMShellConfiguration(commandDelay: .milliseconds(5000)))
        defer { Task { await running.simulator.stop() } }
        let shell = try running.open()
        let (_, command) = try running.call(ShellEnvelopes.command(shell, command: "echo", arguments: ["late"]))
        let commandID = try #require(command.descendant("CommandId")?.text)
        let started = ContinuousClock.now
        let (status, fault) = try running.call(ShellEnvelopes.receive(shell, commandID: commandID, timeout: "PT0.5S"))
        let waited = ContinuousClock.now - started
        #expect(status == 500 && fault.faultSubcode == "TimedOut")
        #expect(fault.descendant("WSManFault")?.attributes["Code"] == "2150858793")
        #expect(fault.descendant("RelatesTo")?.text == "uuid:11111111-1111-1111-1111-111111111113")
        // Cut at the client's 0.5 s, well before the command's 5 s (a margin for a loaded machine).
        #expect(waited >= .milliseconds(450) && waited < .milliseconds(4000))
        let (okStatus, output) = try running.call(ShellEnvelopes.receive(shell, commandID: commandID, timeout: "PT10S"))
        #expect(okStatus == 200 && Self.decoded(output, stream: "stdout") == "late\r\n")
    }

    @Test("Large output comes in several Receives (Running, then Done), cmd errors on stderr with exit 1")
    func chunksAndCmd() async throws {
        let running = try await Self.start(shell: WinRMShellConfiguration(receiveChunkBytes: 1000))
        defer { Task { await running.simulator.stop() } }
        let shell = try running.open()
        let encoded = PowerShellCommandLine.encode("Get-SCVirtualMachine -All | ConvertTo-Json -Depth 2")
        let (_, command) = try running.call(ShellEnvelopes.command(shell, command: "powershell -encodedcommand \(encoded)"))
        let commandID = try #require(command.descendant("CommandId")?.text)
        var stdout = "", receives = 0, done = false
        while !done, receives < 100 {
            let (_, reply) = try running.call(ShellEnvelopes.receive(shell, commandID: commandID))
            stdout += Self.decoded(reply, stream: "stdout")
            done = reply.descendant("CommandState")?.attributes["State"]?.hasSuffix("/Done") ?? false
            receives += 1
        }
        #expect(receives > 3)
        #expect((try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [Any])?.count == 13)

        let (_, unknown) = try running.call(ShellEnvelopes.command(shell, command: "ipconfig", arguments: ["/all"]))
        let (_, reply) = try running.call(ShellEnvelopes.receive(shell, commandID: try #require(unknown.descendant("CommandId")?.text)))
        #expect(Self.decoded(reply, stream: "stderr") == "'ipconfig' is not recognized as an internal or external command,\r\noperable program or batch file.\r\n")
        #expect(reply.descendant("ExitCode")?.text == "1")
    }

    @Test("Shells are capped (w:QuotaLimit) and expire when idle; unknown shells and resources are faults")
    func limits() async throws {
        let running = try await Self.start(shell: WinRMShellConfiguration(maxShells: 2, idleTimeout: .milliseconds(300)))
        defer { Task { await running.simulator.stop() } }
        _ = try running.open()
        _ = try running.open()
        let (status, fault) = try running.call(ShellEnvelopes.create())
        #expect(status == 500 && fault.faultSubcode == "QuotaLimit")
        #expect(fault.path("Body", "Fault", "Detail", "WSManFault")?.attributes["Code"] == "2150859173")
        #expect(fault.descendant("Message")?.text.contains("This user is allowed a maximum number of 2 concurrent shells, which has been exceeded.") == true)
        try await Task.sleep(for: .milliseconds(400))
        #expect(running.simulator.shell.openShells == 0)
        _ = try running.open()
        let (missing, notFound) = try running.call(ShellEnvelopes.command("00000000-0000-0000-0000-000000000000", command: "echo"))
        #expect(missing == 500 && notFound.faultSubcode == "InvalidSelectors")
        let wrongResource = ShellEnvelopes.create().replacingOccurrences(of: ShellEnvelopes.cmd, with: "http://schemas.microsoft.com/powershell/Microsoft.PowerShell")
        let (unreachable, destination) = try running.call(wrongResource)
        #expect(unreachable == 500 && destination.faultSubcode == "DestinationUnreachable")
        var anonymous = running.client
        anonymous.password = "wrong"
        #expect(try anonymous.post(ShellEnvelopes.create()).status == 401)
    }
}
