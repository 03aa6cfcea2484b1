import BrokerCore
import Foundation
import SCVMMPlugin
import Simulators
import Testing

/// The SCVMM plugin's verbs beyond power buttons against the SCVMM simulator (WinRM cmd shell,
/// VMM cmdlets), in process on loopback: define on a host → listed → start → checkpoints →
/// revert → delete → move between the server's hosts → undefine, and each failure's code.
@Suite("SCVMM plugin verbs against the simulator", .serialized)
struct SCVMMVerbsTests {
    func withServer(_ body: (any BackendSession) async throws -> Void) async throws {
        try await withServer { session, _ in try await body(session) }
    }

    func withServer(inventory: String = Fixture.config("scvmm-demo.json"), _ body: (any BackendSession, SCVMMModel) async throws -> Void) async throws {
        let model = SCVMMModel(inventory: try SCVMMInventory.load(path: inventory), jobDuration: .milliseconds(40))
        let simulator = SCVMMSimulator(model: model, configuration: .init(credentials: .init(user: "administrator", password: "s3cret"), listener: .lenient))
        let port = try await simulator.start(host: "127.0.0.1", port: 0)
        do {
            let session = try await SCVMMPlugin().open(try BackendURI(parsing: "scvmm://127.0.0.1:\(port)/?transport=http&auth=basic&job_poll_ms=20"),
                                                       credentials: Fixture.credentials, options: BackendOptions(), logger: Fixture.logger)
            try await body(session, model)
            await session.close()
        } catch {
            await simulator.stop()
            throw error
        }
        await simulator.stop()
    }

