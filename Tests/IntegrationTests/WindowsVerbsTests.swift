import Foundation
import Testing

/// Define → list → start → checkpoint → change state → revert → delete → undefine, and
/// migration, on Hyper-V and SCVMM through the real binaries: the CLI, the daemon, and the
/// simulators (their WMI methods and VMM cmdlets, with Windows' return codes and jobs).
@Suite("define, checkpoints, migration on Hyper-V and SCVMM", .serialized)
struct WindowsVerbsTests {
    static let hyperVXML = """
        <domain type='hyperv'>
          <name>lab-hv</name>
          <memory unit='MiB'>1024</memory>
          <vcpu>2</vcpu>
          <os firmware='efi'><type>hvm</type></os>
          <description>made by virtfed</description>
        </domain>
        """

    func object(_ result: CommandResult) throws -> [String: Any] {
        try #require(try result.json() as? [String: Any], "\(result)")
    }

    @Test func hyperVDefinesCheckpointsRevertsUndefinesAndMigratesToAnotherHost() throws {
        // hv02 is a second host on 127.0.0.2; hv01 hands it VMs when asked (its migration peer).
        let hv02 = try SimulatedHyperV(inventory: nil, extra: ["--generate", "2", "--host-name", "hv02"], address: "127.0.0.2")
        let hv01 = try SimulatedHyperV(extra: ["--migration-peer", "127.0.0.2=127.0.0.2:\(hv02.port)", "--log-level", "info"])
        let daemon = try Daemon(backends: [
            ("hv01", hv01.uri, hv01.backendExtra + "\npoll_interval_ms = 1000"),
            ("hv02", hv02.uri, "username = \"\(SimulatedHyperV.user)\"\npassword_env = \"VF_HV2_PASSWORD\"\npoll_interval_ms = 1000"),
        ], environment: hv01.environment.merging(["VF_HV2_PASSWORD": hv02.password]) { $1 })
        let env = ["VIRTFED_SOCKET": daemon.socket]
        let file = daemon.directory.appendingPathComponent("lab-hv.xml").path
        try Self.hyperVXML.write(toFile: file, atomically: true, encoding: .utf8)

        let defined = try object(try virtfed("define", file, "--backend", "hv01", "--json", environment: env))
        let job = try #require(defined["job"] as? [String: Any])
        let uuid = try #require(job["uuid"] as? String)
        #expect(job["state"] as? String == "completed" && defined["domain"] as? String == "hv01/lab-hv", "\(defined)")
        let record = try object(try virtfed("dominfo", "hv01/lab-hv", "--json", environment: env))
        #expect(record["uuid"] as? String == uuid && record["vcpus"] as? Int == 2 && record["memory_kib"] as? Int == 1024 * 1024
                && record["state"] as? String == "shutoff", "\(record)")
        #expect(hv01.invocations.prefix(2) == ["DefineSystem", "ModifyResourceSettings"], "\(hv01.invocations)")

