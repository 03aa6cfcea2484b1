import BrokerCore
import Testing
@testable import Federation

@Suite("reading a define's domain XML")
struct DomainDefinitionReaderTests {
    @Test func disksAndInterfacesAreReadWithWhatBackendsNeed() throws {
        let definition = try DomainDefinitionReader.read("""
            <domain type='kvm'>
              <name>app</name><memory unit='GiB'>2</memory><vcpu>2</vcpu>
              <devices>
                <disk type='file' device='disk'><source file='C:\\Images\\a.vhdx'/><target dev='sda' bus='scsi'/></disk>
                <disk type='block' device='disk'><source dev='/dev/sdb'/><target dev='vdb' bus='virtio'/></disk>
                <disk type='file' device='cdrom'><target dev='hdc' bus='ide'/></disk>
                <disk type='file' device='floppy'><source file='a.img'/></disk>
                <interface type='bridge'><source bridge='br0'/><mac address='52:54:00:AA:BB:CC'/><model type='virtio'/></interface>
                <interface type='network'><source network='default'/></interface>
                <interface type='user'/>
                <graphics type='vnc'/>
              </devices>
            </domain>
            """)
        #expect(definition.memoryKiB == 2 * 1024 * 1024 && definition.devices == ["disk", "disk", "disk", "disk", "interface", "interface", "interface", "graphics"])
        #expect(definition.disks == [
            DefinedDisk(device: .disk, source: #"C:\Images\a.vhdx"#, target: "sda", bus: "scsi"),
            DefinedDisk(device: .disk, source: "/dev/sdb", target: "vdb", bus: "virtio"),
            DefinedDisk(device: .cdrom, source: nil, target: "hdc", bus: "ide"),
            DefinedDisk(device: .other("floppy"), source: "a.img"),
        ])
        #expect(definition.interfaces == [
            DefinedInterface(type: "bridge", network: "br0", mac: "52:54:00:aa:bb:cc", model: "virtio"),
            DefinedInterface(type: "network", network: "default"),
            DefinedInterface(type: "user"),
        ])
        #expect(definition.interfaces[0].bareMAC == "525400AABBCC" && definition.interfaces[1].bareMAC == nil)
        #expect(DefinedInterface(type: "bridge", mac: "52:54:00:aa:bb").bareMAC == nil)
    }
}