    @Test func defineStartCheckpointRevertDeleteMoveUndefine() async throws {
        try await withServer { vmm in
            let definition = DomainDefinition(xml: "", name: "new-vm's", uuid: "11111111-2222-4333-8444-555555555555", memoryKiB: 2 << 20,
                                              vcpus: 2, uefi: true, description: "it's new", devices: ["graphics"])
            let noHost = await failure { () async throws(BackendError) in try await vmm.define(definition, on: nil) }
            #expect(noHost?.code == .invalidArgument && noHost?.message.contains("hv01.lab.local, esx01.lab.local, xen01.lab.local") == true)
            let unknownHost = await failure { () async throws(BackendError) in try await vmm.define(definition, on: "hv77.lab.local") }
            #expect(unknownHost?.code == .invalidArgument && unknownHost?.message.contains("hv77.lab.local") == true)
            let disk = await failure { () async throws(BackendError) in
                try await vmm.define(DomainDefinition(xml: "", name: "d", memoryKiB: 1 << 20, vcpus: 1, devices: ["disk"],
                                                      disks: [DefinedDisk(device: .cdrom, source: #"C:\a.iso"#)]), on: "hv01.lab.local")
            }
            #expect(disk?.code == .unsupported && disk?.message == #"SCVMM: virtfed does not attach <disk device='cdrom'> (C:\a.iso) yet (VMM mounts ISOs from its library)"#)

            let started = try await vmm.define(definition, on: "hv01.lab.local")
            #expect(started.phase == .running && started.jobID != nil)
            let uuid = try #require(started.domainUUID)
            #expect(started.message?.contains("requested UUID 11111111-2222-4333-8444-555555555555 is not used") == true)
            #expect(try await finished(started, on: vmm).phase == .completed)
            let listed = try #require(try await vmm.domains(detail: .states).first { $0.uuid == uuid })
            #expect(listed.name == "new-vm's" && listed.host == "hv01.lab.local" && listed.state == .shutoff)
            #expect(listed.vcpus == 2 && listed.memoryKiB == 2048 * 1024)
            let ref = DomainRef.uuid(uuid)

            let duplicate = await failure { () async throws(BackendError) in try await vmm.define(definition, on: "hv01.lab.local") }
            #expect(duplicate?.code == .alreadyExists)

            #expect(try await finished(try await vmm.apply(.lifecycle(.start), on: ref), on: vmm).phase == .completed)
            #expect(try await finished(try await vmm.apply(.createSnapshot(SnapshotRequest(name: "base '1'", description: "clean")), on: ref), on: vmm).phase == .completed)
            #expect(try await finished(try await vmm.apply(.createSnapshot(SnapshotRequest(name: nil)), on: ref), on: vmm).phase == .completed)
            var snapshots = try await vmm.snapshots(of: ref)
            #expect(snapshots.count == 2)
            #expect(snapshots[0].name == "base '1'" && snapshots[0].description == "clean" && snapshots[0].parent == nil)
            #expect(snapshots[1].parent == "base '1'" && snapshots[1].isCurrent && !snapshots[0].isCurrent)

            let running = await failure { () async throws(BackendError) in try await vmm.apply(.undefine(UndefineOptions(snapshotsMetadata: true)), on: ref) }
            #expect(running?.code == .invalidState)
            let unknown = await failure { () async throws(BackendError) in try await vmm.apply(.revertSnapshot("nope"), on: ref) }
            #expect(unknown?.code == .notFound)

            // VMM restores a running VM (it turns it off first); taken running, it comes back Saved.
            #expect(try await finished(try await vmm.apply(.revertSnapshot("base '1'"), on: ref), on: vmm).phase == .completed)
            #expect(try await vmm.domain(ref).state == .saved)
            snapshots = try await vmm.snapshots(of: ref)
            #expect(snapshots.first { $0.isCurrent }?.name == "base '1'")

            // A Hyper-V VM does not move to an ESX host (VMM refuses across platforms: the job fails);
            // a host it does not manage is refused by name.
            let target = MigrationTarget(backend: "vmm", uri: try BackendURI(parsing: "scvmm://vmm.lab.local/"), host: "esx01.lab.local")
            let across = await failure { () async throws(BackendError) in try await finished(try await vmm.apply(.migrate(target), on: ref), on: vmm) }
            #expect(across?.code == .unsupported && across?.message.contains("same virtualization platform") == true, "\(String(describing: across))")
            #expect(try await vmm.domain(ref).host == "hv01.lab.local")
            let elsewhere = MigrationTarget(backend: "vmm", uri: try BackendURI(parsing: "scvmm://vmm.lab.local/"), host: "hv99")
            let notManaged = await failure { () async throws(BackendError) in try await vmm.apply(.migrate(elsewhere), on: ref) }
            #expect(notManaged?.code == .invalidArgument)

            // Delete with children: the whole subtree, in one script.
            #expect(try await finished(try await vmm.apply(.deleteSnapshot("base '1'", children: true), on: ref), on: vmm).phase == .completed)
            #expect(try await vmm.snapshots(of: ref).isEmpty)

            #expect(try await finished(try await vmm.apply(.undefine(UndefineOptions()), on: ref), on: vmm).phase == .completed)
            #expect(try await vmm.domains(detail: .states).contains { $0.uuid == uuid } == false)
        }
    }

    @Test func autostartIsTheVMsStartAction() async throws {
        try await withServer { vmm, model in
            let web = try #require(model.virtualMachines().first { $0.name == "web-01" })
            let uuid = try #require(web.vmID)
            func startAction() -> String? { model.virtualMachine(id: web.id)?.extra.first { $0.name == "StartAction" }?.value.text }
            #expect(try await finished(try await vmm.apply(.setAutostart(true), on: .uuid(uuid)), on: vmm).phase == .completed)
            #expect(startAction() == "AlwaysAutoTurnOnVM")
            #expect(try await finished(try await vmm.apply(.setAutostart(false), on: .uuid(uuid)), on: vmm).phase == .completed)
            #expect(startAction() == "NeverAutoTurnOnVM")
        }
    }

    @Test func aHostWithoutRoomFailsThePlacementJob() async throws {
        try await withServer { vmm in
            // xen01 has 64 GiB: a VM of 96 GiB cannot be placed there.
            let big = DomainDefinition(xml: "", name: "huge", memoryKiB: 96 << 20, vcpus: 4)
            let started = try await vmm.define(big, on: "xen01.lab.local")
            let failed = await failure { () async throws(BackendError) in try await finished(started, on: vmm) }
            #expect(failed?.code == .invalidState && failed?.message.contains("sufficient memory") == true)
            #expect(try await vmm.domains(detail: .states).contains { $0.name == "huge" } == false)
        }
        // The real capture's Hyper-V host dhcp129-212 reports no memory: nothing running moves there,
        // while its twin qeblade33 takes the VM.
        try await withServer(inventory: Fixture.root.appendingPathComponent("Tests/Fixtures/scvmm/get_inventory_output.json").path) { vmm, _ in
            let uuid = try await vmm.domains(detail: .states).first { $0.name == "ag_test_0003" }?.uuid
            let ref = DomainRef.uuid(try #require(uuid))
            let full = MigrationTarget(backend: "vmm", uri: try BackendURI(parsing: "scvmm://vmm/"), host: "dhcp129-212.brq.redhat.com")
            let refused = await failure { () async throws(BackendError) in try await finished(try await vmm.apply(.migrate(full), on: ref), on: vmm) }
            #expect(refused?.code == .invalidState && refused?.message.contains("sufficient memory") == true, "\(String(describing: refused))")
            #expect(try await vmm.domain(ref).host == "qeblade26.cfme-qe-vmm-ad.rhq.lab.eng.bos.redhat.com")
            let twin = MigrationTarget(backend: "vmm", uri: try BackendURI(parsing: "scvmm://vmm/"), host: "qeblade33.cfme-qe-vmm-ad.rhq.lab.eng.bos.redhat.com")
            #expect(try await finished(try await vmm.apply(.migrate(twin), on: ref), on: vmm).phase == .completed)
            #expect(try await vmm.domain(ref).host == "qeblade33.cfme-qe-vmm-ad.rhq.lab.eng.bos.redhat.com")
        }
    }
}
