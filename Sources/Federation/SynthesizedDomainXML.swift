import BrokerAPI
import BrokerCore
import XML

/// Domain XML for a VM whose backend has none of its own (Hyper-V, SCVMM): a definition in
/// libvirt's domain schema from what the federation knows — name, UUID, memory, vCPUs, OS
/// type, and the disks and network interfaces its backend reports (source, target and bus;
/// MAC and the switch as a bridge), so virt-manager's details page shows the hardware.
enum SynthesizedDomainXML {
    /// The definition of `record`, with libvirt's domain `type`, and the devices of `stats`.
    static func xml(_ record: DomainRecord, type: String, stats: DomainStats? = nil) -> String {
        let maxMemory = max(record.maxMemoryKiB, record.memoryKiB)
        let description = "\(record.platform ?? "unknown platform") VM on host \(record.host), through backend \(record.backend)"
        var devices = ""
        for disk in stats?.disks ?? [] where !disk.target.isEmpty {
            devices += "    <disk type='file' device='disk'>\n"
            if let source = disk.source { devices += "      <source file='\(source.xmlEscaped)'/>\n" }
            devices += "      <target dev='\(disk.target.xmlEscaped)' bus='\((disk.bus ?? "scsi").xmlEscaped)'/>\n"
            devices += "    </disk>\n"
        }
        for interface in stats?.interfaces ?? [] {
            devices += "    <interface type='bridge'>\n"
            if let mac = interface.mac { devices += "      <mac address='\(mac.xmlEscaped)'/>\n" }
            if let network = interface.network { devices += "      <source bridge='\(network.xmlEscaped)'/>\n" }
            if let target = interface.target { devices += "      <target dev='\(target.xmlEscaped)'/>\n" }
            if let model = interface.model { devices += "      <model type='\(model.xmlEscaped)'/>\n" }
            devices += "    </interface>\n"
        }
        return """
            <domain type='\(type.xmlEscaped)'>
              <name>\(record.name.xmlEscaped)</name>
              <uuid>\(record.uuid.xmlEscaped)</uuid>
              <description>\(description.xmlEscaped)</description>
              <memory unit='KiB'>\(maxMemory)</memory>
              <currentMemory unit='KiB'>\(record.memoryKiB)</currentMemory>
              <vcpu placement='static'>\(max(record.vcpus, 1))</vcpu>
              <os>
                <type arch='x86_64'>hvm</type>
              </os>
              <devices>
            \(devices)  </devices>
            </domain>

            """
    }
}
