import Foundation

/// The VMM cmdlets the simulator runs, bound to a model: `Get-SCVMMServer`, `Get-SCVMHost`,
/// `Get-SCVirtualMachine`, `Start-`/`Stop-`/`Suspend-`/`Resume-`/`Reset-SCVirtualMachine`, `Get-SCJob` and `Stop-SCJob`.
public enum SCVMMCmdlets {
    /// The module name `Import-Module` accepts.
    public static let moduleName = "VirtualMachineManager"
    static let prefix = "Microsoft.SystemCenter.VirtualMachineManager.Cmdlets."

    /// Every cmdlet, plus the general-purpose ones (`Select-Object`, `ConvertTo-Json` …).
    public static func all(model: SCVMMModel) -> [PSCommandDefinition] {
        PSBuiltinCommands.all(modules: [moduleName]) + [server(model), hosts(model), virtualMachines(model), jobs(model), stopJob(model)]
            + changeCommands(model)
            + SCVMMAction.allCases.filter { $0 != .shutdown && $0 != .save }.map { action(model, $0) }
    }

    static func serverObject(_ model: SCVMMModel) -> PSValue {
        let short = model.serverName.split(separator: ".").first.map(String.init) ?? model.serverName
        var properties = [PSProperty("Name", .string(short)), PSProperty("FQDN", .string(model.serverName)),
                          PSProperty("FullyQualifiedDomainName", .string(model.serverName)), PSProperty("Port", .int(8100)),
                          PSProperty("IsConnected", .bool(true))]
        for property in model.ems where !properties.contains(where: { $0.name.lowercased() == property.name.lowercased() }) {
            properties.append(property)
        }
        if let version = model.ems.first(where: { $0.name.lowercased() == "version" }) {
            properties.append(PSProperty("ServerInterfaceVersion", version.value))
        }
        return .object(PSObject(typeName: "Microsoft.SystemCenter.VirtualMachineManager.Remoting.ServerConnection", properties: properties,
                                display: model.serverName, reference: .server))
    }

    static func server(_ model: SCVMMModel) -> PSCommandDefinition {
        PSCommandDefinition(name: "Get-SCVMMServer", aliases: ["Get-VMMServer"],
                            parameters: [PSParameter("ComputerName", position: 0, typeName: "System.String"), PSParameter("TCPPort"),
                                         PSParameter("Credential"), .flag("SetAsDefault"), PSParameter("UserRoleName")],
                            implementingType: prefix + "GetServerConnectionCmdlet") { call, _ throws(PSErrorRecord) in
            let name = (call["ComputerName"] ?? .string("localhost")).text.lowercased()
            let fqdn = model.serverName.lowercased()
            let accepted: Set<String> = ["localhost", ".", "127.0.0.1", "::1", fqdn, String(fqdn.split(separator: ".").first ?? "")]
            guard accepted.contains(name) else {
                throw .cmdlet("You cannot contact the VMM management server \(name). The server may be offline or the name may be wrong. (Error ID: 1605)",
                              category: "ResourceUnavailable", errorID: "1605")
            }
            return [serverObject(model)]
        }
    }

    static func hosts(_ model: SCVMMModel) -> PSCommandDefinition {
        PSCommandDefinition(name: "Get-SCVMHost", aliases: ["Get-VMHost"],
                            parameters: [PSParameter("VMMServer"), PSParameter("ComputerName", position: 0, typeName: "System.String"),
                                         PSParameter("ID", typeName: "System.Guid"), PSParameter("VMHostGroup")],
                            implementingType: prefix + "GetHostCmdlet") { call, _ throws(PSErrorRecord) in
            var hosts = model.hosts
            if let name = call["ComputerName"]?.text.lowercased() {
                hosts = hosts.filter { $0.name.lowercased() == name || $0.name.lowercased().split(separator: ".").first.map(String.init) == name }
            }
            if let id = call["ID"] {
                let guid = try guidArgument(id, parameter: "ID")
                hosts = hosts.filter { $0.id == guid }
            }
            return hosts.map { .object($0.object) }
        }
    }

