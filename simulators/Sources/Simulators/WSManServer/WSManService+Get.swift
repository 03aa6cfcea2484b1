extension WSManService {
    /// WS-Transfer Get: the instance the selectors name, as the body.
    func get(_ request: WSManRequest) throws(WSManFaultReply) -> String {
        let instance = try selectedInstance(of: try resourceClass(request), request: request)
        return WSManEnvelopeWriter.envelope(action: WSManURI.getAction + "Response", relatesTo: request.messageID,
                                            body: WSManEnvelopeWriter.instance(instance))
    }

    /// The instance named by the request's selectors, or an InvalidSelectors fault.
    func selectedInstance(of wmiClass: WMIClass, request: WSManRequest) throws(WSManFaultReply) -> WMIInstance {
        let found: WMIInstance?
        do { found = try model.instance(of: wmiClass, selectors: request.selectors) } catch {
            throw .invalidSelectors(error.description)
        }
        guard let found else {
            let text = request.selectors.map { "\($0.name)=\($0.value)" }.joined(separator: ", ")
            throw .invalidSelectors("No \(wmiClass.name) instance matches \(text).")
        }
        return found
    }
}
