import Foundation
import XML

/// Builds reply envelopes: SOAP 1.2 with WS-Addressing headers (`a:Action`, `a:MessageID`,
/// `a:RelatesTo`, `a:To` anonymous) and the usual WinRM prefixes declared on the envelope.
public enum WSManEnvelopeWriter {
    /// A full envelope around `body` (already XML).
    public static func envelope(action: String, relatesTo: String?, body: String) -> String {
        var header = "<a:To>\(WSManURI.anonymous)</a:To><a:Action>\(action.xmlEscaped)</a:Action>"
        header += "<a:MessageID>uuid:\(UUID().uuidString.uppercased())</a:MessageID>"
        if let relatesTo { header += "<a:RelatesTo>\(relatesTo.xmlEscaped)</a:RelatesTo>" }
        return """
            <?xml version="1.0" encoding="UTF-8"?>\
            <s:Envelope xmlns:s="\(WSManURI.soap)" xmlns:a="\(WSManURI.addressing)" xmlns:w="\(WSManURI.wsman)" \
            xmlns:n="\(WSManURI.enumeration)" xmlns:x="\(WSManURI.transfer)" xmlns:p="\(WSManURI.msWsman)" \
            xmlns:xsi="\(WSManURI.xsi)" xmlns:cim="\(WSManURI.cim)" xml:lang="en-US">\
            <s:Header>\(header)</s:Header><s:Body>\(body)</s:Body></s:Envelope>
            """
    }

    /// An instance as `<p:Class xmlns:p="classURI">` with one `<p:Prop>` per property, arrays as
    /// repeated elements, nulls and empty arrays as `xsi:nil="true"`, datetimes in `cim:Datetime`.
    public static func instance(_ instance: WMIInstance) -> String {
        let name = instance.className
        let open = "<p:\(name) xmlns:p=\"\(instance.wmiClass.resourceURI)\" xmlns:xsi=\"\(WSManURI.xsi)\" xmlns:cim=\"\(WSManURI.cim)\">"
        return open + properties(instance, prefix: "p") + "</p:\(name)>"
    }

    /// An instance embedded in a method's output, as WinRM writes an object-typed out parameter:
    /// `<element xmlns:q1="classURI" xsi:type="q1:Class_Type">` with `<q1:Prop>` children (the
    /// envelope declares `xsi` and `cim`).
    public static func embeddedInstance(_ instance: WMIInstance, element: String) -> String {
        let name = instance.className
        return "<\(element) xmlns:q1=\"\(instance.wmiClass.resourceURI)\" xsi:type=\"q1:\(name)_Type\">"
            + properties(instance, prefix: "q1") + "</\(element)>"
    }

    private static func properties(_ instance: WMIInstance, prefix: String) -> String {
        var xml = ""
        for property in instance.properties {
            switch property.value {
            case .array(let elements) where elements.isEmpty:
                xml += "<\(prefix):\(property.name) xsi:nil=\"true\"/>"
            case .array(let elements):
                for element in elements { xml += scalar(prefix, property.name, element) }
            default:
                xml += scalar(prefix, property.name, property.value)
            }
        }
        return xml
    }

    private static func scalar(_ prefix: String, _ name: String, _ value: WMIValue) -> String {
        let tag = "\(prefix):\(name)"
        switch value {
        case .null, .array: return "<\(tag) xsi:nil=\"true\"/>"
        case .datetime(let text): return "<\(tag)><cim:Datetime>\(text.xmlEscaped)</cim:Datetime></\(tag)>"
        case .interval(let text): return "<\(tag)><cim:Interval>\(text.xmlEscaped)</cim:Interval></\(tag)>"
        default: return "<\(tag)>\((value.text ?? "").xmlEscaped)</\(tag)>"
        }
    }

    /// An endpoint reference to `instance` (anonymous address, resource URI, key selectors).
    public static func endpointReference(_ instance: WMIInstance, element: String = "a:EndpointReference") -> String {
        endpointReference(resourceURI: instance.wmiClass.resourceURI, selectors: instance.keySelectors, element: element)
    }

    /// An endpoint reference from its parts; `__cimnamespace` is added for WMI resources.
    public static func endpointReference(resourceURI: String, selectors: [(name: String, value: String)], element: String) -> String {
        var xml = "<\(element) xmlns:a=\"\(WSManURI.addressing)\" xmlns:w=\"\(WSManURI.wsman)\"><a:Address>\(WSManURI.anonymous)</a:Address>"
        xml += "<a:ReferenceParameters><w:ResourceURI>\(resourceURI.xmlEscaped)</w:ResourceURI><w:SelectorSet>"
        for selector in selectors {
            xml += "<w:Selector Name=\"\(selector.name.xmlEscaped)\">\(selector.value.xmlEscaped)</w:Selector>"
        }
        if let namespace = WMISchema.wmiClass(resourceURI: resourceURI)?.namespace {
            xml += "<w:Selector Name=\"__cimnamespace\">\(namespace.rawValue)</w:Selector>"
        }
        return xml + "</w:SelectorSet></a:ReferenceParameters></\(element)>"
    }
}
