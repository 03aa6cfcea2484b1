import XML

/// The WinRM remote shell's five requests (MS-WSMV; the envelopes pywinrm sends): Create,
/// Command, Receive, Signal and Delete, all on the cmd shell's resource URI.
extension WSManEnvelope {
    /// Opens a cmd shell with stdin/stdout/stderr streams, no profile, code page 437 (pywinrm's defaults).
    public static func createShell(to: String, codePage: Int = 437) -> WSManEnvelope {
        var envelope = WSManEnvelope(to: to, action: WSManNamespace.createAction, resourceURI: WSManNamespace.cmdShell, body:
            #"<rsp:Shell xmlns:rsp="\#(WSManNamespace.shell)"><rsp:InputStreams>stdin</rsp:InputStreams>"#
            + "<rsp:OutputStreams>stdout stderr</rsp:OutputStreams></rsp:Shell>")
        envelope.options = [("WINRS_NOPROFILE", "FALSE"), ("WINRS_CODEPAGE", "\(codePage)")]
        return envelope
    }

    /// Starts `command` with `arguments` in shell `shellID`.
    public static func command(to: String, shellID: String, command: String, arguments: [String]) -> WSManEnvelope {
        var body = #"<rsp:CommandLine xmlns:rsp="\#(WSManNamespace.shell)"><rsp:Command>\#(command.xmlEscaped)</rsp:Command>"#
        for argument in arguments { body += "<rsp:Arguments>\(argument.xmlEscaped)</rsp:Arguments>" }
        body += "</rsp:CommandLine>"
        var envelope = WSManEnvelope(to: to, action: WSManNamespace.commandAction, resourceURI: WSManNamespace.cmdShell,
                                     selectors: [("ShellId", shellID)], body: body)
        envelope.options = [("WINRS_CONSOLEMODE_STDIN", "TRUE"), ("WINRS_SKIP_CMD_SHELL", "FALSE")]
        return envelope
    }

    /// Asks for the stdout and stderr of command `commandID` produced so far.
    public static func receive(to: String, shellID: String, commandID: String) -> WSManEnvelope {
        WSManEnvelope(to: to, action: WSManNamespace.receiveAction, resourceURI: WSManNamespace.cmdShell, selectors: [("ShellId", shellID)], body:
            #"<rsp:Receive xmlns:rsp="\#(WSManNamespace.shell)"><rsp:DesiredStream CommandId="\#(commandID.xmlEscaped)">stdout stderr</rsp:DesiredStream></rsp:Receive>"#)
    }

    /// Sends the terminate signal to command `commandID`, which releases it on the server.
    public static func terminate(to: String, shellID: String, commandID: String) -> WSManEnvelope {
        WSManEnvelope(to: to, action: WSManNamespace.signalAction, resourceURI: WSManNamespace.cmdShell, selectors: [("ShellId", shellID)], body:
            #"<rsp:Signal xmlns:rsp="\#(WSManNamespace.shell)" CommandId="\#(commandID.xmlEscaped)"><rsp:Code>\#(WSManNamespace.terminateSignal)</rsp:Code></rsp:Signal>"#)
    }

    /// Deletes shell `shellID`.
    public static func deleteShell(to: String, shellID: String) -> WSManEnvelope {
        WSManEnvelope(to: to, action: WSManNamespace.deleteAction, resourceURI: WSManNamespace.cmdShell, selectors: [("ShellId", shellID)], body: "")
    }
}
