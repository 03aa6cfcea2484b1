import XML

/// A SOAP 1.2 fault as WinRM sends it, with HTTP status 500: `s:Code/s:Value`,
/// `s:Subcode/s:Value`, `s:Reason/s:Text`, `s:Detail/f:WSManFault @Code` with `f:Message`.
/// The numeric codes are WinRM's `ERROR_WSMAN_*` values (or WMI HRESULTs for WQL errors).
public struct WSManFaultReply: Error, Sendable, Equatable {
    /// `s:Sender` or `s:Receiver`.
    public var code: String
    /// The qualified subcode, e.g. `w:InvalidSelectors`.
    public var subcode: String
    /// The reason text.
    public var reason: String
    /// `f:WSManFault/@Code`.
    public var detailCode: UInt32
    /// The fault's `a:Action`.
    public var action: String
    /// `f:WSManFault/f:Message` when it differs from the reason (Windows' quota faults say the
    /// limit only there); nil repeats the reason.
    public var message: String?

    /// Creates a fault.
    public init(code: String, subcode: String, reason: String, detailCode: UInt32, action: String = WSManURI.wsmanFaultAction,
                message: String? = nil) {
        self.code = code
        self.subcode = subcode
        self.reason = reason
        self.detailCode = detailCode
        self.action = action
        self.message = message
    }

    /// The request is not a SOAP envelope or is not XML.
    public static func invalidHeader(_ reason: String) -> WSManFaultReply {
        WSManFaultReply(code: "s:Sender", subcode: "a:InvalidMessageInformationHeader", reason: reason, detailCode: 2150858817,
                        action: WSManURI.addressingFaultAction)
    }

    /// A required header (`a:Action`, `w:ResourceURI`) is missing.
    public static func headerRequired(_ header: String) -> WSManFaultReply {
        WSManFaultReply(code: "s:Sender", subcode: "a:MessageInformationHeaderRequired",
                        reason: "The WS-Management service cannot process the request because the \(header) header is missing.",
                        detailCode: 2150858817, action: WSManURI.addressingFaultAction)
    }

    /// The action is not one the service supports.
    public static func actionNotSupported(_ action: String) -> WSManFaultReply {
        WSManFaultReply(code: "s:Sender", subcode: "a:ActionNotSupported",
                        reason: "The action \(action) is not supported by the service.", detailCode: 2150858753,
                        action: WSManURI.addressingFaultAction)
    }

    /// The resource URI or class does not exist.
    public static func destinationUnreachable(_ reason: String, code: UInt32 = 2150858752) -> WSManFaultReply {
        WSManFaultReply(code: "s:Sender", subcode: "a:DestinationUnreachable", reason: reason, detailCode: code,
                        action: WSManURI.addressingFaultAction)
    }

    /// The selectors do not name an instance.
    public static func invalidSelectors(_ reason: String) -> WSManFaultReply {
        WSManFaultReply(code: "s:Sender", subcode: "w:InvalidSelectors",
                        reason: "The WS-Management service cannot process the request because the request contained invalid selectors for the resource. \(reason)",
                        detailCode: 2150858843)
    }

    /// The filter is not valid WQL (WBEM_E_INVALID_QUERY).
    public static func cannotProcessFilter(_ reason: String) -> WSManFaultReply {
        WSManFaultReply(code: "s:Sender", subcode: "w:CannotProcessFilter", reason: reason, detailCode: 2147749911)
    }

    /// The filter dialect is not supported.
    public static func dialectUnavailable(_ dialect: String) -> WSManFaultReply {
        WSManFaultReply(code: "s:Sender", subcode: "n:FilterDialectRequestedUnavailable",
                        reason: "The filter dialect \(dialect) is not supported.", detailCode: 2150858819,
                        action: WSManURI.enumerationFaultAction)
    }

    /// The enumeration context is unknown, released or expired.
    public static func invalidEnumerationContext() -> WSManFaultReply {
        WSManFaultReply(code: "s:Receiver", subcode: "n:InvalidEnumerationContext",
                        reason: "The enumeration context supplied in the message is not valid, or has expired.", detailCode: 2150858776,
                        action: WSManURI.enumerationFaultAction)
    }

