import CLibXML2

/// Parses XML from untrusted peers with libxml2: no network access, no DTD loading, no entity
/// substitution, a document type declaration refused outright (SOAP forbids them, which stops
/// billion-laughs and external-entity tricks before they start), a size cap and a depth cap.
public enum XMLParser {
    /// Parses `bytes` into an element tree.
    public static func parse(_ bytes: some Collection<UInt8>, maxBytes: Int = 16 << 20, maxDepth: Int = 64) throws(XMLError) -> XMLElement {
        guard bytes.count <= maxBytes else { throw XMLError("XML document of \(bytes.count) bytes exceeds the \(maxBytes)-byte limit") }
        let buffer = Array(bytes)
        guard !buffer.isEmpty else { throw XMLError("empty XML document") }
        // Refused before libxml2 sees it: no entity is ever declared, let alone expanded.
        if buffer.contains(sequence: doctype) { throw XMLError("XML with a document type declaration is refused") }
        let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue | XML_PARSE_NOCDATA.rawValue)
        let document = buffer.withUnsafeBufferPointer { raw in
            raw.withMemoryRebound(to: CChar.self) { xmlReadMemory($0.baseAddress, Int32($0.count), "peer.xml", nil, options) }
        }
        guard let document else {
            let detail = xmlGetLastError().flatMap { $0.pointee.message.map { String(cString: $0) } }?.trimmingTrailingNewlines
            xmlResetLastError()
            throw XMLError("malformed XML" + (detail.map { ": \($0)" } ?? ""))
        }
        defer { xmlFreeDoc(document) }
        guard document.pointee.intSubset == nil, document.pointee.extSubset == nil else {
            throw XMLError("XML with a document type declaration is refused")
        }
        guard let root = xmlDocGetRootElement(document) else { throw XMLError("XML document without a root element") }
        var names = Names()
        return try convert(root, depth: 0, maxDepth: maxDepth, names: &names)
    }

    /// Element names and namespace URIs made into Swift strings once per document: libxml2
    /// keeps one copy of each (names in its dictionary, a namespace in its declaration), so
    /// the thousands of elements of a large answer share a string instead of each allocating
    /// its own (a WMI namespace URI is ~90 bytes, on every property).
    private struct Names {
        private var known: [UnsafeRawPointer: String] = [:]

        mutating func string(_ pointer: UnsafePointer<xmlChar>?) -> String? {
            guard let pointer else { return nil }
            let key = UnsafeRawPointer(pointer)
            if let found = known[key] { return found }
            let made = String(cString: pointer)
            known[key] = made
            return made
        }
    }

    private static let doctype = Array("<!DOCTYPE".utf8)

    private static func convert(_ node: xmlNodePtr, depth: Int, maxDepth: Int, names: inout Names) throws(XMLError) -> XMLElement {
        guard depth < maxDepth else { throw XMLError("XML nested deeper than \(maxDepth) levels") }
        var element = XMLElement(name: names.string(node.pointee.name) ?? "")
        element.namespace = node.pointee.ns.flatMap { names.string($0.pointee.href) }
        var attribute = node.pointee.properties
        while let current = attribute {
            if let name = names.string(current.pointee.name), let value = xmlNodeListGetString(node.pointee.doc, current.pointee.children, 1) {
                element.attributes[name] = String(cString: value)
                virtfed_xml_free(value)
            }
            attribute = current.pointee.next
        }
        var child = node.pointee.children
        while let current = child {
            switch current.pointee.type {
            case XML_ELEMENT_NODE:
                element.children.append(try convert(current, depth: depth + 1, maxDepth: maxDepth, names: &names))
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                if let content = current.pointee.content {
                    if element.text.isEmpty { element.text = String(cString: content) } else { element.text += String(cString: content) }
                }
            case XML_ENTITY_REF_NODE:
                // Never substituted; an undeclared reference is already a parse error.
                throw XMLError("XML entity references are refused")
            default:
                break
            }
            child = current.pointee.next
        }
        return element
    }

}

extension String {
    fileprivate var trimmingTrailingNewlines: String {
        var copy = self
        while copy.last == "\n" { copy.removeLast() }
        return copy
    }
}

extension Array where Element == UInt8 {
    fileprivate func contains(sequence: [UInt8]) -> Bool {
        guard let first = sequence.first, count >= sequence.count else { return false }
        var index = startIndex
        while let found = self[index...].firstIndex(of: first) {
            if found + sequence.count > count { return false }
            if self[found..<(found + sequence.count)].elementsEqual(sequence) { return true }
            index = found + 1
        }
        return false
    }
}
