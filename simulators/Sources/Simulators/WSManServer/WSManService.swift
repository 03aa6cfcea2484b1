import Foundation
import Logging
import XML

/// The WS-Management endpoint of the simulated host, independent of HTTP: request bytes in,
/// status and envelope out. Supports Identify, Enumerate (WQL and selector filters,
/// `w:OptimizeEnumeration`/`w:MaxElements`, `w:EnumerationMode`), Pull, Release, Get, and the
/// Invoke of `Msvm_ComputerSystem.RequestStateChange`, `Msvm_ShutdownComponent.InitiateShutdown`,
/// `Msvm_ConcreteJob.RequestStateChange`, `Msvm_VirtualSystemManagementService`'s
/// `GetSummaryInformation`, `DefineSystem`, `ModifyResourceSettings`, `ModifySystemSettings` and
/// `DestroySystem`, the snapshot service's methods and `MigrateVirtualSystemToHost`.
public final class WSManService: Sendable {
    /// The simulated host.
    public let model: HyperVModel
    let enumerations: EnumerationStore
    let logger: Logger
    /// The listener's envelope size and operations quota (Windows' defaults unless relaxed).
    public let limits: WinRMListenerPolicy

    /// Creates the service; enumeration contexts expire after `contextTimeout` without a Pull;
    /// replies and open enumerations are held to `limits`.
    public init(model: HyperVModel, contextTimeout: Duration = .seconds(120), limits: WinRMListenerPolicy = WinRMListenerPolicy(),
                logger: Logger = Logger(label: "virtfed.sim.hyperv")) {
        self.model = model
        enumerations = EnumerationStore(timeout: contextTimeout, capacity: max(4096, limits.maxConcurrentOperationsPerUser))
        self.limits = limits
        self.logger = logger
    }

    /// Enumeration contexts open now.
    public var openEnumerations: Int { enumerations.count }

    /// Handles one request body.
    public func handle(_ bytes: some Collection<UInt8>) -> WSManReply {
        var relatesTo: String?
        do {
            let document: XMLElement
            do { document = try XMLParser.parse(bytes, maxBytes: 1 << 20, maxDepth: 32) } catch {
                throw WSManFaultReply.invalidHeader("The request is not well-formed XML: \(error.message)")
            }
            let request = try WSManRequest(envelope: document)
            relatesTo = request.messageID
            let body = try dispatch(request)
            return WSManReply(status: 200, body: body)
        } catch let fault as WSManFaultReply {
            logger.debug("fault", metadata: ["subcode": "\(fault.subcode)", "reason": "\(fault.reason)"])
            return WSManReply(status: 500, body: fault.envelope(relatesTo: relatesTo, machine: model.host.dnsHostName))
        } catch {
            let fault = WSManFaultReply.internalError("\(error)")
            return WSManReply(status: 500, body: fault.envelope(relatesTo: relatesTo, machine: model.host.dnsHostName))
        }
    }

    /// Whether `bytes` is a WS-Management Identify request (which WinRM answers without
    /// authentication when the client sends `WSMANIDENTIFY: unauthenticated`).
    public func isIdentify(_ bytes: some Collection<UInt8>) -> Bool {
        guard let document = try? XMLParser.parse(bytes, maxBytes: 1 << 20, maxDepth: 32),
              let request = try? WSManRequest(envelope: document) else { return false }
        return request.action == nil && request.payload?.name == "Identify" && request.payload?.namespace == WSManURI.identity
    }

    private func dispatch(_ request: WSManRequest) throws(WSManFaultReply) -> String {
        guard let action = request.action else {
            if let payload = request.payload, payload.name == "Identify", payload.namespace == WSManURI.identity {
                return identify()
            }
            throw .headerRequired("a:Action")
        }
        switch action {
        case WSManURI.enumerateAction: return try enumerate(request)
        case WSManURI.pullAction: return try pull(request)
        case WSManURI.releaseAction: return try release(request)
        case WSManURI.getAction: return try get(request)
        default: return try invoke(request, action: action)
        }
    }

    private func identify() -> String {
        let id = WSManURI.identity
        let version = model.host.osVersion
        let body = """
            <wsmid:IdentifyResponse xmlns:wsmid="\(id)"><wsmid:ProtocolVersion>\(WSManURI.wsman)</wsmid:ProtocolVersion>\
            <wsmid:ProductVendor>Microsoft Corporation</wsmid:ProductVendor>\
            <wsmid:ProductVersion>OS: \(version.xmlEscaped) SP: 0.0 Stack: 3.0</wsmid:ProductVersion>\
            <wsmid:SecurityProfiles><wsmid:SecurityProfileName>http://schemas.dmtf.org/wbem/wsman/1/wsman/secprofile/http/basic</wsmid:SecurityProfileName>\
            <wsmid:SecurityProfileName>http://schemas.dmtf.org/wbem/wsman/1/wsman/secprofile/http/spnego-kerberos</wsmid:SecurityProfileName>\
            </wsmid:SecurityProfiles></wsmid:IdentifyResponse>
            """
        return """
            <?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="\(WSManURI.soap)"><s:Header/><s:Body>\(body)</s:Body></s:Envelope>
            """
    }

    /// The class a per-class resource URI names, or a DestinationUnreachable fault.
    func resourceClass(_ request: WSManRequest) throws(WSManFaultReply) -> WMIClass {
        guard let uri = request.resourceURI else { throw .headerRequired("w:ResourceURI") }
        guard let wmiClass = WMISchema.wmiClass(resourceURI: uri) else {
            throw .destinationUnreachable("The WS-Management service cannot process the request. The service cannot find the resource identified by the resource URI and selectors. (\(uri))")
        }
        return wmiClass
    }
}
