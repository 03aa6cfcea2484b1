/// A WMI instance passed by value to a method (`DefineSystem`'s `SystemSettings`,
/// `ModifyResourceSettings`' `ResourceSettings` …), in the CIM-XML text form WMI reads from
/// an embedded-object string: `<INSTANCE CLASSNAME="C"><PROPERTY NAME="P" TYPE="string">
/// <VALUE>v</VALUE></PROPERTY><PROPERTY.ARRAY NAME="A" TYPE="string"><VALUE.ARRAY><VALUE>…`
/// (protocols.md §1.6, as libvirt's `hypervAddEmbeddedParam` writes it). Only the properties
/// given are sent; WMI leaves the others as they are (or at their defaults for a new object).
public struct WMIEmbeddedInstance: Sendable, Equatable {
    /// One property: a CIM type name (`string`, `uint16`, `uint64`, `boolean` …) and its value(s).
    public struct Property: Sendable, Equatable {
        /// The property's name.
        public var name: String
        /// Its CIM type (`TYPE` attribute).
        public var type: String
        /// Its value; nil writes an empty `PROPERTY` (null).
        public var value: String?
        /// Its values, for an array property (`PROPERTY.ARRAY`).
        public var values: [String]?

        /// A scalar property.
        public init(_ name: String, _ value: String?, type: String = "string") {
            self.name = name
            self.type = type
            self.value = value
            values = nil
        }

        /// An array property.
        public init(_ name: String, array: [String], type: String = "string") {
            self.name = name
            self.type = type
            value = nil
            values = array
        }
    }

    /// The WMI class (`CLASSNAME`).
    public var className: String
    /// The properties, in order.
    public var properties: [Property]

    /// Creates an instance.
    public init(className: String, properties: [Property]) {
        self.className = className
        self.properties = properties
    }

    /// The CIM-XML text. Values are escaped (`>` too), so it never contains `]]>` and is safe in
    /// a CDATA section.
    public var cimXML: String {
        var xml = #"<INSTANCE CLASSNAME="\#(className.xmlEscaped)">"#
        for property in properties {
            if let values = property.values {
                xml += #"<PROPERTY.ARRAY NAME="\#(property.name.xmlEscaped)" TYPE="\#(property.type.xmlEscaped)"><VALUE.ARRAY>"#
                for value in values { xml += "<VALUE>\(value.xmlEscaped)</VALUE>" }
                xml += "</VALUE.ARRAY></PROPERTY.ARRAY>"
            } else if let value = property.value {
                xml += #"<PROPERTY NAME="\#(property.name.xmlEscaped)" TYPE="\#(property.type.xmlEscaped)"><VALUE>\#(value.xmlEscaped)</VALUE></PROPERTY>"#
            } else {
                xml += #"<PROPERTY NAME="\#(property.name.xmlEscaped)" TYPE="\#(property.type.xmlEscaped)"/>"#
            }
        }
        return xml + "</INSTANCE>"
    }
}
