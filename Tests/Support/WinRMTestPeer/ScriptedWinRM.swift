import Foundation
import Synchronization
import WSMan
import XML

/// A scripted WinRM cmd-shell peer behind a `RecordedTransport`, for unit tests: it answers
/// Create, Command, Receive, Signal and Delete with WinRM's envelopes, and lets the test
/// decide what each Receive returns (given the command's arguments, e.g. an encoded script).
public final class ScriptedWinRM: Sendable {
    /// One Receive request: which command (1-based, over the peer's life), which Receive of
    /// it (1-based) and the command's `rsp:Arguments`.
    public struct Call: Sendable {
        /// The command's number, from 1.
        public let command: Int
        /// The Receive's number for this command, from 1.
        public let receive: Int
        /// The command's `rsp:Arguments`, joined by spaces.
        public let arguments: String
    }

    /// What a Receive answers.
    public enum ReceiveAnswer: Sendable {
        /// WinRM's `w:TimedOut` fault: no output within the operation timeout.
        case timedOut
        /// Some output; the command goes on.
        case running(stdout: String)
        /// The last output and the exit code.
        case done(stdout: String, stderr: String, exitCode: Int)
        /// Exactly this HTTP answer.
        case raw(WSManHTTPResponse)
    }

    private struct State {
        var shells = 0
        var commands = 0
        var receives: [String: Int] = [:]
        var arguments: [String: String] = [:]
        var deleted: [String] = []
        var signalled: [String] = []
        var forgotten: Set<String> = []
    }

    /// The endpoint the peer pretends to be.
    public static let endpoint = "https://winrm.test:5986/wsman"
    static let shellNS = WSManNamespace.shell

    private let state = Mutex(State())
    private let receive: @Sendable (Call) -> ReceiveAnswer
    private let inbox = Mutex<RecordedTransport?>(nil)

    /// Creates a peer whose Receives answer with `receive`.
    public init(receive: @escaping @Sendable (Call) -> ReceiveAnswer) {
        self.receive = receive
    }

    /// The transport a client talks to this peer through (one per peer; it records requests).
    public var transport: RecordedTransport {
        inbox.withLock { current in
            if let current { return current }
            let made = RecordedTransport { [self] envelope, _ throws(WSManError) in try self.answer(envelope) }
            current = made
            return made
        }
    }

    /// A client of this peer.
    public func client(operationTimeoutSeconds: Int = 20) -> WSManClient {
        WSManClient(transport: transport, endpoint: Self.endpoint, operationTimeoutSeconds: operationTimeoutSeconds)
    }

    /// Shells created so far.
    public var shellsCreated: Int { state.withLock { $0.shells } }
    /// Commands started so far.
    public var commandsStarted: Int { state.withLock { $0.commands } }
    /// Shell ids deleted, in order.
    public var deleted: [String] { state.withLock { $0.deleted } }
    /// Command ids signalled (terminate), in order.
    public var signalled: [String] { state.withLock { $0.signalled } }

    /// Forgets every shell created so far, as a server does after their idle timeout: a
    /// Command on one of them is refused with a `w:InvalidSelectors` fault.
    public func forgetShells() {
        state.withLock { state in state.forgotten.formUnion((0...state.shells).map { "SHELL-\($0)" }) }
    }

    /// A whole answer envelope with WinRM's usual header.
    public static func envelope(action: String, body: String) -> String {
        #"<s:Envelope xmlns:s="\#(WSManNamespace.soap)" xmlns:a="\#(WSManNamespace.addressing)" xmlns:w="\#(WSManNamespace.wsman)">"#
            + "<s:Header><a:Action>\(action)</a:Action><a:MessageID>uuid:6E1B2C8A-0D5E-4B62-9B43-1F0A9C2D7E11</a:MessageID></s:Header>"
            + "<s:Body>\(body)</s:Body></s:Envelope>"
    }

