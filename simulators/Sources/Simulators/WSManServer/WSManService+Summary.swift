import XML

extension WSManService {
    /// `Msvm_VirtualSystemManagementService.GetSummaryInformation`: `RequestedInformation` codes
    /// (repeated elements, uint32) and optional `SettingData` (repeated; absent or nil = every
    /// VM). Each summary comes back as an embedded `Msvm_SummaryInformation` in a
    /// `p:SummaryInformation` element, then `p:ReturnValue` 0. A code or setting data WinRM cannot
    /// convert to the parameter's type never reaches the provider: a `w:InvalidParameter` fault.
    func getSummaryInformation(_ request: WSManRequest, payload: XMLElement, action: String) throws(WSManFaultReply) -> String {
        var codes: [UInt32] = []
        for element in payload.children where element.name == "RequestedInformation" && element.attributes["nil"] != "true" {
            guard let code = UInt32(element.text.trimmingSpaces) else {
                throw .invalidParameter("The value '\(element.text.trimmingSpaces)' of RequestedInformation is not a uint32.")
            }
            codes.append(code)
        }
        var settingData: [String] = []
        for element in payload.children where element.name == "SettingData" && element.attributes["nil"] != "true" {
            settingData.append(try Self.settingDataInstanceID(element))
        }
        let summaries = model.summaryInformation(settingData: settingData.isEmpty ? nil : settingData, requested: codes)
        logger.info("invoke", metadata: ["method": "GetSummaryInformation", "return": "0", "summaries": "\(summaries.count)"])
        let classURI = WMISchema.managementService.resourceURI
        var body = "<p:GetSummaryInformation_OUTPUT xmlns:p=\"\(classURI)\">"
        for summary in summaries { body += WSManEnvelopeWriter.embeddedInstance(summary, element: "p:SummaryInformation") }
        body += "<p:ReturnValue>0</p:ReturnValue></p:GetSummaryInformation_OUTPUT>"
        return WSManEnvelopeWriter.envelope(action: action + "Response", relatesTo: request.messageID, body: body)
    }

    /// The `InstanceID` of the `Msvm_VirtualSystemSettingData` a `SettingData` element names: an
    /// endpoint reference (selector `InstanceID`), an embedded instance as XML, or libvirt's
    /// CIM-XML text (`<INSTANCE CLASSNAME=…><PROPERTY NAME="InstanceID"><VALUE>…`).
    static func settingDataInstanceID(_ element: XMLElement) throws(WSManFaultReply) -> String {
        let className = WMISchema.virtualSystemSettingData.name
        if let reference = element.child("ReferenceParameters") {
            guard let uri = reference.child("ResourceURI")?.text.trimmingSpaces,
                  uri.lowercased().hasSuffix("/" + className.lowercased()),
                  let id = reference.child("SelectorSet")?.children(named: "Selector").first(where: { $0.attributes["Name"] == "InstanceID" })?.text
            else { throw .invalidParameter("SettingData must reference a \(className) by InstanceID.") }
            return id.trimmingSpaces
        }
        if let embedded = element.children.first(where: { $0.name == className }), let id = embedded.child("InstanceID")?.text {
            return id.trimmingSpaces
        }
        let text = element.text.trimmingSpaces
        if text.hasPrefix("<"), let instance = try? XMLParser.parse(Array(text.utf8), maxBytes: 1 << 16, maxDepth: 16),
           instance.name == "INSTANCE", instance.attributes["CLASSNAME"]?.lowercased() == className.lowercased(),
           let property = instance.children(named: "PROPERTY").first(where: { $0.attributes["NAME"] == "InstanceID" }),
           let value = property.child("VALUE")?.text {
            return value.trimmingSpaces
        }
        throw .invalidParameter("SettingData must be a \(className) reference or embedded instance.")
    }
}
