import Foundation
import Logging
import NIOCore
import NIOPosix
import XML

/// The WinRM cmd shell (MS-WSMV) as Windows serves it to pywinrm: Create → Command → Receive
/// (repeated while Running; the `w:TimedOut` fault after `w:OperationTimeout` without output) →
/// Signal terminate → Delete, on ResourceURI `…/windows/shell/cmd`. Commands run on a
/// `ShellCommandRunner` (the simulated machine).
public final class WinRMShellService: WSManEndpoint {
    /// The server's DNS name (faults' `Machine`, NTLM TargetInfo).
    public let machineName: String
    /// Limits and timing.
    public let configuration: WinRMShellConfiguration
    private let runner: any ShellCommandRunner
    private let shells: WinRMShellStore
    private let logger: Logger

    /// Creates the service.
    public init(machineName: String, runner: any ShellCommandRunner, configuration: WinRMShellConfiguration = .init(),
                logger: Logger = Logger(label: "virtfed.sim.winrm")) {
        self.machineName = machineName
        self.runner = runner
        self.configuration = configuration
        self.logger = logger
        shells = WinRMShellStore(configuration: configuration)
    }

    /// Shells open now.
    public var openShells: Int { shells.count }

    /// WinRM answers Identify on any resource.
    public func identifies(_ body: [UInt8]) -> Bool {
        guard let document = try? XMLParser.parse(body, maxBytes: 1 << 20, maxDepth: 32),
              let request = try? WSManRequest(envelope: document) else { return false }
        return request.action == nil && request.payload?.name == "Identify" && request.payload?.namespace == WSManURI.identity
    }

    /// Answers one request; a Receive whose command is not finished completes later.
    public func reply(to body: [UInt8], on eventLoop: any EventLoop) -> EventLoopFuture<WSManReply> {
        var relatesTo: String?
        do {
            let document: XMLElement
            do { document = try XMLParser.parse(body, maxBytes: 1 << 20, maxDepth: 32) } catch {
                throw WSManFaultReply.invalidHeader("The request is not well-formed XML: \(error.message)")
            }
            let request = try WSManRequest(envelope: document)
            relatesTo = request.messageID
            if request.action == nil, request.payload?.name == "Identify" {
                return eventLoop.makeSucceededFuture(WSManReply(status: 200, body: identify()))
            }
            guard let action = request.action else { throw WSManFaultReply.headerRequired("a:Action") }
            guard let resource = request.resourceURI else { throw WSManFaultReply.headerRequired("w:ResourceURI") }
            guard resource.lowercased() == WinRMShellURI.cmdResource else {
                throw WSManFaultReply.destinationUnreachable("The WS-Management service cannot process the request. The resource URI \(resource) was not found in the WS-Management catalog.")
            }
            switch action {
            case WinRMShellURI.createAction: return ok(try create(request), action: WSManURI.transfer + "/CreateResponse", request, eventLoop)
            case WinRMShellURI.deleteAction:
                try shells.delete(try shellID(request))
                return ok("", action: WSManURI.transfer + "/DeleteResponse", request, eventLoop)
            case WinRMShellURI.commandAction:
                // Scripts run on NIO's thread pool, not on the event loop (a 5,000-VM inventory takes a while).
                let messageID = request.messageID
                return NIOThreadPool.singleton.runIfActive(eventLoop: eventLoop) { () -> WSManReply in
                    do throws(WSManFaultReply) {
                        let body = try self.command(request)
                        return WSManReply(status: 200, body: WSManEnvelopeWriter.envelope(action: WinRMShellURI.commandAction + "Response",
                                                                                          relatesTo: messageID, body: body))
                    } catch {
                        return self.faultReply(error, relatesTo: messageID)
                    }
                }
            case WinRMShellURI.signalAction: return ok(try signal(request), action: WinRMShellURI.signalAction + "Response", request, eventLoop)
            case WinRMShellURI.sendAction:
                try shells.touch(try shellID(request))
                return ok("<rsp:SendResponse xmlns:rsp=\"\(WinRMShellURI.shell)\"/>", action: WinRMShellURI.sendAction + "Response", request, eventLoop)
            case WinRMShellURI.receiveAction: return try receive(request, on: eventLoop)
            default: throw WSManFaultReply.actionNotSupported(action)
            }
        } catch let fault as WSManFaultReply {
            return eventLoop.makeSucceededFuture(faultReply(fault, relatesTo: relatesTo))
        } catch {
            return eventLoop.makeSucceededFuture(faultReply(.internalError("\(error)"), relatesTo: relatesTo))
        }
    }

