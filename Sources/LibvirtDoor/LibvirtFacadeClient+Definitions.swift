import BrokerAPI
import BrokerCore
import Foundation
import LibvirtRemote

/// Defining and removing VMs through the facade (`virsh define`/`undefine`/`autostart`,
/// virt-manager's new-VM wizard and delete). The facade has one connection for the whole
/// federation, so a new VM's `<name>` says where it goes: `backend/name`, or
/// `backend/host/name` for a backend with several hosts (SCVMM).
extension LibvirtFacadeClient {
    static let definitionTable: [RemoteProcedure: Handler] = [
        .domainDefineXML: { client, args in
            XDRWriter.reply(try await client.define(try args.readString(limit: RemoteLimits.stringMax, "xml"), api: "virDomainDefineXML"))
        },
        .domainDefineXMLFlags: { client, args in
            let xml = try args.readString(limit: RemoteLimits.stringMax, "xml")
            let flags = try args.readUInt32("flags")
            guard flags & ~UInt32(1) == 0 || client.isReadOnly else {  // VALIDATE: the backend validates anyway
                throw RemoteError(.invalidArg, "unsupported flags (0x\(String(flags, radix: 16))) in function virDomainDefineXMLFlags")
            }
            return XDRWriter.reply(try await client.define(xml, api: "virDomainDefineXMLFlags"))
        },
        .domainUndefine: { client, args in
            try await client.change(.undefine(UndefineOptions()), try NonnullDomain(from: &args), api: "virDomainUndefine")
            return XDRWriter()
        },
        .domainUndefineFlags: { client, args in
            let dom = try NonnullDomain(from: &args)
            let flags = try args.readUInt32("flags")
            // MANAGED_SAVE (1), SNAPSHOTS_METADATA (2); NVRAM, CHECKPOINTS and TPM go with the VM where it has them.
            let options = UndefineOptions(snapshotsMetadata: flags & 2 != 0, managedSave: flags & 1 != 0)
            try await client.change(.undefine(options), dom, api: "virDomainUndefineFlags")
            return XDRWriter()
        },
        .domainSetAutostart: { client, args in
            let dom = try NonnullDomain(from: &args)
            let autostart = try args.readInt32("autostart")
            try await client.change(.setAutostart(autostart != 0), dom, api: "virDomainSetAutostart")
            return XDRWriter()
        },
        .connectGetDomainCapabilities: { _, args in
            _ = try args.readOptional("emulatorbin") { r throws(XDRError) in try r.readString(limit: RemoteLimits.stringMax) }
            let arch = try args.readOptional("arch") { r throws(XDRError) in try r.readString(limit: RemoteLimits.stringMax) }
            let machine = try args.readOptional("machine") { r throws(XDRError) in try r.readString(limit: RemoteLimits.stringMax) }
            let virtType = try args.readOptional("virttype") { r throws(XDRError) in try r.readString(limit: RemoteLimits.stringMax) }
            _ = try args.readUInt32("flags")
            return XDRWriter.reply(LibvirtFacadeClient.domainCapabilities(arch: arch, machine: machine, virtType: virtType))
        },
    ]

    /// Defines a VM through the service (the name says the backend), waiting for its job;
    /// the new VM as the client will know it.
    func define(_ xml: String, api: String) async throws -> NonnullDomain {
        invalidate()
        let result = try await service.define(xml: xml, backend: nil, host: nil, caller: caller, operation: api)
        guard let uuid = result.job.uuid else {
            throw RemoteError(.internalError, "\(result.domain) was defined (job \(result.job.id)) but its backend did not say its UUID")
        }
        if let record = try? await service.domain(uuid) { return wire(record) }
        return NonnullDomain(name: result.domain, uuid: UUIDBytes.parse(uuid) ?? [UInt8](repeating: 0, count: 16), id: -1)
    }

    /// What a new VM may have: the federation's common ground (hvm, the vCPUs and memory every
    /// backend takes); devices are each backend's business and a define refuses what its
    /// backend cannot take, by name.
    static func domainCapabilities(arch: String?, machine: String?, virtType: String?) -> String {
        let arch = arch ?? "x86_64"
        return """
            <domainCapabilities>
              <path>/usr/bin/virtfed</path>
              <domain>\((virtType ?? "test").xmlEscaped)</domain>
              \(machine.map { "<machine>\($0.xmlEscaped)</machine>" } ?? "")
              <arch>\(arch.xmlEscaped)</arch>
              <vcpu max='240'/>
              <iothreads supported='no'/>
              <os supported='yes'>
                <enum name='firmware'>
                  <value>bios</value>
                  <value>efi</value>
                </enum>
              </os>
              <cpu>
                <mode name='host-passthrough' supported='no'/>
                <mode name='maximum' supported='no'/>
                <mode name='host-model' supported='no'/>
                <mode name='custom' supported='no'/>
              </cpu>
              <devices>
                <disk supported='yes'/>
                <graphics supported='no'/>
                <video supported='no'/>
                <hostdev supported='no'/>
              </devices>
              <features>
                <gic supported='no'/>
              </features>
            </domainCapabilities>

            """
    }
}