    /// A method parameter is missing or wrong.
    public static func invalidParameter(_ reason: String) -> WSManFaultReply {
        WSManFaultReply(code: "s:Sender", subcode: "w:InvalidParameter", reason: reason, detailCode: 2147942487)
    }

    /// The request exceeds the size the service accepts.
    public static func encodingLimit(_ reason: String) -> WSManFaultReply {
        WSManFaultReply(code: "s:Sender", subcode: "w:EncodingLimit", reason: reason, detailCode: 2150858800)
    }

    /// The request's `w:MaxEnvelopeSize` is below the 8192 octets every service must allow
    /// (MS-WSMV 3.1.4.1.7; ERROR_WSMAN_MAXENVELOPE_SIZE_NOT_SUPPORTED). The reason text is the
    /// simulator's (UNVERIFIED).
    public static func maxEnvelopeSizeTooSmall(_ requested: Int) -> WSManFaultReply {
        WSManFaultReply(code: "s:Sender", subcode: "w:EncodingLimit",
                        reason: "The WS-Management service cannot process the request because the MaxEnvelopeSize \(requested) in the request is less than the minimum of 8192 octets.",
                        detailCode: 2150858862)
    }

    /// One item alone does not fit in the reply's envelope size (DSP0226 6.2: `w:EncodingLimit`).
    /// The reason text and code are the simulator's (UNVERIFIED).
    public static func responseTooLarge(item: Int, limit: Int) -> WSManFaultReply {
        WSManFaultReply(code: "s:Sender", subcode: "w:EncodingLimit",
                        reason: "The WS-Management service cannot process the request because the response (\(item) octets for one item) exceeds the MaxEnvelopeSize of \(limit) octets. Raise MaxEnvelopeSizekb or the request's MaxEnvelopeSize.",
                        detailCode: 2150858800)
    }

    /// One more operation than `Service/MaxConcurrentOperationsPerUser` allows, as a real
    /// Windows listener answers it (s:Receiver, w:InternalError per MS-WSMV 3.1.4.1.19, code
    /// ERROR_WSMAN_QUOTA_MAX_OPERATIONS; texts from a captured fault, zenoss/txwinrm's
    /// `test/data_error/max_concurrent.xml`).
    public static func operationQuotaExceeded(_ limit: Int) -> WSManFaultReply {
        WSManFaultReply(code: "s:Receiver", subcode: "w:InternalError",
                        reason: "The WS-Management service cannot process the request. The maximum number of concurrent operations for this user has been exceeded. Close existing operations for this user, or raise the quota for this user.",
                        detailCode: 2150859174,
                        message: "The WS-Management service cannot process the request. This user is allowed a maximum number of \(limit) concurrent operations, which has been exceeded. Close existing operations for this user, or raise the quota for this user.")
    }

    /// Access refused after authentication (here: SOAP in the clear where `AllowUnencrypted` is
    /// off). UNVERIFIED: the subcode and code; Windows answers 500 and logs the refusal.
    public static func accessDenied(_ reason: String) -> WSManFaultReply {
        WSManFaultReply(code: "s:Sender", subcode: "w:AccessDenied", reason: reason, detailCode: 5)
    }

    /// A simulated internal failure.
    public static func internalError(_ reason: String) -> WSManFaultReply {
        WSManFaultReply(code: "s:Receiver", subcode: "w:InternalError", reason: reason, detailCode: 2147500037)
    }

    /// The fault as a complete envelope.
    public func envelope(relatesTo: String?, machine: String) -> String {
        let body = """
            <s:Fault><s:Code><s:Value>\(code)</s:Value><s:Subcode><s:Value>\(subcode)</s:Value></s:Subcode></s:Code>\
            <s:Reason><s:Text xml:lang="en-US">\(reason.xmlEscaped)</s:Text></s:Reason>\
            <s:Detail><f:WSManFault xmlns:f="\(WSManURI.faultDetail)" Code="\(detailCode)" Machine="\(machine.xmlEscaped)">\
            <f:Message>\((message ?? reason).xmlEscaped)</f:Message></f:WSManFault></s:Detail></s:Fault>
            """
        return WSManEnvelopeWriter.envelope(action: action, relatesTo: relatesTo, body: body)
    }
}