    private func ok(_ body: String, action: String, _ request: WSManRequest, _ eventLoop: any EventLoop) -> EventLoopFuture<WSManReply> {
        eventLoop.makeSucceededFuture(WSManReply(status: 200, body: WSManEnvelopeWriter.envelope(action: action, relatesTo: request.messageID, body: body)))
    }

    private func faultReply(_ fault: WSManFaultReply, relatesTo: String?) -> WSManReply {
        logger.debug("fault", metadata: ["subcode": "\(fault.subcode)"])
        return WSManReply(status: 500, body: fault.envelope(relatesTo: relatesTo, machine: machineName))
    }

    private func shellID(_ request: WSManRequest) throws(WSManFaultReply) -> String {
        guard let id = request.selectors.first(where: { $0.name.lowercased() == "shellid" })?.value, !id.isEmpty else {
            throw .invalidSelectors("The ShellId selector is missing.")
        }
        return id
    }

    private func create(_ request: WSManRequest) throws(WSManFaultReply) -> String {
        let id = try shells.create()
        let rsp = WinRMShellURI.shell
        let address = request.to.flatMap { $0.isEmpty ? nil : $0 } ?? WSManURI.anonymous
        logger.debug("shell created", metadata: ["shell": "\(id)"])
        return """
            <x:ResourceCreated><a:Address>\(address.xmlEscaped)</a:Address><a:ReferenceParameters>\
            <w:ResourceURI>\(WinRMShellURI.cmdResource)</w:ResourceURI><w:SelectorSet><w:Selector Name="ShellId">\(id)</w:Selector>\
            </w:SelectorSet></a:ReferenceParameters></x:ResourceCreated>\
            <rsp:Shell xmlns:rsp="\(rsp)"><rsp:ShellId>\(id)</rsp:ShellId><rsp:ResourceUri>\(WinRMShellURI.cmdResource)</rsp:ResourceUri>\
            <rsp:InputStreams>stdin</rsp:InputStreams><rsp:OutputStreams>stdout stderr</rsp:OutputStreams></rsp:Shell>
            """
    }

    private func command(_ request: WSManRequest) throws(WSManFaultReply) -> String {
        let shell = try shellID(request)
        try shells.touch(shell)
        guard let line = request.payload, line.name == "CommandLine", let command = line.child("Command")?.text.trimmingSpaces,
              !command.isEmpty else {
            throw .invalidParameter("The WS-Management service cannot process the request because the CommandLine element is missing or empty.")
        }
        let arguments = line.children(named: "Arguments").map(\.text)
        let output = runner.run(command: command, arguments: arguments)
        let id = try shells.add(output, to: shell)
        logger.debug("command", metadata: ["shell": "\(shell)", "command": "\(id)", "exit": "\(output.exitCode)"])
        return "<rsp:CommandResponse xmlns:rsp=\"\(WinRMShellURI.shell)\"><rsp:CommandId>\(id)</rsp:CommandId></rsp:CommandResponse>"
    }

    private func signal(_ request: WSManRequest) throws(WSManFaultReply) -> String {
        let shell = try shellID(request)
        guard let payload = request.payload, payload.name == "Signal", let command = payload.attributes["CommandId"] else {
            throw .invalidParameter("The Signal element or its CommandId is missing.")
        }
        let code = payload.child("Code")?.text.trimmingSpaces ?? ""
        guard code.lowercased() == WinRMShellURI.signalTerminate || code.lowercased().hasSuffix("/signal/ctrl_c")
                || code.lowercased().hasSuffix("/signal/ctrl_break") else {
            throw .invalidParameter("The signal code \(code) is not supported.")
        }
        try shells.terminate(shell: shell, command: command)
        return "<rsp:SignalResponse xmlns:rsp=\"\(WinRMShellURI.shell)\"/>"
    }