    static func virtualMachines(_ model: SCVMMModel) -> PSCommandDefinition {
        PSCommandDefinition(name: "Get-SCVirtualMachine", aliases: ["Get-VM"],
                            parameters: [PSParameter("VMMServer"), .flag("All"), PSParameter("Name", position: 0, typeName: "System.String"),
                                         PSParameter("ID", typeName: "System.Guid"), PSParameter("VMHost")],
                            implementingType: prefix + "GetVMCmdlet") { call, _ throws(PSErrorRecord) in
            var vms: [SCVMMVirtualMachine]
            if let id = call["ID"] {
                let guid = try guidArgument(id, parameter: "ID")
                vms = model.virtualMachine(id: guid).map { [$0] } ?? []
            } else {
                vms = model.virtualMachines()
            }
            if let name = call["Name"]?.text.lowercased() { vms = vms.filter { $0.name.lowercased() == name } }
            if let host = call["VMHost"] {
                let hostName = (PSInterpreter.member("Name", of: host).isNull ? host : PSInterpreter.member("Name", of: host)).text.lowercased()
                vms = vms.filter { $0.hostName.lowercased() == hostName }
            }
            let now = ContinuousClock.now
            return vms.map { .object($0.object(platform: model.platform(ofHost: $0.hostName), at: now)) }
        }
    }

    static func jobs(_ model: SCVMMModel) -> PSCommandDefinition {
        PSCommandDefinition(name: "Get-SCJob", aliases: ["Get-Job"],
                            parameters: [PSParameter("VMMServer"), PSParameter("ID", typeName: "System.Guid"), .flag("All"), .flag("Running")],
                            implementingType: prefix + "GetTaskCmdlet") { call, _ throws(PSErrorRecord) in
            let now = ContinuousClock.now
            if let id = call["ID"] {
                let guid = try guidArgument(id, parameter: "ID")
                return model.job(id: guid).map { [.object($0.object(at: now))] } ?? []
            }
            var jobs = model.jobs()
            if call.isSet("Running") { jobs = jobs.filter { $0.status == .running } }
            return jobs.map { .object($0.object(at: now)) }
        }
    }

    /// `Stop-SCJob -Job $job`: cancels a running job; outputs the job.
    static func stopJob(_ model: SCVMMModel) -> PSCommandDefinition {
        PSCommandDefinition(name: "Stop-SCJob", aliases: ["Stop-Job"],
                            parameters: [PSParameter("Job", position: 0, typeName: "Microsoft.SystemCenter.VirtualMachineManager.Task"),
                                         PSParameter("VMMServer")],
                            implementingType: prefix + "StopTaskCmdlet") { call, _ throws(PSErrorRecord) in
            guard case .object(let object)? = call["Job"], case .job(let id)? = object.reference else {
                throw PSErrorRecord(message: "Cannot validate argument on parameter 'Job'. The argument is null or not a VMM job.",
                                    category: "InvalidData", reason: "ParameterBindingValidationException", errorID: "ParameterArgumentValidationError")
            }
            guard let job = model.cancel(jobID: id) else {
                throw .cmdlet("VMM is unable to find the job with ID \(id). (Error ID: 1730)", category: "ObjectNotFound", errorID: "1730")
            }
            return [.object(job.object(at: ContinuousClock.now))]
        }
    }

