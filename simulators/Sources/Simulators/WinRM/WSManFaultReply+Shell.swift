/// The faults of the WinRM shell, with the texts and codes Windows uses.
extension WSManFaultReply {
    /// Receive found no output within `w:OperationTimeout` (pywinrm retries on this code).
    public static func operationTimedOut() -> WSManFaultReply {
        WSManFaultReply(code: "s:Receiver", subcode: "w:TimedOut",
                        reason: "The WS-Management service cannot complete the operation within the time specified in OperationTimeout.",
                        detailCode: 2150858793)
    }

    /// The ShellId names no open shell.
    public static func shellNotFound(_ shellID: String) -> WSManFaultReply {
        WSManFaultReply(code: "s:Sender", subcode: "w:InvalidSelectors",
                        reason: "The request for the Windows Remote Shell with ShellId \(shellID) failed because the shell was not found on the server. Possible causes are: the specified ShellId is incorrect or the shell no longer exists on the server. Provide the correct ShellId or create a new shell and retry the operation.",
                        detailCode: 2150858843)
    }

    /// The CommandId names no command of the shell.
    public static func commandNotFound(_ commandID: String) -> WSManFaultReply {
        invalidParameter("The WS-Management service cannot process the request because the command with CommandId \(commandID) was not found in the shell.")
    }

    /// Too many shells are open (`Winrs/MaxShellsPerUser`; ERROR_WSMAN_QUOTA_MAX_SHELLS): the
    /// subcode is MS-WSMV 3.1.4.5.2.1's `w:QuotaLimit`; the message is the one Windows shows
    /// (PowerShell team, "Configuring WSMAN Limits"), the reason is laid out like the captured
    /// operations quota fault (`operationQuotaExceeded`).
    public static func shellQuotaExceeded(_ limit: Int) -> WSManFaultReply {
        WSManFaultReply(code: "s:Receiver", subcode: "w:QuotaLimit",
                        reason: "The WS-Management service cannot process the request. The maximum number of concurrent shells for this user has been exceeded. Close existing shells or raise the quota for this user.",
                        detailCode: 2150859173,
                        message: "The WS-Management service cannot process the request. This user is allowed a maximum number of \(limit) concurrent shells, which has been exceeded. Close existing shells or raise the quota for this user.")
    }
}
