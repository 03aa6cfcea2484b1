import XML

extension WSManService {
    /// Invoke (`<class URI>/<Method>`): `Msvm_ComputerSystem.RequestStateChange`,
    /// `Msvm_ShutdownComponent.InitiateShutdown`, `Msvm_ConcreteJob.RequestStateChange` and
    /// `Msvm_VirtualSystemManagementService.GetSummaryInformation` (see `WSManService+Summary`).
    func invoke(_ request: WSManRequest, action: String) throws(WSManFaultReply) -> String {
        guard let slash = action.lastIndex(of: "/") else { throw .actionNotSupported(action) }
        let classURI = String(action[..<slash]), method = String(action[action.index(after: slash)...])
        guard let wmiClass = WMISchema.wmiClass(resourceURI: classURI) else {
            if [WMINamespace.virtualizationV2, .cimv2].contains(where: { classURI.hasPrefix($0.uriPrefix) }) {
                throw .destinationUnreachable("The WS-Management service cannot process the request. The class in \(classURI) does not exist.")
            }
            throw .actionNotSupported(action)
        }
        if let resource = request.resourceURI, resource.lowercased() != classURI.lowercased() {
            throw .actionNotSupported(action)
        }
        guard let payload = request.payload, payload.name == "\(method)_INPUT" else {
            throw .invalidParameter("The body of \(method) must be a \(method)_INPUT element.")
        }
        if wmiClass == WMISchema.managementService, method == "GetSummaryInformation" {
            _ = try selectedInstance(of: wmiClass, request: request)
            return try getSummaryInformation(request, payload: payload, action: action)
        }
        let result: InvocationResult
        var outputs: [String] = []
        if [WMISchema.managementService, WMISchema.snapshotService, WMISchema.migrationService].contains(wmiClass) {
            _ = try selectedInstance(of: wmiClass, request: request)
        }
        if let (outcome, extra) = try invokeVirtualSystemMethod(wmiClass, method: method, payload: payload) {
            result = outcome
            outputs = extra
        } else {
            switch (wmiClass.name, method) {
            case ("Msvm_ComputerSystem", "RequestStateChange"):
                let target = try selectedInstance(of: wmiClass, request: request)
                guard let text = payload.child("RequestedState")?.text.trimmingSpaces, let requested = Int(text) else {
                    throw .invalidParameter("RequestStateChange needs an integer RequestedState.")
                }
                if target["Description"]?.text == "Microsoft Virtual Machine", let name = target["Name"]?.text,
                   let outcome = model.requestStateChange(vm: name, requestedState: requested) {
                    result = outcome
                } else {
                    result = InvocationResult(returnValue: 32770, jobID: nil)  // the host itself: not supported
                }
            case ("Msvm_ConcreteJob", "RequestStateChange"):
                let target = try selectedInstance(of: wmiClass, request: request)
                guard let text = payload.child("RequestedState")?.text.trimmingSpaces, let requested = Int(text) else {
                    throw .invalidParameter("RequestStateChange needs an integer RequestedState.")
                }
                guard let id = target["InstanceID"]?.text, let code = model.requestJobStateChange(job: id, requestedState: requested) else {
                    throw .invalidSelectors("No job has this InstanceID.")
                }
                result = InvocationResult(returnValue: code, jobID: nil)
            case ("Msvm_ShutdownComponent", "InitiateShutdown"):
                let target = try selectedInstance(of: wmiClass, request: request)
                if let force = payload.child("Force")?.text.trimmingSpaces.lowercased(), !["true", "false"].contains(force) {
                    throw .invalidParameter("InitiateShutdown's Force must be true or false.")
                }
                guard let name = target["SystemName"]?.text, let outcome = model.initiateShutdown(vm: name) else {
                    throw .invalidSelectors("No virtual machine owns this shutdown component.")
                }
                result = outcome
            default:
                throw .actionNotSupported(action)
            }
        }
        logger.info("invoke", metadata: ["method": "\(method)", "return": "\(result.returnValue)", "job": "\(result.jobID ?? "-")"])
        var body = "<p:\(method)_OUTPUT xmlns:p=\"\(wmiClass.resourceURI)\">"
        if let job = result.jobID {
            body += WSManEnvelopeWriter.endpointReference(resourceURI: WMISchema.concreteJob.resourceURI,
                                                          selectors: [("InstanceID", job)], element: "p:Job")
        } else {
            body += "<p:Job xsi:nil=\"true\"/>"
        }
        body += outputs.joined()
        body += "<p:ReturnValue>\(result.returnValue)</p:ReturnValue></p:\(method)_OUTPUT>"
        return WSManEnvelopeWriter.envelope(action: action + "Response", relatesTo: request.messageID, body: body)
    }
}
