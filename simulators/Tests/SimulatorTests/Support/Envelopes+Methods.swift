/// Request envelopes for the methods that create, change, checkpoint, remove and move VMs,
/// with parameters as libvirt and virtfed write them (CIM-XML in CDATA; endpoint references).
extension Envelopes {
    static let anonymous = "http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous"

    /// An invoke on one of the host's services, selected by `CreationClassName` as libvirt does.
    static func serviceMethod(_ service: String, _ method: String, _ parameters: String) -> String {
        let classURI = uri(service)
        return envelope(action: classURI + "/" + method, resourceURI: classURI, selectors: [("CreationClassName", service)],
                        body: "<p:\(method)_INPUT xmlns:p=\"\(classURI)\">\(parameters)</p:\(method)_INPUT>")
    }

    /// `<p:NAME><![CDATA[<INSTANCE CLASSNAME=…>…]]></p:NAME>`.
    static func embedded(_ name: String, className: String, _ properties: [(String, String)], arrays: [(String, [String])] = []) -> String {
        var instance = "<INSTANCE CLASSNAME=\"\(className)\">"
        for (property, value) in properties {
            instance += "<PROPERTY NAME=\"\(property)\" TYPE=\"string\"><VALUE>\(value.xmlText)</VALUE></PROPERTY>"
        }
        for (property, values) in arrays {
            instance += "<PROPERTY.ARRAY NAME=\"\(property)\" TYPE=\"string\"><VALUE.ARRAY>" + values.map { "<VALUE>\($0.xmlText)</VALUE>" }.joined()
                + "</VALUE.ARRAY></PROPERTY.ARRAY>"
        }
        return "<p:\(name)><![CDATA[\(instance)</INSTANCE>]]></p:\(name)>"
    }

    /// `<p:NAME>` holding an endpoint reference to an instance of `className`.
    static func reference(_ name: String, className: String, _ selectors: [(String, String)]) -> String {
        "<p:\(name)><a:Address>\(anonymous)</a:Address><a:ReferenceParameters><w:ResourceURI>\(uri(className))</w:ResourceURI><w:SelectorSet>"
            + selectors.map { "<w:Selector Name=\"\($0.0)\">\($0.1.xmlText)</w:Selector>" }.joined()
            + "</w:SelectorSet></a:ReferenceParameters></p:\(name)>"
    }

    static func system(_ name: String, _ guid: String) -> String {
        reference(name, className: "Msvm_ComputerSystem", [("CreationClassName", "Msvm_ComputerSystem"), ("Name", guid)])
    }

    static func settings(_ name: String, _ instanceID: String) -> String {
        reference(name, className: "Msvm_VirtualSystemSettingData", [("InstanceID", instanceID)])
    }
}