    static func action(_ model: SCVMMModel, _ action: SCVMMAction) -> PSCommandDefinition {
        let verb: String
        switch action {
        case .start: verb = "Start"
        case .suspend: verb = "Suspend"
        case .resume: verb = "Resume"
        case .reset: verb = "Reset"
        default: verb = "Stop"
        }
        var parameters = [PSParameter("VM", position: 0, typeName: "Microsoft.SystemCenter.VirtualMachineManager.VM"), .flag("RunAsynchronously"),
                          PSParameter("JobVariable", typeName: "System.String"), PSParameter("JobGroup"), PSParameter("PROTipID"),
                          PSParameter("OnBehalfOfUser"), PSParameter("OnBehalfOfUserRole")]
        if verb == "Stop" { parameters += [.flag("Shutdown"), .flag("Force"), .flag("SaveState")] }
        return PSCommandDefinition(name: "\(verb)-SCVirtualMachine", aliases: ["\(verb)-VM"], parameters: parameters,
                                   implementingType: prefix + "\(verb)VMCmdlet") { call, interpreter throws(PSErrorRecord) in
            var chosen = action
            if verb == "Stop" {
                let switches = [("Shutdown", SCVMMAction.shutdown), ("SaveState", .save), ("Force", .stop)].filter { call.isSet($0.0) }
                guard switches.count <= 1 else {
                    throw PSErrorRecord(message: "Parameter set cannot be resolved using the specified named parameters.", category: "InvalidArgument",
                                        reason: "ParameterBindingException", errorID: "AmbiguousParameterSet")
                }
                chosen = switches.first?.1 ?? .stop
            }
            // -VM, or each VM piped in (the parameter takes pipeline input).
            let targets: [PSValue?] = call["VM"] != nil || (call.input ?? []).isEmpty ? [call["VM"]] : (call.input ?? []).map { $0 }
            var output: [PSValue] = []
            for target in targets {
                let vmID = try vmArgument(target)
                var job = try model.perform(chosen, on: vmID)
                if !call.isSet("RunAsynchronously") { job = model.finish(jobID: job.id) ?? job }
                if let variable = call["JobVariable"]?.text, !variable.isEmpty {
                    interpreter.setVariable(variable, .object(job.object(at: ContinuousClock.now)))
                }
                if job.status == .failed { throw .cmdlet(job.problem, errorID: "12711") }
                if let vm = model.virtualMachine(id: vmID) {
                    output.append(.object(vm.object(platform: model.platform(ofHost: vm.hostName), at: ContinuousClock.now)))
                }
            }
            return output
        }
    }

    /// `-VM` must be one VM object.
    static func vmArgument(_ value: PSValue?) throws(PSErrorRecord) -> String {
        guard let value, !value.isNull else {
            throw PSErrorRecord(message: "Cannot validate argument on parameter 'VM'. The argument is null. Provide a valid value for the argument, and then try running the command again.",
                                category: "InvalidData", reason: "ParameterBindingValidationException", errorID: "ParameterArgumentValidationError")
        }
        guard case .object(let object) = value, case .virtualMachine(let id)? = object.reference else {
            let type: String
            switch value {
            case .array, .wrappedArray: type = "System.Object[]"
            case .object(let object): type = object.typeName
            default: type = "System.String"
            }
            throw PSErrorRecord(message: "Cannot bind parameter 'VM'. Cannot convert the \"\(value.text)\" value of type \"\(type)\" to type \"Microsoft.SystemCenter.VirtualMachineManager.VM\".",
                                category: "InvalidArgument", reason: "ParameterBindingException", errorID: "CannotConvertArgumentNoMessage")
        }
        return id
    }

    /// A `[guid]` parameter.
    static func guidArgument(_ value: PSValue, parameter: String) throws(PSErrorRecord) -> String {
        guard let guid = GUIDText.normalized(value.text) else {
            throw PSErrorRecord(message: "Cannot bind parameter '\(parameter)'. Cannot convert value \"\(value.text)\" to type \"System.Guid\". Error: \"Guid should contain 32 digits with 4 dashes (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx).\"",
                                category: "InvalidArgument", reason: "ParameterBindingException", errorID: "CannotConvertArgumentNoMessage")
        }
        return guid
    }
}
