/// Request envelopes shaped like openwsman's (libvirt) and the WinRM gem's.
enum Envelopes {
    static let v2 = "http://schemas.microsoft.com/wbem/wsman/1/wmi/root/virtualization/v2/"
    static let cimv2 = "http://schemas.microsoft.com/wbem/wsman/1/wmi/root/cimv2/"
    static let enumerate = "http://schemas.xmlsoap.org/ws/2004/09/enumeration/Enumerate"
    static let pull = "http://schemas.xmlsoap.org/ws/2004/09/enumeration/Pull"

    static func envelope(action: String?, resourceURI: String?, selectors: [(String, String)] = [], body: String,
                         maxEnvelopeSize: Int? = 153600) -> String {
        var header = "<a:To>http://127.0.0.1:5985/wsman</a:To>"
        header += "<a:ReplyTo><a:Address s:mustUnderstand=\"true\">http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</a:Address></a:ReplyTo>"
        if let resourceURI { header += "<w:ResourceURI s:mustUnderstand=\"true\">\(resourceURI)</w:ResourceURI>" }
        if let action { header += "<a:Action s:mustUnderstand=\"true\">\(action)</a:Action>" }
        if let maxEnvelopeSize { header += "<w:MaxEnvelopeSize s:mustUnderstand=\"true\">\(maxEnvelopeSize)</w:MaxEnvelopeSize>" }
        header += "<a:MessageID>uuid:0AB58087-C2C3-0005-0000-000000010000</a:MessageID>"
        header += "<w:OperationTimeout>PT60S</w:OperationTimeout>"
        if !selectors.isEmpty {
            header += "<w:SelectorSet>" + selectors.map { "<w:Selector Name=\"\($0.0)\">\($0.1)</w:Selector>" }.joined() + "</w:SelectorSet>"
        }
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" \
            xmlns:w="http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd" xmlns:n="http://schemas.xmlsoap.org/ws/2004/09/enumeration">\
            <s:Header>\(header)</s:Header><s:Body>\(body)</s:Body></s:Envelope>
            """
    }

    static func enumerate(_ wql: String, root: String = v2 + "*", optimize: Int? = nil, mode: String? = nil,
                          maxEnvelopeSize: Int? = 153600) -> String {
        var body = "<n:Enumerate>"
        if let optimize { body += "<w:OptimizeEnumeration/><w:MaxElements>\(optimize)</w:MaxElements>" }
        if let mode { body += "<w:EnumerationMode>\(mode)</w:EnumerationMode>" }
        body += "<w:Filter Dialect=\"http://schemas.microsoft.com/wbem/wsman/1/WQL\">\(wql.xmlText)</w:Filter></n:Enumerate>"
        return envelope(action: enumerate, resourceURI: root, body: body, maxEnvelopeSize: maxEnvelopeSize)
    }

    static func pull(_ context: String, className: String, maxElements: Int? = nil, maxEnvelopeSize: Int? = 153600) -> String {
        var body = "<n:Pull><n:EnumerationContext>\(context)</n:EnumerationContext>"
        if let maxElements { body += "<n:MaxElements>\(maxElements)</n:MaxElements>" }
        return envelope(action: pull, resourceURI: uri(className), body: body + "</n:Pull>", maxEnvelopeSize: maxEnvelopeSize)
    }

    static func release(_ context: String, className: String) -> String {
        envelope(action: "http://schemas.xmlsoap.org/ws/2004/09/enumeration/Release", resourceURI: uri(className),
                 body: "<n:Release><n:EnumerationContext>\(context)</n:EnumerationContext></n:Release>")
    }

    static func get(_ className: String, selectors: [(String, String)]) -> String {
        envelope(action: "http://schemas.xmlsoap.org/ws/2004/09/transfer/Get", resourceURI: uri(className), selectors: selectors, body: "")
    }

    static func requestStateChange(guid: String, state: Int) -> String {
        let classURI = uri("Msvm_ComputerSystem")
        return envelope(action: classURI + "/RequestStateChange", resourceURI: classURI,
                        selectors: [("Name", guid), ("CreationClassName", "Msvm_ComputerSystem")],
                        body: "<p:RequestStateChange_INPUT xmlns:p=\"\(classURI)\"><p:RequestedState>\(state)</p:RequestedState></p:RequestStateChange_INPUT>")
    }

    static func initiateShutdown(guid: String, deviceID: String) -> String {
        let classURI = uri("Msvm_ShutdownComponent")
        return envelope(action: classURI + "/InitiateShutdown", resourceURI: classURI,
                        selectors: [("CreationClassName", "Msvm_ShutdownComponent"), ("DeviceID", deviceID.xmlText),
                                    ("SystemCreationClassName", "Msvm_ComputerSystem"), ("SystemName", guid)],
                        body: "<p:InitiateShutdown_INPUT xmlns:p=\"\(classURI)\"><p:Force>False</p:Force><p:Reason>Planned shutdown via libvirt</p:Reason></p:InitiateShutdown_INPUT>")
    }

    /// `Msvm_VirtualSystemManagementService.GetSummaryInformation` with libvirt's selector;
    /// `codes` as repeated `RequestedInformation` texts, `settingData` as VSSD references.
    static func getSummaryInformation(codes: [String], settingData: [String] = []) -> String {
        let classURI = uri("Msvm_VirtualSystemManagementService")
        var body = "<p:GetSummaryInformation_INPUT xmlns:p=\"\(classURI)\">"
        for instanceID in settingData {
            body += "<p:SettingData><a:Address>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</a:Address>"
            body += "<a:ReferenceParameters><w:ResourceURI>\(uri("Msvm_VirtualSystemSettingData"))</w:ResourceURI><w:SelectorSet>"
            body += "<w:Selector Name=\"InstanceID\">\(instanceID.xmlText)</w:Selector></w:SelectorSet></a:ReferenceParameters></p:SettingData>"
        }
        body += codes.map { "<p:RequestedInformation>\($0.xmlText)</p:RequestedInformation>" }.joined()
        return envelope(action: classURI + "/GetSummaryInformation", resourceURI: classURI,
                        selectors: [("CreationClassName", "Msvm_VirtualSystemManagementService")],
                        body: body + "</p:GetSummaryInformation_INPUT>")
    }

    static func identify() -> String {
        """
        <s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:wsmid="http://schemas.dmtf.org/wbem/wsman/identity/1/wsmanidentity.xsd">\
        <s:Header/><s:Body><wsmid:Identify/></s:Body></s:Envelope>
        """
    }

    static func uri(_ className: String) -> String {
        (className.hasPrefix("Win32_") ? cimv2 : v2) + className
    }
}

extension String {
    var xmlText: String {
        replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
