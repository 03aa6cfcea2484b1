/// The XML namespaces and action URIs of WS-Management that the client speaks.
public enum WSManNamespace {
    /// SOAP 1.2 (`s:`).
    public static let soap = "http://www.w3.org/2003/05/soap-envelope"
    /// WS-Addressing (`a:`).
    public static let addressing = "http://schemas.xmlsoap.org/ws/2004/08/addressing"
    /// WS-Enumeration (`n:`).
    public static let enumeration = "http://schemas.xmlsoap.org/ws/2004/09/enumeration"
    /// WS-Transfer (`x:`).
    public static let transfer = "http://schemas.xmlsoap.org/ws/2004/09/transfer"
    /// DMTF WS-Management (`w:`).
    public static let wsman = "http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd"
    /// Microsoft's WS-Management extensions (`p:` in pywinrm).
    public static let wsmanMicrosoft = "http://schemas.microsoft.com/wbem/wsman/1/wsman.xsd"
    /// Microsoft's fault detail (`f:WSManFault`).
    public static let wsmanFault = "http://schemas.microsoft.com/wbem/wsmanfault"
    /// WS-Management Identify (`wsmid:`).
    public static let identity = "http://schemas.dmtf.org/wbem/wsman/identity/1/wsmanidentity.xsd"
    /// XML Schema instance (`xsi:nil`, `xsi:type`).
    public static let schemaInstance = "http://www.w3.org/2001/XMLSchema-instance"
    /// The WQL filter dialect of `w:Filter`.
    public static let wqlDialect = "http://schemas.microsoft.com/wbem/wsman/1/WQL"
    /// The anonymous `ReplyTo` address: answer on the same HTTP connection.
    public static let anonymous = "http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous"

    /// `…/enumeration/Enumerate`.
    public static let enumerateAction = enumeration + "/Enumerate"
    /// `…/enumeration/Pull`.
    public static let pullAction = enumeration + "/Pull"
    /// `…/transfer/Get`.
    public static let getAction = transfer + "/Get"
    /// `…/transfer/Create` (opens a WinRM shell).
    public static let createAction = transfer + "/Create"
    /// `…/transfer/Delete` (closes a WinRM shell).
    public static let deleteAction = transfer + "/Delete"

    /// The WinRM remote shell (`rsp:`).
    public static let shell = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell"
    /// The cmd shell's resource URI.
    public static let cmdShell = shell + "/cmd"
    /// `…/shell/Command`.
    public static let commandAction = shell + "/Command"
    /// `…/shell/Receive`.
    public static let receiveAction = shell + "/Receive"
    /// `…/shell/Signal`.
    public static let signalAction = shell + "/Signal"
    /// The terminate signal code.
    public static let terminateSignal = shell + "/signal/terminate"
    /// The `CommandState` of a finished command.
    public static let commandDone = shell + "/CommandState/Done"
}
