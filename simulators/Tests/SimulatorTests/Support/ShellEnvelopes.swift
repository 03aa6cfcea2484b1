import Foundation

/// WinRM shell request envelopes as pywinrm builds them (winrm/protocol.py).
enum ShellEnvelopes {
    static let shell = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell"
    static let cmd = shell + "/cmd"

    static func envelope(action: String, shellID: String? = nil, messageID: String, timeout: String = "PT20S", body: String) -> String {
        var header = "<a:To>http://127.0.0.1:5985/wsman</a:To>"
        header += "<a:ReplyTo><a:Address mustUnderstand=\"true\">http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</a:Address></a:ReplyTo>"
        header += "<w:MaxEnvelopeSize mustUnderstand=\"true\">153600</w:MaxEnvelopeSize><a:MessageID>\(messageID)</a:MessageID>"
        header += "<w:Locale mustUnderstand=\"false\" xml:lang=\"en-US\"/><w:OperationTimeout>\(timeout)</w:OperationTimeout>"
        header += "<w:ResourceURI mustUnderstand=\"true\">\(cmd)</w:ResourceURI><a:Action mustUnderstand=\"true\">\(action)</a:Action>"
        if let shellID { header += "<w:SelectorSet><w:Selector Name=\"ShellId\">\(shellID)</w:Selector></w:SelectorSet>" }
        return """
            <?xml version="1.0" encoding="utf-8"?>
            <env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" \
            xmlns:w="http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd" xmlns:rsp="\(shell)"><env:Header>\(header)</env:Header><env:Body>\(body)</env:Body></env:Envelope>
            """
    }

    static func create(messageID: String = "uuid:11111111-1111-1111-1111-111111111111") -> String {
        envelope(action: "http://schemas.xmlsoap.org/ws/2004/09/transfer/Create", messageID: messageID,
                 body: "<rsp:Shell><rsp:InputStreams>stdin</rsp:InputStreams><rsp:OutputStreams>stdout stderr</rsp:OutputStreams></rsp:Shell>")
    }

    static func command(_ shellID: String, command: String, arguments: [String] = [], messageID: String = "uuid:11111111-1111-1111-1111-111111111112") -> String {
        let args = arguments.map { "<rsp:Arguments>\($0.xmlText)</rsp:Arguments>" }.joined()
        return envelope(action: shell + "/Command", shellID: shellID, messageID: messageID,
                        body: "<rsp:CommandLine><rsp:Command>\(command.xmlText)</rsp:Command>\(args)</rsp:CommandLine>")
    }

    static func receive(_ shellID: String, commandID: String, timeout: String = "PT20S", messageID: String = "uuid:11111111-1111-1111-1111-111111111113") -> String {
        envelope(action: shell + "/Receive", shellID: shellID, messageID: messageID, timeout: timeout,
                 body: "<rsp:Receive><rsp:DesiredStream CommandId=\"\(commandID)\">stdout stderr</rsp:DesiredStream></rsp:Receive>")
    }

    static func signal(_ shellID: String, commandID: String, messageID: String = "uuid:11111111-1111-1111-1111-111111111114") -> String {
        envelope(action: shell + "/Signal", shellID: shellID, messageID: messageID,
                 body: "<rsp:Signal CommandId=\"\(commandID)\"><rsp:Code>\(shell)/signal/terminate</rsp:Code></rsp:Signal>")
    }

    static func delete(_ shellID: String, messageID: String = "uuid:11111111-1111-1111-1111-111111111115") -> String {
        envelope(action: "http://schemas.xmlsoap.org/ws/2004/09/transfer/Delete", shellID: shellID, messageID: messageID, body: "")
    }
}
