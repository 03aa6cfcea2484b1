import BrokerAPI
import XML

/// Domain XML for a VM whose backend has none of its own (Hyper-V, SCVMM): a definition in
/// libvirt's domain schema from what the federation knows — name, UUID, memory, vCPUs, OS type.
enum SynthesizedDomainXML {
    /// The definition of `record`, with libvirt's domain `type`.
    static func xml(_ record: DomainRecord, type: String) -> String {
        let maxMemory = max(record.maxMemoryKiB, record.memoryKiB)
        let description = "\(record.platform ?? "unknown platform") VM on host \(record.host), through backend \(record.backend)"
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
              </devices>
            </domain>

            """
    }
}
