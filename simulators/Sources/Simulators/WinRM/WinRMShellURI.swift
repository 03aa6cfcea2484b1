/// Resource and action URIs of the WinRM remote shell (MS-WSMV), as pywinrm sends them.
public enum WinRMShellURI {
    /// The shell namespace (`rsp:`).
    public static let shell = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell"
    /// The cmd shell resource URI.
    public static let cmdResource = shell + "/cmd"
    /// WS-Transfer Create (opens a shell).
    public static let createAction = WSManURI.transfer + "/Create"
    /// WS-Transfer Delete (closes a shell).
    public static let deleteAction = WSManURI.transfer + "/Delete"
    /// Runs a command in a shell.
    public static let commandAction = shell + "/Command"
    /// Reads a command's output.
    public static let receiveAction = shell + "/Receive"
    /// Sends a signal (terminate) to a command.
    public static let signalAction = shell + "/Signal"
    /// Sends stdin to a command.
    public static let sendAction = shell + "/Send"
    /// `CommandState` value while a command runs.
    public static let stateRunning = shell + "/CommandState/Running"
    /// `CommandState` value once a command is done.
    public static let stateDone = shell + "/CommandState/Done"
    /// The terminate signal code.
    public static let signalTerminate = shell + "/signal/terminate"
}
