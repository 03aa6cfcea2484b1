import Foundation
import Testing

/// Disks and network adapters at define on Hyper-V (`AddResourceSettings`: controller, drive,
/// image, adapter, connection) and SCVMM (`New-SCVirtualDiskDrive`/`New-SCVirtualNetworkAdapter`
/// in the VM's job group), through the CLI, the daemon and the simulators: the VM appears with
/// them; what the host lacks fails the define and leaves no VM behind; what cannot fit is
/// refused by name before anything is sent.
@Suite("disks and NICs at define on Hyper-V and SCVMM", .serialized)
struct WindowsDevicesTests {
    /// A generation 2 VM with a VHDX, an ISO, one adapter on a switch with a static MAC and one
    /// adapter left unconnected; `extra` devices are added.
    static func xml(_ name: String, disk: String = #"C:\Images\ubuntu-24.04.vhdx"#, network: String = "Lab LAN", efi: Bool = true,
                    extra: String = "") -> String {
        """
        <domain type='hyperv'>
          <name>\(name)</name>
          <memory unit='MiB'>2048</memory>
          <vcpu>2</vcpu>
          <os\(efi ? " firmware='efi'" : "")><type>hvm</type></os>
          <devices>
            <disk type='file' device='disk'><source file='\(disk)'/><target dev='sda' bus='scsi'/></disk>
            <interface type='bridge'><source bridge='\(network)'/><mac address='00:15:5d:0a:0b:77'/></interface>
            \(extra)
          </devices>
        </domain>
        """
    }

    /// `virtfed dumpxml` of `domain` once it shows `expected` (the devices come with the
    /// listing's next read of the host's device settings), or the last answer after 15 s.
    func dumpXML(_ domain: String, showing expected: String, environment: [String: String]) throws -> CommandResult {
        var result = try virtfed("dumpxml", domain, environment: environment)
        for _ in 0..<75 where result.status != 0 || !result.stdout.contains(expected) {
            usleep(200_000)
            result = try virtfed("dumpxml", domain, environment: environment)
        }
        return result
    }

    func write(_ text: String, _ name: String, in daemon: Daemon) throws -> String {
        let file = daemon.directory.appendingPathComponent(name).path
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }

