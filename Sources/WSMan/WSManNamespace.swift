/// The XML namespaces and action URIs of WS-Management that the client speaks.
public enum WSManNamespace {
    public static let soap = "http://www.w3.org/2003/05/soap-envelope"
    public static let addressing = "http://schemas.xmlsoap.org/ws/2004/08/addressing"
    public static let enumeration = "http://schemas.xmlsoap.org/ws/2004/09/enumeration"
    public static let wsman = "http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd"
    public static let wsmanMicrosoft = "http://schemas.microsoft.com/wbem/wsman/1/wsman.xsd"
    public static let wqlDialect = "http://schemas.microsoft.com/wbem/wsman/1/WQL"
}
