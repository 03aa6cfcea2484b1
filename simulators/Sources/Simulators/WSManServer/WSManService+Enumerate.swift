import XML

extension WSManService {
    /// Enumerate: evaluates the filter, then either opens a context or (with
    /// `w:OptimizeEnumeration`) returns up to `w:MaxElements` items at once — as many as fit in
    /// the reply's envelope size (`envelopeLimit`), the rest left for Pulls. Refused with
    /// Windows' quota fault when the user already holds `MaxConcurrentOperationsPerUser` open
    /// enumerations.
    func enumerate(_ request: WSManRequest) throws(WSManFaultReply) -> String {
        guard let payload = request.payload, payload.name == "Enumerate", payload.namespace == WSManURI.enumeration else {
            throw .invalidHeader("The Enumerate action needs an n:Enumerate body.")
        }
        guard let uri = request.resourceURI else { throw .headerRequired("w:ResourceURI") }
        let limit = try envelopeLimit(request)
        let quota = limits.maxConcurrentOperationsPerUser
        guard enumerations.count < quota else { throw .operationQuotaExceeded(quota) }
        let items = try filteredItems(resourceURI: uri, filter: payload.child("Filter"), request: request)
        let mode: EnumerationStore.Mode
        switch payload.child("EnumerationMode")?.text.trimmingSpaces {
        case nil, "": mode = .objects
        case "EnumerateEPR": mode = .endpointReferences
        case "EnumerateObjectAndEPR": mode = .objectsAndReferences
        case let other?: throw .invalidParameter("Unsupported w:EnumerationMode \(other).")
        }
        let action = WSManURI.enumerateAction + "Response"
        var body = "<n:EnumerateResponse>"
        if payload.child("OptimizeEnumeration", namespace: WSManURI.wsman) != nil {
            let maximum = try maxElements(payload.child("MaxElements", namespace: WSManURI.wsman))
            var budget = limit - overhead(action: action, relatesTo: request.messageID, context: Self.contextPlaceholder, itemsElement: "w:Items")
            var first: [String] = []
            for item in items.prefix(maximum) {
                let text = render([item], mode: mode)
                guard text.utf8.count <= budget else {
                    if first.isEmpty { throw .responseTooLarge(item: text.utf8.count, limit: limit) }
                    break
                }
                budget -= text.utf8.count
                first.append(text)
            }
            if items.count > first.count {
                body += "<n:EnumerationContext>\(enumerations.open(items, position: first.count, mode: mode))</n:EnumerationContext>"
                body += "<w:Items>\(first.joined())</w:Items>"
            } else {
                body += "<w:Items>\(first.joined())</w:Items><w:EndOfSequence/>"
            }
        } else {
            body += "<n:EnumerationContext>\(enumerations.open(items, position: 0, mode: mode))</n:EnumerationContext>"
        }
        return WSManEnvelopeWriter.envelope(action: action, relatesTo: request.messageID, body: body + "</n:EnumerateResponse>")
    }

    /// Pull: the next `n:MaxElements` (default 1) items — as many as fit in the reply's
    /// envelope size, the rest left for the next Pull — then `n:EndOfSequence`.
    func pull(_ request: WSManRequest) throws(WSManFaultReply) -> String {
        guard let payload = request.payload, payload.name == "Pull", payload.namespace == WSManURI.enumeration else {
            throw .invalidHeader("The Pull action needs an n:Pull body.")
        }
        guard let context = payload.child("EnumerationContext")?.text.trimmingSpaces, !context.isEmpty else {
            throw .invalidEnumerationContext()
        }
        let limit = try envelopeLimit(request)
        let maximum = try maxElements(payload.child("MaxElements"))
        let action = WSManURI.pullAction + "Response"
        var budget = limit - overhead(action: action, relatesTo: request.messageID, context: context, itemsElement: "n:Items")
        var rendered: [String] = []
        var refused: Int?
        let pulled = enumerations.pull(context, count: maximum) { mode, item in
            let text = render([item], mode: mode)
            guard text.utf8.count <= budget else {
                refused = text.utf8.count
                return false
            }
            budget -= text.utf8.count
            rendered.append(text)
            return true
        }
        guard let (items, _, finished) = pulled else { throw .invalidEnumerationContext() }
        if items.isEmpty, !finished, let refused { throw .responseTooLarge(item: refused, limit: limit) }
        var body = "<n:PullResponse>"
        if !finished { body += "<n:EnumerationContext>\(context.xmlEscaped)</n:EnumerationContext>" }
        body += "<n:Items>\(rendered.joined())</n:Items>"
        if finished { body += "<n:EndOfSequence/>" }
        return WSManEnvelopeWriter.envelope(action: action, relatesTo: request.messageID, body: body + "</n:PullResponse>")
    }