    @Test func hyperVAttachesDisksAndAdaptersOrLeavesNoVM() throws {
        let hv01 = try SimulatedHyperV(extra: ["--log-level", "info"])
        let daemon = try Daemon(backends: [("hv01", hv01.uri, hv01.backendExtra + "\npoll_interval_ms = 1000")], environment: hv01.environment)
        let env = ["VIRTFED_SOCKET": daemon.socket]

        let full = try write(Self.xml("app-01", extra: """
            <disk type='file' device='cdrom'><source file='C:\\Images\\ws2022.iso'/><target dev='sdb' bus='scsi'/></disk>
            <interface type='network'/>
            <graphics type='vnc'/>
            """), "app-01.xml", in: daemon)
        let defined = try virtfed("define", full, "--backend", "hv01", "--json", environment: env)
        #expect(defined.status == 0 && defined.stdout.contains("2 drive(s) and 2 network adapter(s)") && defined.stdout.contains("not applied: <graphics>"),
                "\(defined)")
        // SCSI controller, disk drive, VHDX, DVD drive, ISO, adapter, its connection, the unconnected adapter.
        #expect(hv01.invocations.filter { $0 == "AddResourceSettings" }.count == 8, "\(hv01.invocations)")
        let xml = try dumpXML("hv01/app-01", showing: "Lab LAN", environment: env)
        #expect(xml.status == 0 && xml.stdout.contains(#"C:\Images\ubuntu-24.04.vhdx"#) && xml.stdout.contains("00:15:5d:0a:0b:77")
                && xml.stdout.contains("Lab LAN") && !xml.stdout.contains("ws2022.iso"), "\(xml)")
        #expect(try virtfed("start", "hv01/app-01", environment: env).status == 0)

        // Generation 1: drives on the IDE controllers the VM is made with.
        let cdrom = "<disk type='file' device='cdrom'><source file='C:\\Images\\ws2022.iso'/><target dev='hdc' bus='ide'/></disk>"
        let gen1 = try write(Self.xml("legacy-01", disk: #"C:\Images\data-01.vhdx"#, efi: false, extra: cdrom)
            .replacingOccurrences(of: "bus='scsi'", with: "bus='ide'"), "legacy-01.xml", in: daemon)
        let legacy = try virtfed("define", gen1, "--backend", "hv01", environment: env)
        #expect(legacy.status == 0, "\(legacy)")
        let legacyXML = try dumpXML("hv01/legacy-01", showing: "data-01.vhdx", environment: env)
        #expect(legacyXML.stdout.contains("bus='ide'") && legacyXML.stdout.contains("dev='hda'"), "\(legacyXML)")

        // An image the host does not have: the job fails, and the half-made VM is removed.
        let destroysBefore = hv01.invocations.filter { $0 == "DestroySystem" }.count
        let missing = try write(Self.xml("app-02", disk: #"C:\Images\not-there.vhdx"#), "app-02.xml", in: daemon)
        let failed = try virtfed("define", missing, "--backend", "hv01", environment: env)
        #expect(failed.status != 0 && failed.stderr.contains("cannot find the file") && failed.stderr.contains("half-made VM")
                && failed.stderr.contains("removed"), "\(failed)")
        #expect(hv01.invocations.filter { $0 == "DestroySystem" }.count == destroysBefore + 1, "\(hv01.invocations)")
        #expect(!(try virtfed("list", "--all", environment: env)).stdout.contains("app-02"))

        // Refused before anything is sent: a switch the host lacks, a fifth IDE drive, a floppy, not a VHD.
        let defines = hv01.invocations.filter { $0 == "DefineSystem" }.count
        let noSwitch = try virtfed("define", try write(Self.xml("app-03", network: "Nowhere"), "app-03.xml", in: daemon), "--backend", "hv01", environment: env)
        #expect(noSwitch.status != 0 && noSwitch.stderr.contains("no virtual switch 'Nowhere'") && noSwitch.stderr.contains("Lab LAN"), "\(noSwitch)")
        let ide = (1...4).map { "<disk type='file' device='disk'><source file='C:\\Images\\data-0\($0).vhdx'/><target dev='hd\($0)' bus='ide'/></disk>" }
        let crowded = try write(Self.xml("app-04", efi: false, extra: ide.joined()).replacingOccurrences(of: "bus='scsi'", with: "bus='ide'"),
                                "app-04.xml", in: daemon)
        let tooMany = try virtfed("define", crowded, "--backend", "hv01", environment: env)
        #expect(tooMany.status != 0 && tooMany.stderr.contains("4 IDE locations"), "\(tooMany)")
        let floppy = try virtfed("define", try write(Self.xml("app-05", extra: "<disk type='file' device='floppy'/>"), "app-05.xml", in: daemon),
                                 "--backend", "hv01", environment: env)
        #expect(floppy.status != 0 && floppy.stderr.contains("<disk device='floppy'>"), "\(floppy)")
        let raw = try virtfed("define", try write(Self.xml("app-06", disk: "/var/lib/libvirt/images/a.qcow2"), "app-06.xml", in: daemon),
                              "--backend", "hv01", environment: env)
        #expect(raw.status != 0 && raw.stderr.contains("neither"), "\(raw)")
        #expect(hv01.invocations.filter { $0 == "DefineSystem" }.count == defines, "\(hv01.invocations)")
    }

    @Test func scvmmGivesTheNewVMItsDisksAndAdaptersInOneJobGroup() throws {
        let blade26 = "qeblade26.cfme-qe-vmm-ad.rhq.lab.eng.bos.redhat.com"
        let vmm = try SimulatedSCVMM(inventory: SimulatedSCVMM.capture, extra: ["--host-file", #"\#(blade26)=C:\Images\ubuntu-24.04.vhdx"#])
        let daemon = try Daemon(backends: [("vmm", vmm.uri(), vmm.backendExtra + "\npoll_interval_ms = 1000")], environment: vmm.environment)
        let env = ["VIRTFED_SOCKET": daemon.socket]

        let file = try write(Self.xml("vmm-app", network: "Default Switch"), "vmm-app.xml", in: daemon)
        let defined = try virtfed("define", file, "--backend", "vmm", "--host", blade26, environment: env, timeout: 60)
        #expect(defined.status == 0, "\(defined)")
        let xml = try dumpXML("vmm/vmm-app", showing: "vhdx", environment: env)
        #expect(xml.status == 0 && xml.stdout.contains(#"C:\Images\ubuntu-24.04.vhdx"#) && xml.stdout.contains("00:15:5d:0a:0b:77")
                && xml.stdout.contains("Default Switch"), "\(xml)")

        // VMM fails the creation job when the image is not on the host: no VM is listed.
        let missing = try write(Self.xml("vmm-missing", disk: #"C:\Images\not-there.vhdx"#, network: "Default Switch"), "vmm-missing.xml", in: daemon)
        let failed = try virtfed("define", missing, "--backend", "vmm", "--host", blade26, environment: env, timeout: 60)
        #expect(failed.status != 0 && failed.stderr.contains("cannot find the file"), "\(failed)")
        #expect(!(try virtfed("list", "--all", environment: env)).stdout.contains("vmm-missing"))
        let noNetwork = try write(Self.xml("vmm-nonet", network: "Nowhere"), "vmm-nonet.xml", in: daemon)
        let unknown = try virtfed("define", noNetwork, "--backend", "vmm", "--host", blade26, environment: env, timeout: 60)
        #expect(unknown.status != 0 && unknown.stderr.contains("virtual network Nowhere"), "\(unknown)")

        let cdrom = try write(Self.xml("vmm-iso", network: "Default Switch", extra: "<disk type='file' device='cdrom'><source file='C:\\a.iso'/></disk>"),
                              "vmm-iso.xml", in: daemon)
        let refused = try virtfed("define", cdrom, "--backend", "vmm", "--host", blade26, environment: env)
        #expect(refused.status != 0 && refused.stderr.contains("<disk device='cdrom'>"), "\(refused)")
    }
}