        #expect(try virtfed("start", "hv01/lab-hv", environment: env).status == 0)
        let taken = try virtfed("snapshot-create-as", "hv01/lab-hv", "before-upgrade", "--description", "known good", environment: env)
        #expect(taken.status == 0 && taken.stdout.contains("Domain snapshot before-upgrade created"), "\(taken)")
        let list = try object(try virtfed("snapshot-list", "hv01/lab-hv", "--json", environment: env))
        let snapshots = try #require(list["snapshots"] as? [[String: Any]])
        #expect(snapshots.map { $0["name"] as? String } == ["before-upgrade"] && snapshots.first?["current"] as? Bool == true
                && snapshots.first?["description"] as? String == "known good", "\(list)")
        let xml = try virtfed("snapshot-dumpxml", "hv01/lab-hv", "before-upgrade", environment: env)
        #expect(xml.stdout.contains("<name>before-upgrade</name>") && xml.stdout.contains("<name>lab-hv</name>"), "\(xml)")

        // Hyper-V applies a checkpoint only to a VM that is off or saved (32775 otherwise).
        let live = try virtfed("snapshot-revert", "hv01/lab-hv", "before-upgrade", environment: env)
        #expect(live.status != 0 && live.stderr.contains("32775") || live.stderr.lowercased().contains("state"), "\(live)")
        #expect(try virtfed("destroy", "hv01/lab-hv", environment: env).status == 0)
        let reverted = try virtfed("snapshot-revert", "hv01/lab-hv", "before-upgrade", "--json", environment: env)
        #expect(reverted.status == 0, "\(reverted)")
        // Taken while it ran: it comes back saved.
        #expect(try virtfed("domstate", "hv01/lab-hv", environment: env).stdout.hasPrefix("saved"))
        #expect(try virtfed("snapshot-create-as", "hv01/lab-hv", "second", environment: env).status == 0)
        let tree = try object(try virtfed("snapshot-list", "hv01/lab-hv", "--json", environment: env))
        #expect((tree["snapshots"] as? [[String: Any]])?.last?["parent"] as? String == "before-upgrade", "\(tree)")
        #expect(try virtfed("snapshot-delete", "hv01/lab-hv", "before-upgrade", "--children", environment: env).status == 0)
        #expect((try object(try virtfed("snapshot-list", "hv01/lab-hv", "--json", environment: env))["snapshots"] as? [Any])?.isEmpty == true)

        // What Hyper-V cannot take at define is refused by name, before anything is sent.
        let disk = daemon.directory.appendingPathComponent("disk.xml").path
        try Self.hyperVXML.replacingOccurrences(of: "<name>lab-hv</name>", with: "<name>with-disk</name>")
            .replacingOccurrences(of: "</domain>", with: "<devices><disk type='file'/></devices></domain>").write(toFile: disk, atomically: true, encoding: .utf8)
        let refused = try virtfed("define", disk, "--backend", "hv01", environment: env)
        #expect(refused.status != 0 && refused.stderr.contains("<disk device='disk'> needs <source file='…'>"), "\(refused)")
        #expect(hv01.invocations.filter { $0 == "DefineSystem" }.count == 1, "\(hv01.invocations)")

        let fresh = daemon.directory.appendingPathComponent("fresh.xml").path
        try Self.hyperVXML.replacingOccurrences(of: "lab-hv", with: "fresh").write(toFile: fresh, atomically: true, encoding: .utf8)
        let template = try virtfed("define", fresh, "--backend", "hv01", "--template", "gold", environment: env)
        #expect(template.status != 0 && template.stderr.contains("Hyper-V has no VM templates"), "\(template)")
        let undefined = try virtfed("undefine", "hv01/lab-hv", environment: env)
        #expect(undefined.status == 0, "\(undefined)")
        #expect(!(try virtfed("list", "--all", environment: env)).stdout.contains("lab-hv"))

        // Live migration to the other host: the record follows, same UUID, new backend.
        let web = try object(try virtfed("dominfo", "hv01/web-01", "--json", environment: env))
        let webUUID = try #require(web["uuid"] as? String)
        let moved = try virtfed("migrate", "hv01/web-01", "--to", "hv02", environment: env, timeout: 60)
        #expect(moved.status == 0 && moved.stdout.contains("migrated to hv02"), "\(moved)")
        let after = try object(try virtfed("dominfo", webUUID, "--json", environment: env))
        #expect(after["backend"] as? String == "hv02" && after["state"] as? String == "running" && after["routes"] as? [String] == ["hv02"], "\(after)")
        #expect(hv01.invocations.filter { $0 == "MigrateVirtualSystemToHost" }.count == 1)
    }

    @Test func scvmmDefinesOnAHostCheckpointsAndMovesBetweenItsHosts() throws {
        // The real capture: Hyper-V hosts qeblade26 and qeblade33, and dhcp129-212 with no memory.
        let vmm = try SimulatedSCVMM(inventory: SimulatedSCVMM.capture)
        let daemon = try Daemon(backends: [("vmm", vmm.uri(), vmm.backendExtra + "\npoll_interval_ms = 1000")], environment: vmm.environment)
        let env = ["VIRTFED_SOCKET": daemon.socket]
        let blade26 = "qeblade26.cfme-qe-vmm-ad.rhq.lab.eng.bos.redhat.com", blade33 = "qeblade33.cfme-qe-vmm-ad.rhq.lab.eng.bos.redhat.com"
        let file = daemon.directory.appendingPathComponent("lab-vmm.xml").path
        try Self.hyperVXML.replacingOccurrences(of: "lab-hv", with: "lab-vmm").write(toFile: file, atomically: true, encoding: .utf8)

        let noHost = try virtfed("define", file, "--backend", "vmm", environment: env)
        #expect(noHost.status != 0 && noHost.stderr.contains(blade26), "\(noHost)")
        let defined = try object(try virtfed("define", file, "--backend", "vmm", "--host", blade26, "--json", environment: env))
        let uuid = try #require((defined["job"] as? [String: Any])?["uuid"] as? String, "\(defined)")
        let record = try object(try virtfed("dominfo", "vmm/lab-vmm", "--json", environment: env))
        #expect(record["uuid"] as? String == uuid && record["host"] as? String == blade26 && record["vcpus"] as? Int == 2, "\(record)")
        let again = try virtfed("define", file, "--backend", "vmm", "--host", blade26, environment: env)
        #expect(again.status != 0 && again.stderr.contains("already has a VM named 'lab-vmm'"), "\(again)")

        #expect(try virtfed("start", "vmm/lab-vmm", environment: env, timeout: 60).status == 0)
        #expect(try virtfed("snapshot-create-as", "vmm/lab-vmm", "cp1", "--description", "first", environment: env).status == 0)
        #expect(try virtfed("snapshot-create-as", "vmm/lab-vmm", "cp2", environment: env).status == 0)
        let list = try object(try virtfed("snapshot-list", "vmm/lab-vmm", "--json", environment: env))
        let names = (list["snapshots"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
        #expect(names == ["cp1", "cp2"], "\(list)")
        // VMM restores a running VM (it turns it off first); taken running, it comes back saved.
        #expect(try virtfed("snapshot-revert", "vmm/lab-vmm", "cp1", environment: env, timeout: 60).status == 0)
        #expect(try virtfed("domstate", "vmm/lab-vmm", environment: env).stdout.hasPrefix("saved"))
        #expect(try virtfed("snapshot-delete", "vmm/lab-vmm", "cp1", "--children", environment: env, timeout: 60).status == 0)

        // Moves between the server's hosts: one without memory fails the job and leaves the VM.
        #expect(try virtfed("start", "vmm/lab-vmm", environment: env, timeout: 60).status == 0)
        let full = try virtfed("migrate", "vmm/lab-vmm", "--to", "vmm/dhcp129-212.brq.redhat.com", environment: env, timeout: 60)
        #expect(full.status != 0 && full.stderr.contains("sufficient memory"), "\(full)")
        let moved = try virtfed("migrate", "vmm/lab-vmm", "--to", "vmm/\(blade33)", environment: env, timeout: 60)
        #expect(moved.status == 0, "\(moved)")
        let after = try object(try virtfed("dominfo", uuid, "--json", environment: env))
        #expect(after["host"] as? String == blade33 && after["state"] as? String == "running", "\(after)")

        // From a template of the library (the capture's): its hardware, named by --template or in <metadata>.
        let templated = daemon.directory.appendingPathComponent("templated.xml").path
        try Self.hyperVXML.replacingOccurrences(of: "lab-hv", with: "from-template").replacingOccurrences(of: "</domain>", with: """
            <metadata><virtfed:template xmlns:virtfed="https://virtfed.dev/xmlns/domain/1">miq-nightly-201709012000</virtfed:template></metadata></domain>
            """).write(toFile: templated, atomically: true, encoding: .utf8)
        let made = try virtfed("define", templated, "--backend", "vmm", "--host", blade26, environment: env, timeout: 60)
        #expect(made.status == 0, "\(made)")
        let copy = try object(try virtfed("dominfo", "vmm/from-template", "--json", environment: env))
        #expect(copy["vcpus"] as? Int == 4 && copy["memory_kib"] as? Int == 8192 * 1024, "\(copy)")
        let fresh = daemon.directory.appendingPathComponent("fresh.xml").path
        try Self.hyperVXML.replacingOccurrences(of: "lab-hv", with: "fresh").write(toFile: fresh, atomically: true, encoding: .utf8)
        let unknown = try virtfed("define", fresh, "--backend", "vmm", "--host", blade26, "--template", "no-such-template", environment: env)
        #expect(unknown.status != 0 && unknown.stderr.contains("no-such-template"), "\(unknown)")
        let running = try virtfed("undefine", "vmm/lab-vmm", environment: env)
        #expect(running.status != 0 && running.stderr.contains("12700"), "\(running)")
        #expect(try virtfed("destroy", "vmm/lab-vmm", environment: env, timeout: 60).status == 0)
        #expect(try virtfed("undefine", "vmm/lab-vmm", environment: env, timeout: 60).status == 0)
        #expect(!(try virtfed("list", "--all", environment: env)).stdout.contains("lab-vmm"))
    }
}

/// The same verbs on a Hyper-V VM through unmodified virsh on the facade.
@Suite("virsh define, snapshots, undefine on a Hyper-V VM", .serialized)
struct VirshOnHyperVTests {
    @Test func virshDrivesTheSequenceOnAHyperVBackend() throws {
        let hv01 = try SimulatedHyperV(extra: ["--log-level", "info"])
        let facade = try LibvirtFacadeDaemon(backends: [("hv01", hv01.uri, hv01.backendExtra + "\npoll_interval_ms = 1000")],
                                             environment: hv01.environment)
        let file = facade.daemon.directory.appendingPathComponent("vsh.xml").path
        try WindowsDevicesTests.xml("hv01/vsh").write(toFile: file, atomically: true, encoding: .utf8)
        let defined = try facade.virsh("define", file)
        #expect(defined.status == 0, "\(defined)")
        // Its disk and adapter, as virsh lists them once the listing has read the host's device settings.
        var disks = try facade.virsh("domblklist", "hv01/vsh")
        for _ in 0..<75 where !disks.stdout.contains("ubuntu-24.04.vhdx") {
            usleep(200_000)
            disks = try facade.virsh("domblklist", "hv01/vsh")
        }
        #expect(disks.stdout.split(separator: "\n").contains { $0.split(separator: " ") == ["sda", #"C:\Images\ubuntu-24.04.vhdx"#] }, "\(disks)")
        #expect(try facade.virsh("domiflist", "hv01/vsh").stdout.contains("00:15:5d:0a:0b:77"))
        #expect(try facade.virsh("domstate", "hv01/vsh").stdout.hasPrefix("shut off"))
        #expect(try facade.virsh("start", "hv01/vsh").status == 0)
        let made = try facade.virsh("snapshot-create-as", "hv01/vsh", "cp1", "--description", "from virsh")
        #expect(made.status == 0, "\(made)")
        let list = try facade.virsh("snapshot-list", "hv01/vsh", "--name")
        #expect(list.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "cp1", "\(list)")
        #expect(try facade.virsh("snapshot-current", "--name", "hv01/vsh").stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "cp1")
        let xml = try facade.virsh("snapshot-dumpxml", "hv01/vsh", "cp1")
        #expect(xml.stdout.contains("<description>from virsh</description>"), "\(xml)")
        // Hyper-V will not apply a checkpoint to a running VM; virsh gets libvirt's "not valid".
        let live = try facade.virsh("snapshot-revert", "hv01/vsh", "cp1")
        #expect(live.status != 0 && live.stderr.contains("Requested operation is not valid"), "\(live)")
        #expect(try facade.virsh("destroy", "hv01/vsh").status == 0)
        #expect(try facade.virsh("snapshot-revert", "hv01/vsh", "cp1").status == 0)
        #expect(try facade.virsh("snapshot-delete", "hv01/vsh", "cp1").status == 0)
        #expect(try facade.virsh("snapshot-list", "hv01/vsh", "--name").stdout.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
        // Reverted to a checkpoint taken while it ran, the VM is saved: virsh asks for --managed-save.
        #expect(try facade.virsh("undefine", "hv01/vsh").stderr.contains("managed save image exists"))
        let undefined = try facade.virsh("undefine", "hv01/vsh", "--managed-save")
        #expect(undefined.status == 0, "\(undefined)")
        #expect(!(try facade.virsh("list", "--all", "--name")).stdout.contains("hv01/vsh"))
        #expect(hv01.invocations.filter { ["DefineSystem", "CreateSnapshot", "ApplySnapshot", "DestroySnapshot", "DestroySystem"].contains($0) }
                == ["DefineSystem", "CreateSnapshot", "ApplySnapshot", "ApplySnapshot", "DestroySnapshot", "DestroySystem"], "\(hv01.invocations)")
        #expect(hv01.invocations.filter { $0 == "AddResourceSettings" }.count == 5, "\(hv01.invocations)")
    }
}
