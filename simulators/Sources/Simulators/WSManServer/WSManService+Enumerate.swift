import XML

extension WSManService {
    /// Enumerate: evaluates the filter, then either opens a context or (with
    /// `w:OptimizeEnumeration`) returns up to `w:MaxElements` items at once.
    func enumerate(_ request: WSManRequest) throws(WSManFaultReply) -> String {
        guard let payload = request.payload, payload.name == "Enumerate", payload.namespace == WSManURI.enumeration else {
            throw .invalidHeader("The Enumerate action needs an n:Enumerate body.")
        }
        guard let uri = request.resourceURI else { throw .headerRequired("w:ResourceURI") }
        let items = try filteredItems(resourceURI: uri, filter: payload.child("Filter"), request: request)
        let mode: EnumerationStore.Mode
        switch payload.child("EnumerationMode")?.text.trimmingSpaces {
        case nil, "": mode = .objects
        case "EnumerateEPR": mode = .endpointReferences
        case "EnumerateObjectAndEPR": mode = .objectsAndReferences
        case let other?: throw .invalidParameter("Unsupported w:EnumerationMode \(other).")
        }
        var body = "<n:EnumerateResponse>"
        if payload.child("OptimizeEnumeration", namespace: WSManURI.wsman) != nil {
            let maximum = try maxElements(payload.child("MaxElements", namespace: WSManURI.wsman))
            let first = Array(items.prefix(maximum))
            if items.count > maximum {
                body += "<n:EnumerationContext>\(enumerations.open(items, position: maximum, mode: mode))</n:EnumerationContext>"
                body += "<w:Items>\(render(first, mode: mode))</w:Items>"
            } else {
                body += "<w:Items>\(render(first, mode: mode))</w:Items><w:EndOfSequence/>"
            }
        } else {
            body += "<n:EnumerationContext>\(enumerations.open(items, position: 0, mode: mode))</n:EnumerationContext>"
        }
        return WSManEnvelopeWriter.envelope(action: WSManURI.enumerateAction + "Response", relatesTo: request.messageID,
                                            body: body + "</n:EnumerateResponse>")
    }

    /// Pull: the next `n:MaxElements` (default 1) items, then `n:EndOfSequence`.
    func pull(_ request: WSManRequest) throws(WSManFaultReply) -> String {
        guard let payload = request.payload, payload.name == "Pull", payload.namespace == WSManURI.enumeration else {
            throw .invalidHeader("The Pull action needs an n:Pull body.")
        }
        guard let context = payload.child("EnumerationContext")?.text.trimmingSpaces, !context.isEmpty else {
            throw .invalidEnumerationContext()
        }
        let maximum = try maxElements(payload.child("MaxElements"))
        guard let (items, mode, finished) = enumerations.pull(context, count: maximum) else { throw .invalidEnumerationContext() }
        var body = "<n:PullResponse>"
        if !finished { body += "<n:EnumerationContext>\(context.xmlEscaped)</n:EnumerationContext>" }
        body += "<n:Items>\(render(items, mode: mode))</n:Items>"
        if finished { body += "<n:EndOfSequence/>" }
        return WSManEnvelopeWriter.envelope(action: WSManURI.pullAction + "Response", relatesTo: request.messageID,
                                            body: body + "</n:PullResponse>")
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
