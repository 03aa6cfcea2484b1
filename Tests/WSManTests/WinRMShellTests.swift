import Foundation
import Testing
import WinRMTestPeer
import WSMan
import XML

@Suite("WinRM shell: Create, Command, Receive, Signal, Delete")
struct WinRMShellTests {
    @Test func aCommandRunsToDoneRetryingTimedOutReceivesAndJoiningChunks() async throws {
        let peer = ScriptedWinRM { call in
            switch call.receive {
            case 1: .timedOut
            case 2: .running(stdout: "{\"a\":")
            case 3: .timedOut
            default: .done(stdout: "1}", stderr: "", exitCode: 0)
            }
        }
        let client = peer.client()
        let shell = try await WinRMShell.create(client: client)
        #expect(shell.shellID == "SHELL-1")
        let output = try await shell.run(PowerShellCommand("Write-Output 1"))
        #expect(output.exitCode == 0)
        #expect(output.stdoutText == #"{"a":1}"#)
        #expect(output.stderr.isEmpty)
        try await shell.delete()

        let sent = try peer.transport.requests.map(SentEnvelope.init)
        let shellNS = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell"
        #expect(sent.compactMap(\.action) == [
            "http://schemas.xmlsoap.org/ws/2004/09/transfer/Create", "\(shellNS)/Command",
            "\(shellNS)/Receive", "\(shellNS)/Receive", "\(shellNS)/Receive", "\(shellNS)/Receive",
            "\(shellNS)/Signal", "http://schemas.xmlsoap.org/ws/2004/09/transfer/Delete",
        ])
        #expect(sent.allSatisfy { $0.resourceURI == "\(shellNS)/cmd" })
        #expect(sent.dropFirst().allSatisfy { $0.selectors == ["ShellId=SHELL-1"] })
        // pywinrm's options and body for Create, and PowerShell's encoded command line.
        let options = (sent[0].header("OptionSet")?.children ?? []).map { "\($0.attributes["Name"] ?? "")=\($0.text)" }
        #expect(options == ["WINRS_NOPROFILE=FALSE", "WINRS_CODEPAGE=437"])
        #expect(sent[0].body?.path("Shell", "OutputStreams")?.text == "stdout stderr")
        #expect(sent[0].header("OperationTimeout")?.text == "PT20S")
        let line = sent[1].body?.child("CommandLine")
        #expect(line?.child("Command")?.text == "powershell")
        #expect(line?.child("Arguments")?.text == "-NoProfile -NonInteractive -EncodedCommand " + PowerShellCommand("Write-Output 1").encodedScript)
        #expect(sent[2].body?.path("Receive", "DesiredStream")?.attributes["CommandId"] == "CMD-1")
        #expect(sent[6].body?.child("Signal")?.child("Code")?.text == "\(shellNS)/signal/terminate")
        #expect(peer.signalled == ["CMD-1"])
        #expect(peer.deleted == ["SHELL-1"])
    }

    @Test func theEncodedCommandIsUTF16LEBase64AsPywinrmSendsIt() {
        // pywinrm's fixture: `Write-Error "Error"`.
        #expect(PowerShellCommand(#"Write-Error "Error""#).encodedScript == "VwByAGkAdABlAC0ARQByAHIAbwByACAAIgBFAHIAcgBvAHIAIgA=")
        // Beyond the BMP: a surrogate pair is two UTF-16 units.
        #expect(PowerShellCommand("😀").encodedScript == Data([0x3D, 0xD8, 0x00, 0xDE]).base64EncodedString())
        #expect(throws: WSManError.self) { try PowerShellCommand(String(repeating: "x", count: 5000)).validated() }
    }

    @Test func theCLIXMLOfProtocolsSection25BecomesReadableText() throws {
        let chunks = [Data(base64Encoded: "IzwgQ0xJWE1MDQo=")!, Data(Self.writeErrorCLIXML.utf8)]
        let stderr = String(decoding: chunks.reduce(Data(), +), as: UTF8.self)
        let text = CLIXML.readable(stderr)
        #expect(text == """
            Write-Error "Error" : Error
                + CategoryInfo          : NotSpecified: (:) [Write-Error], WriteErrorExcep
               tion
                + FullyQualifiedErrorId : Microsoft.PowerShell.Commands.WriteErrorExceptio
               n
            """)
        // Not CLIXML: as it came. Broken CLIXML: never a crash, the raw text.
        #expect(CLIXML.readable("plain failure\r\n") == "plain failure")
        #expect(CLIXML.readable("#< CLIXML\r\n<Objs><S S=\"Error\">unterminated") == "#< CLIXML\r\n<Objs><S S=\"Error\">unterminated")
        #expect(CLIXML.decode("a_x0009_b_x000D__x000A_c_x005F_x") == "a\tb\nc_x")
        #expect(CLIXML.decode("_x00") == "_x00")
        // Progress records (Obj) are dropped; only the error strings count.
        let withProgress = "#< CLIXML\r\n" + #"<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04"><Obj S="progress" RefId="0"><TN RefId="0"><T>System.Management.Automation.PSCustomObject</T></TN><MS><I64 N="SourceId">1</I64></MS></Obj><S S="Error">boom_x000D__x000A_</S></Objs>"#
        #expect(CLIXML.readable(withProgress) == "boom")
    }

    static let writeErrorCLIXML = #"<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04"><S S="Error">Write-Error "Error" : Error_x000D__x000A_</S><S S="Error">    + CategoryInfo          : NotSpecified: (:) [Write-Error], WriteErrorExcep _x000D__x000A_</S><S S="Error">   tion_x000D__x000A_</S><S S="Error">    + FullyQualifiedErrorId : Microsoft.PowerShell.Commands.WriteErrorExceptio _x000D__x000A_</S><S S="Error">   n_x000D__x000A_</S><S S="Error"> _x000D__x000A_</S></Objs>"#

    @Test func hostileAnswersAreTypedErrors() async throws {
        // A Receive that never reaches Done is bounded.
        let endless = ScriptedWinRM { _ in .running(stdout: "") }
        let shell = try await WinRMShell.create(client: endless.client(), maxReceives: 3)
        let error = await failure { () async throws(WSManError) in try await shell.run("cmd", arguments: []) }
        guard case .malformed? = error else { Issue.record("expected malformed, got \(String(describing: error))"); return }

        // Streams that are not base64, and a Done without exit code.
        for body in [
            #"<rsp:ReceiveResponse xmlns:rsp="http://schemas.microsoft.com/wbem/wsman/1/windows/shell"><rsp:Stream Name="stdout">%%%not base64%%%</rsp:Stream></rsp:ReceiveResponse>"#,
            #"<rsp:ReceiveResponse xmlns:rsp="http://schemas.microsoft.com/wbem/wsman/1/windows/shell"><rsp:CommandState State="http://schemas.microsoft.com/wbem/wsman/1/windows/shell/CommandState/Done"/></rsp:ReceiveResponse>"#,
            "<nothing/>",
        ] {
            let peer = ScriptedWinRM { _ in .raw(WSManHTTPResponse(status: 200, body: Hyperv.envelope(action: "r", body: body))) }
            let shell = try await WinRMShell.create(client: peer.client())
            let error = await failure { () async throws(WSManError) in try await shell.run("cmd", arguments: []) }
            guard case .malformed? = error else { Issue.record("expected malformed for \(body), got \(String(describing: error))"); continue }
        }

        // A Create answer naming no shell.
        let noShell = RecordedTransport(answers: [WSManHTTPResponse(status: 200, body: Hyperv.envelope(action: "c", body: "<x/>"))])
        let created = await failure { () async throws(WSManError) in try await WinRMShell.create(client: WSManClient(transport: noShell, endpoint: Hyperv.endpoint)) }
        guard case .malformed? = created else { Issue.record("expected malformed, got \(String(describing: created))"); return }
    }
}
