/// Namespace and action URIs of WS-Management as WinRM speaks it.
public enum WSManURI {
    /// SOAP 1.2 envelope.
    public static let soap = "http://www.w3.org/2003/05/soap-envelope"
    /// WS-Addressing (2004/08).
    public static let addressing = "http://schemas.xmlsoap.org/ws/2004/08/addressing"
    /// DMTF WS-Management.
    public static let wsman = "http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd"
    /// Microsoft's WS-Management extensions.
    public static let msWsman = "http://schemas.microsoft.com/wbem/wsman/1/wsman.xsd"
    /// WS-Enumeration (2004/09).
    public static let enumeration = "http://schemas.xmlsoap.org/ws/2004/09/enumeration"
    /// WS-Transfer (2004/09).
    public static let transfer = "http://schemas.xmlsoap.org/ws/2004/09/transfer"
    /// WS-Management identity.
    public static let identity = "http://schemas.dmtf.org/wbem/wsman/identity/1/wsmanidentity.xsd"
    /// Microsoft's fault detail.
    public static let faultDetail = "http://schemas.microsoft.com/wbem/wsman/1/wsmanfault"
    /// XML Schema instance (`xsi:nil`).
    public static let xsi = "http://www.w3.org/2001/XMLSchema-instance"
    /// DMTF CIM common types (`cim:Datetime`).
    public static let cim = "http://schemas.dmtf.org/wbem/wscim/1/common"
    /// The anonymous reply address.
    public static let anonymous = "http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous"
    /// The WQL filter dialect.
    public static let wqlDialect = "http://schemas.microsoft.com/wbem/wsman/1/WQL"
    /// The selector filter dialect.
    public static let selectorDialect = "http://schemas.dmtf.org/wbem/wsman/1/wsman/SelectorFilter"

    /// `…/enumeration/Enumerate`.
    public static let enumerateAction = enumeration + "/Enumerate"
    /// `…/enumeration/Pull`.
    public static let pullAction = enumeration + "/Pull"
    /// `…/enumeration/Release`.
    public static let releaseAction = enumeration + "/Release"
    /// `…/transfer/Get`.
    public static let getAction = transfer + "/Get"
    /// The WS-Management fault action.
    public static let wsmanFaultAction = "http://schemas.dmtf.org/wbem/wsman/1/wsman/fault"
    /// The WS-Addressing fault action.
    public static let addressingFaultAction = addressing + "/fault"
    /// The WS-Enumeration fault action.
    public static let enumerationFaultAction = enumeration + "/fault"
}