    private func receive(_ request: WSManRequest, on eventLoop: any EventLoop) throws(WSManFaultReply) -> EventLoopFuture<WSManReply> {
        let shell = try shellID(request)
        guard let desired = request.payload?.child("DesiredStream"), let command = desired.attributes["CommandId"] else {
            throw .invalidParameter("The Receive element has no DesiredStream with a CommandId.")
        }
        let readyAt = try shells.readyAt(shell: shell, command: command)
        let timeout = request.operationTimeout.flatMap(XSDuration.parse) ?? configuration.defaultOperationTimeout
        let now = NIODeadline.now()
        let waitLimit = now + .nanoseconds(Int64(timeout.components.seconds) * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000)
        let messageID = request.messageID
        if readyAt <= now { return eventLoop.makeSucceededFuture(output(shell: shell, command: command, relatesTo: messageID)) }
        if readyAt <= waitLimit {
            return eventLoop.scheduleTask(deadline: readyAt) { self.output(shell: shell, command: command, relatesTo: messageID) }.futureResult
        }
        return eventLoop.scheduleTask(deadline: waitLimit) { self.faultReply(.operationTimedOut(), relatesTo: messageID) }.futureResult
    }

    private func output(shell: String, command: String, relatesTo: String?) -> WSManReply {
        let chunk: (stdout: ArraySlice<UInt8>, stderr: ArraySlice<UInt8>, done: Bool, exitCode: Int32)
        do { chunk = try shells.nextChunk(shell: shell, command: command) } catch { return faultReply(error, relatesTo: relatesTo) }
        let id = command.xmlEscaped
        var body = "<rsp:ReceiveResponse xmlns:rsp=\"\(WinRMShellURI.shell)\">"
        if !chunk.stdout.isEmpty {
            body += "<rsp:Stream Name=\"stdout\" CommandId=\"\(id)\">\(Data(chunk.stdout).base64EncodedString())</rsp:Stream>"
        }
        if !chunk.stderr.isEmpty {
            body += "<rsp:Stream Name=\"stderr\" CommandId=\"\(id)\">\(Data(chunk.stderr).base64EncodedString())</rsp:Stream>"
        }
        if chunk.done {
            body += "<rsp:Stream Name=\"stdout\" CommandId=\"\(id)\" End=\"true\"></rsp:Stream>"
            body += "<rsp:Stream Name=\"stderr\" CommandId=\"\(id)\" End=\"true\"></rsp:Stream>"
            body += "<rsp:CommandState CommandId=\"\(id)\" State=\"\(WinRMShellURI.stateDone)\"><rsp:ExitCode>\(chunk.exitCode)</rsp:ExitCode></rsp:CommandState>"
        } else {
            body += "<rsp:CommandState CommandId=\"\(id)\" State=\"\(WinRMShellURI.stateRunning)\"/>"
        }
        body += "</rsp:ReceiveResponse>"
        return WSManReply(status: 200, body: WSManEnvelopeWriter.envelope(action: WinRMShellURI.receiveAction + "Response", relatesTo: relatesTo, body: body))
    }

    private func identify() -> String {
        let id = WSManURI.identity
        return """
            <?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="\(WSManURI.soap)"><s:Header/><s:Body>\
            <wsmid:IdentifyResponse xmlns:wsmid="\(id)"><wsmid:ProtocolVersion>\(WSManURI.wsman)</wsmid:ProtocolVersion>\
            <wsmid:ProductVendor>Microsoft Corporation</wsmid:ProductVendor>\
            <wsmid:ProductVersion>OS: 10.0.17763 SP: 0.0 Stack: 3.0</wsmid:ProductVersion></wsmid:IdentifyResponse></s:Body></s:Envelope>
            """
    }
}