    /// The largest reply this request may get, in octets: its `w:MaxEnvelopeSize`, lowered to
    /// the listener's `MaxEnvelopeSizekb` (MS-WSMV 3.1.4.1.7: a larger request is not a fault);
    /// below 8192 octets the request is refused with `w:EncodingLimit`.
    func envelopeLimit(_ request: WSManRequest) throws(WSManFaultReply) -> Int {
        let listener = limits.maxEnvelopeSizeBytes
        guard let requested = request.maxEnvelopeSize else { return listener }
        guard requested >= 8192 else { throw .maxEnvelopeSizeTooSmall(requested) }
        return min(requested, listener)
    }

    /// A context id as long as the ones `EnumerationStore` makes, for measuring.
    private static let contextPlaceholder = "uuid:" + String(repeating: "0", count: 36)

    /// Octets of a reply with no items (the context and the end marker both counted).
    private func overhead(action: String, relatesTo: String?, context: String, itemsElement: String) -> Int {
        let body = "<n:EnumerateResponse><n:EnumerationContext>\(context.xmlEscaped)</n:EnumerationContext>"
            + "<\(itemsElement)></\(itemsElement)><w:EndOfSequence/></n:EnumerateResponse>"
        return WSManEnvelopeWriter.envelope(action: action, relatesTo: relatesTo, body: body).utf8.count
    }

    /// Release: forgets a context.
    func release(_ request: WSManRequest) throws(WSManFaultReply) -> String {
        guard let context = request.payload?.child("EnumerationContext")?.text.trimmingSpaces,
              enumerations.release(context) else { throw .invalidEnumerationContext() }
        return WSManEnvelopeWriter.envelope(action: WSManURI.releaseAction + "Response", relatesTo: request.messageID, body: "")
    }

    private func maxElements(_ element: XMLElement?) throws(WSManFaultReply) -> Int {
        guard let element else { return 1 }
        guard let value = Int(element.text.trimmingSpaces), value >= 1 else {
            throw .invalidParameter("MaxElements must be a positive integer, not '\(element.text)'.")
        }
        return min(value, 1_000_000)
    }

    private func render(_ items: [WMIInstance], mode: EnumerationStore.Mode) -> String {
        items.map { item in
            switch mode {
            case .objects: WSManEnvelopeWriter.instance(item)
            case .endpointReferences: WSManEnvelopeWriter.endpointReference(item)
            case .objectsAndReferences: "<w:Item>" + WSManEnvelopeWriter.instance(item) + WSManEnvelopeWriter.endpointReference(item) + "</w:Item>"
            }
        }.joined()
    }

    private func filteredItems(resourceURI uri: String, filter: XMLElement?, request: WSManRequest) throws(WSManFaultReply) -> [WMIInstance] {
        guard let filter else {
            // No filter: every instance of the class the resource URI names.
            return model.instances(of: try resourceClass(request))
        }
        switch filter.attributes["Dialect"]?.trimmingSpaces ?? WSManURI.wqlDialect {
        case WSManURI.wqlDialect:
            guard let namespace = [WMINamespace.virtualizationV2, .cimv2].first(where: { uri.hasPrefix($0.uriPrefix) }) else {
                throw .destinationUnreachable("The WS-Management service cannot process the request. The resource URI \(uri) is not a WMI namespace.")
            }
            do {
                let query = try WQLParser.parse(filter.text)
                try checkNamespace(query, namespace)
                return try WQLEvaluator(model: model).evaluate(query).instances
            } catch {
                throw Self.fault(for: error)
            }
        case WSManURI.selectorDialect:
            let wmiClass = try resourceClass(request)
            let selectors = (filter.child("SelectorSet")?.children(named: "Selector") ?? []).compactMap { selector in
                selector.attributes["Name"].map { (name: $0, value: selector.text.trimmingSpaces) }
            }
            do {
                guard let found = try model.instance(of: wmiClass, selectors: selectors) else { return [] }
                return [found]
            } catch {
                throw .invalidSelectors(error.description)
            }
        case let dialect:
            throw .dialectUnavailable(dialect)
        }
    }

    private func checkNamespace(_ query: WQLQuery, _ namespace: WMINamespace) throws(WQLError) {
        let className: String
        switch query {
        case .select(_, let name, _): className = name
        case .associators(let path, _, _): className = path.className
        }
        if let known = WMISchema.wmiClass(named: className), known.namespace != namespace { throw .unknownClass(className) }
    }

    /// The fault WinRM gives for a WQL error.
    static func fault(for error: WQLError) -> WSManFaultReply {
        switch error {
        case .syntax, .unknownProperty:
            .cannotProcessFilter("The WS-Management service cannot process the request because the filter is invalid. \(error.description)")
        case .unknownClass:
            .destinationUnreachable("The WS-Management service cannot process the request. The WMI service returned an 'invalid class' error. \(error.description)", code: 2147749904)
        case .objectNotFound:
            .destinationUnreachable("The WS-Management service cannot process the request. The WMI service returned a 'not found' error. \(error.description)", code: 2147749890)
        }
    }
}
