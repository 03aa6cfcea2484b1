import Foundation
import Testing

/// Define → list → start → snapshot → change state → revert → delete snapshot → undefine,
/// through the real binaries on libvirt's test driver: the CLI against the daemon, and
/// unmodified virsh against the daemon's libvirt socket.
@Suite("define, snapshots, undefine: CLI and virsh", .serialized)
struct DefineSnapshotTests {
    static let xml = """
        <domain type='test'>
          <name>lab-vm</name>
          <uuid>5a1e0000-0000-4000-8000-00000000c0de</uuid>
          <memory unit='MiB'>256</memory>
          <vcpu>2</vcpu>
          <os><type>hvm</type></os>
        </domain>
        """

    @Test func theCLIRunsTheWholeSequenceAndRefusesWhatLibvirtRefuses() throws {
        let daemon = try Daemon(backends: DaemonProtocolTests.demo)
        let env = ["VIRTFED_SOCKET": daemon.socket, "VIRTFED_READONLY_SOCKET": daemon.readonlySocket]
        let file = daemon.directory.appendingPathComponent("lab-vm.xml").path
        try Self.xml.write(toFile: file, atomically: true, encoding: .utf8)

        let defined = try virtfed("define", file, "--backend", "kvm-b", environment: env)
        #expect(defined.status == 0 && defined.stdout.contains("Domain 'kvm-b/lab-vm' defined from \(file)"), "\(defined)")
        let record = try #require(try virtfed("dominfo", "kvm-b/lab-vm", "--json", environment: env).json() as? [String: Any])
        #expect(record["uuid"] as? String == "5a1e0000-0000-4000-8000-00000000c0de" && record["vcpus"] as? Int == 2 && record["state"] as? String == "shutoff")
        let list = try virtfed("list", "--all", environment: env)
        #expect(list.stdout.contains("kvm-b/lab-vm"), "\(list)")

        #expect(try virtfed("start", "kvm-b/lab-vm", environment: env).status == 0)
        let snap = try virtfed("snapshot-create-as", "kvm-b/lab-vm", "before-upgrade", "--description", "known good", environment: env)
        #expect(snap.status == 0 && snap.stdout.contains("Domain snapshot before-upgrade created"), "\(snap)")
        #expect(try virtfed("suspend", "kvm-b/lab-vm", environment: env).status == 0)
        #expect(try virtfed("snapshot-create-as", "kvm-b/lab-vm", "paused-one", environment: env).status == 0)

        let snapshots = try #require(try virtfed("snapshot-list", "kvm-b/lab-vm", "--json", environment: env).json() as? [String: Any])
        let entries = try #require(snapshots["snapshots"] as? [[String: Any]])
        #expect(entries.map { $0["name"] as? String } == ["before-upgrade", "paused-one"], "\(snapshots)")
        #expect(entries[0]["description"] as? String == "known good" && entries[0]["state"] as? String == "running")
        #expect(entries[1]["parent"] as? String == "before-upgrade" && entries[1]["current"] as? Bool == true && entries[1]["state"] as? String == "paused")
        let tree = try virtfed("snapshot-list", "kvm-b/lab-vm", "--tree", environment: env)
        #expect(tree.stdout == "before-upgrade\n  |\n  +- paused-one\n\n", "\(tree)")
        let table = try virtfed("snapshot-list", "kvm-b/lab-vm", "--parent", environment: env)
        #expect(table.stdout.contains("paused-one") && table.stdout.contains("Parent"), "\(table)")

        // Back to the running snapshot: the VM runs again, and that snapshot is current.
        let reverted = try virtfed("snapshot-revert", "kvm-b/lab-vm", "before-upgrade", environment: env)
        #expect(reverted.status == 0, "\(reverted)")
        #expect(try virtfed("domstate", "kvm-b/lab-vm", environment: env).stdout.hasPrefix("running"))
        let xml = try virtfed("snapshot-dumpxml", "kvm-b/lab-vm", "before-upgrade", environment: env)
        #expect(xml.stdout.contains("<description>known good</description>") && xml.stdout.contains("<active>1</active>") == false, "\(xml)")

        // What libvirt refuses comes back typed, and nothing changes.
        let missing = try virtfed("snapshot-revert", "kvm-b/lab-vm", "no-such", "--json", environment: env)
        #expect(missing.status != 0 && missing.stderr.contains("not_found") || missing.stderr.contains("snapshot"), "\(missing)")
        let other = daemon.directory.appendingPathComponent("other.xml").path
        try Self.xml.replacingOccurrences(of: "c0de", with: "beef").write(toFile: other, atomically: true, encoding: .utf8)
        let taken = try virtfed("define", other, "--backend", "kvm-b", environment: env)
        #expect(taken.status != 0 && taken.stderr.contains("already has a VM named 'lab-vm'"), "\(taken)")
        // libvirt's own rules: a running VM undefined goes on as a transient one, and the same
        // name and UUID define it again (a redefinition).
        #expect(try virtfed("undefine", "kvm-b/lab-vm", environment: env).status == 0)
        let transient = try #require(try virtfed("dominfo", "kvm-b/lab-vm", "--json", environment: env).json() as? [String: Any])
        #expect(transient["persistent"] as? Bool == false && transient["state"] as? String == "running", "\(transient)")
        let again = try virtfed("define", file, "--backend", "kvm-b", environment: env)
        #expect(again.status == 0, "\(again)")
        let persistent = try #require(try virtfed("dominfo", "kvm-b/lab-vm", "--json", environment: env).json() as? [String: Any])
        #expect(persistent["persistent"] as? Bool == true)
        let readOnly = try virtfed("-r", "snapshot-delete", "kvm-b/lab-vm", "paused-one", environment: env)
        #expect(readOnly.status != 0 && readOnly.stderr.contains("read-only"), "\(readOnly)")

        let deleted = try virtfed("snapshot-delete", "kvm-b/lab-vm", "before-upgrade", "--children", environment: env)
        #expect(deleted.status == 0 && deleted.stdout.contains("before-upgrade and its children deleted"), "\(deleted)")
        let none = try #require(try virtfed("snapshot-list", "kvm-b/lab-vm", "--json", environment: env).json() as? [String: Any])
        #expect((none["snapshots"] as? [Any])?.isEmpty == true)
        #expect(try virtfed("destroy", "kvm-b/lab-vm", environment: env).status == 0)
        let undefined = try virtfed("undefine", "kvm-b/lab-vm", environment: env)
        #expect(undefined.status == 0 && undefined.stdout.contains("Domain 'kvm-b/lab-vm' has been undefined"), "\(undefined)")
        #expect(!(try virtfed("list", "--all", environment: env)).stdout.contains("lab-vm"))

        // Every change is in the audit trail, with its verb.
        let jobs = try #require(try virtfed("jobs", "--all", "--json", environment: env).json() as? [[String: Any]])
        let actions = jobs.filter { ($0["domain"] as? String) == "kvm-b/lab-vm" }.compactMap { $0["action"] as? String }
        #expect(actions == ["define", "start", "snapshot-create", "suspend", "snapshot-create", "snapshot-revert", "snapshot-revert",
                            "undefine", "define", "snapshot-delete", "destroy", "undefine"], "\(actions)")
    }

    @Test func virshDefinesSnapshotsRevertsAndUndefinesThroughTheFacade() throws {
        let facade = try LibvirtFacadeDaemon(backends: DaemonProtocolTests.demo)
        let file = facade.daemon.directory.appendingPathComponent("virsh-vm.xml").path
        try Self.xml.replacingOccurrences(of: "<name>lab-vm</name>", with: "<name>kvm-a/virsh-vm</name>").write(toFile: file, atomically: true, encoding: .utf8)

        let defined = try facade.virsh("define", file)
        #expect(defined.status == 0, "\(defined)")
        #expect(try facade.virsh("domuuid", "kvm-a/virsh-vm").stdout.contains("5a1e0000-0000-4000-8000-00000000c0de"))
        #expect(try facade.virsh("start", "kvm-a/virsh-vm").status == 0)
        let made = try facade.virsh("snapshot-create-as", "kvm-a/virsh-vm", "s1", "--description", "from virsh")
        #expect(made.status == 0, "\(made)")
        #expect(try facade.virsh("destroy", "kvm-a/virsh-vm").status == 0)
        #expect(try facade.virsh("snapshot-create-as", "kvm-a/virsh-vm", "s2").status == 0)
        let list = try facade.virsh("snapshot-list", "kvm-a/virsh-vm", "--parent")
        #expect(list.status == 0 && list.stdout.contains("s1") && list.stdout.contains("s2"), "\(list)")
        #expect(try facade.virsh("snapshot-current", "--name", "kvm-a/virsh-vm").stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "s2")
        #expect(try facade.virsh("snapshot-parent", "kvm-a/virsh-vm", "s2").stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "s1")
        let info = try facade.virsh("snapshot-info", "kvm-a/virsh-vm", "s1")
        #expect(info.stdout.contains("Children:       1") && info.stdout.contains("State:          running"), "\(info)")
        #expect(try facade.virsh("snapshot-revert", "kvm-a/virsh-vm", "s1").status == 0)
        #expect(try facade.virsh("domstate", "kvm-a/virsh-vm").stdout.hasPrefix("running"))
        // The same snapshots through JSON-RPC.
        let rpc = try facade.daemon.request("snapshots.list", #"{"domain":"kvm-a/virsh-vm"}"#)
        let names = ((rpc["result"] as? [String: Any])?["snapshots"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
        #expect(names == ["s1", "s2"], "\(rpc)")

        let missing = try facade.virsh("snapshot-delete", "kvm-a/virsh-vm", "nope")
        #expect(missing.status != 0 && missing.stderr.contains("Domain snapshot not found"), "\(missing)")
        let readOnly = try facade.virsh("snapshot-delete", "kvm-a/virsh-vm", "s1", readOnly: true)
        #expect(readOnly.status != 0 && readOnly.stderr.contains("read only access prevents virDomainSnapshotDelete"), "\(readOnly)")
        #expect(try facade.virsh("snapshot-delete", "kvm-a/virsh-vm", "s1", "--children").status == 0)
        #expect(try facade.virsh("snapshot-list", "kvm-a/virsh-vm", "--name").stdout.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
        let unplaced = try facade.virsh("define", file.replacingOccurrences(of: "virsh-vm.xml", with: "nowhere.xml"))
        #expect(unplaced.status != 0)
        try Self.xml.write(toFile: file, atomically: true, encoding: .utf8)
        let noBackend = try facade.virsh("define", file)
        #expect(noBackend.status != 0 && noBackend.stderr.contains("backend/name"), "\(noBackend)")
        #expect(try facade.virsh("destroy", "kvm-a/virsh-vm").status == 0)
        let undefined = try facade.virsh("undefine", "kvm-a/virsh-vm", "--snapshots-metadata")
        #expect(undefined.status == 0, "\(undefined)")
        #expect(!(try facade.virsh("list", "--all", "--name")).stdout.contains("virsh-vm"))
        // What virt-manager's new-VM wizard asks first: capabilities valid in libvirt's own schema.
        let capabilities = try facade.virsh("domcapabilities")
        let capabilitiesFile = facade.daemon.directory.appendingPathComponent("domcaps.xml").path
        try capabilities.stdout.write(toFile: capabilitiesFile, atomically: true, encoding: .utf8)
        let valid = try runCommand("/usr/bin/xmllint", ["--noout", "--relaxng", "/usr/share/libvirt/schemas/domaincaps.rng", capabilitiesFile])
        #expect(capabilities.status == 0 && valid.status == 0, "\(capabilities)\n\(valid)")
        let autostart = try facade.virsh("autostart", "kvm-a/web-01")
        let info2 = try facade.virsh("dominfo", "kvm-a/web-01")
        #expect(autostart.status == 0 && info2.stdout.contains("Autostart:      enable"), "\(autostart)")
    }
}