    /// WinRM's answer when a Receive saw no output within the operation timeout.
    public static let timedOut = WSManHTTPResponse(status: 500, body: envelope(action: "http://schemas.dmtf.org/wbem/wsman/1/wsman/fault", body:
        "<s:Fault><s:Code><s:Value>s:Receiver</s:Value><s:Subcode><s:Value>w:TimedOut</s:Value></s:Subcode></s:Code>"
        + #"<s:Reason><s:Text xml:lang="en-US">The WS-Management service cannot complete the operation within the time specified in OperationTimeout.</s:Text></s:Reason>"#
        + #"<s:Detail><f:WSManFault xmlns:f="\#(WSManNamespace.wsmanFault)" Code="2150858793" Machine="winrm.test"/></s:Detail></s:Fault>"#))

    private func answer(_ bytes: [UInt8]) throws(WSManError) -> WSManHTTPResponse {
        guard let root = try? XMLParser.parse(bytes), let action = root.path("Header", "Action")?.text else {
            throw .invalidRequest("unparseable request")
        }
        let shellID = root.path("Header", "SelectorSet")?.children.first { $0.attributes["Name"] == "ShellId" }?.text ?? ""
        let body = root.child("Body")
        switch action {
        case WSManNamespace.createAction:
            let id = state.withLock { state in
                state.shells += 1
                return "SHELL-\(state.shells)"
            }
            return ok(WSManNamespace.createAction + "Response", """
                <x:ResourceCreated xmlns:x="\(WSManNamespace.transfer)"><a:Address>\(Self.endpoint)</a:Address>\
                <a:ReferenceParameters><w:ResourceURI>\(WSManNamespace.cmdShell)</w:ResourceURI><w:SelectorSet>\
                <w:Selector Name="ShellId">\(id)</w:Selector></w:SelectorSet></a:ReferenceParameters></x:ResourceCreated>
                """)
        case WSManNamespace.commandAction where state.withLock({ $0.forgotten.contains(shellID) }):
            return WSManHTTPResponse(status: 500, body: Self.envelope(action: "http://schemas.dmtf.org/wbem/wsman/1/wsman/fault", body:
                "<s:Fault><s:Code><s:Value>s:Sender</s:Value><s:Subcode><s:Value>w:InvalidSelectors</s:Value></s:Subcode></s:Code>"
                + #"<s:Reason><s:Text xml:lang="en-US">The request for the Windows Remote Shell with ShellId \#(shellID) failed because the shell was not found on the server.</s:Text></s:Reason></s:Fault>"#))
        case WSManNamespace.commandAction:
            let arguments = body?.child("CommandLine")?.children(named: "Arguments").map(\.text).joined(separator: " ") ?? ""
            let id = state.withLock { state in
                state.commands += 1
                state.arguments["CMD-\(state.commands)"] = arguments
                return "CMD-\(state.commands)"
            }
            return ok(WSManNamespace.commandAction + "Response",
                      #"<rsp:CommandResponse xmlns:rsp="\#(Self.shellNS)"><rsp:CommandId>\#(id)</rsp:CommandId></rsp:CommandResponse>"#)
        case WSManNamespace.receiveAction:
            return receiveAnswer(commandID: body?.path("Receive", "DesiredStream")?.attributes["CommandId"] ?? "")
        case WSManNamespace.signalAction:
            let command = body?.child("Signal")?.attributes["CommandId"] ?? ""
            state.withLock { $0.signalled.append(command) }
            return ok(WSManNamespace.signalAction + "Response", #"<rsp:SignalResponse xmlns:rsp="\#(Self.shellNS)"/>"#)
        case WSManNamespace.deleteAction:
            state.withLock { $0.deleted.append(shellID) }
            return ok(WSManNamespace.deleteAction + "Response", "")
        default:
            throw .invalidRequest("unexpected action \(action)")
        }
    }

    private func receiveAnswer(commandID: String) -> WSManHTTPResponse {
        let (index, arguments) = state.withLock { state in
            state.receives[commandID, default: 0] += 1
            return (state.receives[commandID, default: 0], state.arguments[commandID] ?? "")
        }
        let call = Call(command: Int(commandID.dropFirst(4)) ?? 0, receive: index, arguments: arguments)
        func stream(_ name: String, _ text: String) -> String {
            text.isEmpty ? "" : #"<rsp:Stream Name="\#(name)" CommandId="\#(commandID)">\#(Data(text.utf8).base64EncodedString())</rsp:Stream>"#
        }
        let open = #"<rsp:ReceiveResponse xmlns:rsp="\#(Self.shellNS)">"#
        switch receive(call) {
        case .timedOut:
            return Self.timedOut
        case .running(let stdout):
            return ok(WSManNamespace.receiveAction + "Response", open + stream("stdout", stdout)
                + #"<rsp:CommandState CommandId="\#(commandID)" State="\#(Self.shellNS)/CommandState/Running"/></rsp:ReceiveResponse>"#)
        case .done(let stdout, let stderr, let exitCode):
            return ok(WSManNamespace.receiveAction + "Response", open + stream("stdout", stdout) + stream("stderr", stderr)
                + #"<rsp:Stream Name="stdout" CommandId="\#(commandID)" End="true"/><rsp:Stream Name="stderr" CommandId="\#(commandID)" End="true"/>"#
                + #"<rsp:CommandState CommandId="\#(commandID)" State="\#(WSManNamespace.commandDone)"><rsp:ExitCode>\#(exitCode)</rsp:ExitCode>"#
                + "</rsp:CommandState></rsp:ReceiveResponse>")
        case .raw(let response):
            return response
        }
    }

    private func ok(_ action: String, _ body: String) -> WSManHTTPResponse {
        WSManHTTPResponse(status: 200, body: Self.envelope(action: action, body: body))
    }
}

extension ScriptedWinRM.Call {
    /// The PowerShell script of a `powershell … -EncodedCommand BASE64` command, decoded.
    public var script: String? {
        guard let encoded = arguments.split(separator: " ").last, let data = Data(base64Encoded: String(encoded)), data.count % 2 == 0 else {
            return nil
        }
        let units = stride(from: 0, to: data.count, by: 2).map { UInt16(data[$0]) | UInt16(data[$0 + 1]) << 8 }
        return String(decoding: units, as: UTF16.self)
    }
}
