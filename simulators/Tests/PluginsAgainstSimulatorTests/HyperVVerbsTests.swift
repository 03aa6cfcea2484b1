import BrokerCore
import Foundation
import HyperVPlugin
import Simulators
import Testing

/// The Hyper-V plugin's verbs beyond power buttons against the Hyper-V simulator, in process on
/// loopback: define → listed → start → checkpoints → revert → delete → undefine, migration
/// between two simulated hosts, and each failure's stable code.
@Suite("Hyper-V plugin verbs against the simulator", .serialized)
struct HyperVVerbsTests {
    /// Two simulated hosts: hv01 (config/hv01.json) that can migrate to hv02 (empty).
    func withHosts(_ body: (any BackendSession, any BackendSession, HyperVModel) async throws -> Void) async throws {
        let configuration = HyperVSimulatorConfiguration(credentials: .init(user: "administrator", password: "s3cret"), listener: .lenient)
        var hv02Inventory = HyperVInventory.generated(vmCount: 0, hostName: "hv02")
        hv02Inventory.host.dnsHostName = "hv02.lab.local"
        let destination = HyperVSimulator(model: HyperVModel(inventory: hv02Inventory, jobDuration: .milliseconds(40)), configuration: configuration)
        let destinationPort = try await destination.start(host: "127.0.0.1", port: 0)
        let source = HyperVSimulator(
            model: HyperVModel(inventory: try HyperVInventory.load(path: Fixture.config("hv01.json")), jobDuration: .milliseconds(40),
                               migrationPeers: [try #require(MigrationPeer(name: "hv02.lab.local", host: "127.0.0.1", port: destinationPort))]),
            configuration: configuration)
        let sourcePort = try await source.start(host: "127.0.0.1", port: 0)
        do {
            let plugin = HyperVPlugin()
            let hv01 = try await plugin.open(try BackendURI(parsing: "hyperv://127.0.0.1:\(sourcePort)/?transport=http&auth=basic"),
                                             credentials: Fixture.credentials, options: BackendOptions(), logger: Fixture.logger)
            let hv02 = try await plugin.open(try BackendURI(parsing: "hyperv://127.0.0.1:\(destinationPort)/?transport=http&auth=basic"),
                                             credentials: Fixture.credentials, options: BackendOptions(), logger: Fixture.logger)
            try await body(hv01, hv02, source.model)
        } catch {
            await source.stop()
            await destination.stop()
            throw error
        }
        await source.stop()
        await destination.stop()
    }

    @Test func defineListStartSnapshotRevertDeleteUndefine() async throws {
        try await withHosts { hv01, _, _ in
            let before = try await hv01.domains(detail: .states).count
            // A floppy is refused before anything is sent.
            let refused = await failure { () async throws(BackendError) in
                try await hv01.define(DomainDefinition(xml: "", name: "x", memoryKiB: 1 << 20, vcpus: 1, devices: ["graphics", "disk"],
                                                       disks: [DefinedDisk(device: .other("floppy"))]), on: nil)
            }
            #expect(refused?.code == .unsupported && refused?.message == "Hyper-V: virtfed attaches hard disks and optical drives at define, not <disk device='floppy'>")
            #expect(try await hv01.domains(detail: .states).count == before)

            let definition = DomainDefinition(xml: "", name: "new-vm", uuid: "11111111-2222-4333-8444-555555555555", memoryKiB: 2_000_000,
                                              vcpus: 2, uefi: true, description: "made by virtfed", devices: ["graphics", "console"])
            let defined = try await finished(try await hv01.define(definition, on: nil), on: hv01)
            #expect(defined.phase == .completed)
            let uuid = try #require(defined.domainUUID)
            #expect(uuid != definition.uuid && uuid == uuid.lowercased())
            #expect(defined.message?.contains("requested UUID 11111111-2222-4333-8444-555555555555 is not used") == true)
            #expect(defined.message?.contains("<graphics>, <console>") == true)

            let listed = try #require(try await hv01.domains(detail: .states).first { $0.uuid == uuid })
            #expect(listed.name == "new-vm" && listed.state == .shutoff && listed.vcpus == 2)
            #expect(listed.memoryKiB == 1954 * 1024)  // 1953.1 MiB rounded up to even, as libvirt does
            let ref = DomainRef.uuid(uuid)

            #expect(try await finished(try await hv01.apply(.lifecycle(.start), on: ref), on: hv01).phase == .completed)
            #expect(try await hv01.domain(ref).state == .running)

            // Checkpoints: one named and described, one with Hyper-V's default name on top of it.
            let first = try await finished(try await hv01.apply(.createSnapshot(SnapshotRequest(name: "before-upgrade", description: "clean")), on: ref), on: hv01)
            #expect(first.phase == .completed)
            #expect(try await finished(try await hv01.apply(.createSnapshot(SnapshotRequest(name: nil)), on: ref), on: hv01).phase == .completed)
            var snapshots = try await hv01.snapshots(of: ref)
            #expect(snapshots.count == 2)
            #expect(snapshots[0].name == "before-upgrade" && snapshots[0].description == "clean" && snapshots[0].parent == nil && !snapshots[0].isCurrent)
            #expect(snapshots[1].name.hasPrefix("new-vm - (") && snapshots[1].parent == "before-upgrade" && snapshots[1].isCurrent)
            #expect(snapshots.allSatisfy { ($0.creationTime ?? 0) > 1_700_000_000 })

            // Hyper-V cannot apply a checkpoint to a running VM (32775).
            let live = await failure { () async throws(BackendError) in try await hv01.apply(.revertSnapshot("before-upgrade"), on: ref) }
            #expect(live?.code == .invalidState)
            let running = await failure { () async throws(BackendError) in try await hv01.apply(.undefine(UndefineOptions(snapshotsMetadata: true)), on: ref) }
            #expect(running?.code == .invalidState)
            let unknown = await failure { () async throws(BackendError) in try await hv01.apply(.revertSnapshot("no-such"), on: ref) }
            #expect(unknown?.code == .notFound)

            #expect(try await finished(try await hv01.apply(.lifecycle(.destroy), on: ref), on: hv01).phase == .completed)
            #expect(try await finished(try await hv01.apply(.revertSnapshot("before-upgrade"), on: ref), on: hv01).phase == .completed)
            // Taken while running: the VM comes back Saved, on top of that checkpoint.
            #expect(try await hv01.domain(ref).state == .saved)
            snapshots = try await hv01.snapshots(of: ref)
            #expect(snapshots.first { $0.isCurrent }?.name == "before-upgrade")

            // Deleting one re-parents its children; deleting with children removes the subtree.
            #expect(try await finished(try await hv01.apply(.deleteSnapshot("before-upgrade", children: false), on: ref), on: hv01).phase == .completed)
            snapshots = try await hv01.snapshots(of: ref)
            #expect(snapshots.count == 1 && snapshots[0].parent == nil && !snapshots[0].isCurrent)
            let child = try await finished(try await hv01.apply(.createSnapshot(SnapshotRequest(name: "child")), on: ref), on: hv01)
            #expect(child.phase == .completed)
            snapshots = try await hv01.snapshots(of: ref)
            #expect(snapshots.map(\.name).last == "child" && snapshots.last?.parent == nil && snapshots.last?.isCurrent == true)
            let root = try #require(snapshots.first?.name)
            _ = try await finished(try await hv01.apply(.createSnapshot(SnapshotRequest(name: "grandchild")), on: ref), on: hv01)
            #expect(try await finished(try await hv01.apply(.deleteSnapshot("child", children: true), on: ref), on: hv01).phase == .completed)
            #expect(try await hv01.snapshots(of: ref).map(\.name) == [root])

            // Undefine: refused while it has checkpoints unless they go too, then gone.
            let kept = await failure { () async throws(BackendError) in try await hv01.apply(.undefine(UndefineOptions()), on: ref) }
            #expect(kept?.code == .invalidState)
            #expect(try await finished(try await hv01.apply(.undefine(UndefineOptions(snapshotsMetadata: true)), on: ref), on: hv01).phase == .completed)
            #expect(try await hv01.domains(detail: .states).contains { $0.uuid == uuid } == false)
            let gone = await failure { () async throws(BackendError) in try await hv01.snapshots(of: ref) }
            #expect(gone?.code == .notFound)
        }
    }

    @Test func autostartIsTheVMsAutomaticStartupAction() async throws {
        try await withHosts { hv01, _, model in
            let web = try #require(try await hv01.domains(detail: .states).first { $0.name == "web-01" })
            func action() -> String? {
                model.instances(of: WMISchema.virtualSystemSettingData)
                    .first { $0["InstanceID"]?.text?.lowercased() == "microsoft:\(web.uuid)" }?["AutomaticStartupAction"]?.text
            }
            #expect(action() == "3")
            #expect(try await finished(try await hv01.apply(.setAutostart(true), on: .uuid(web.uuid)), on: hv01).phase == .completed)
            #expect(action() == "4")
            #expect(try await finished(try await hv01.apply(.setAutostart(false), on: .uuid(web.uuid)), on: hv01).phase == .completed)
            #expect(action() == "2")
        }
    }

    @Test func aVMWhoseResourcesCannotBeSetIsRemovedAgain() async throws {
        try await withHosts { hv01, _, _ in
            // hv01 has 2 × 40 logical processors: 500 vCPUs is an invalid parameter (32773).
            let status = try await hv01.define(DomainDefinition(xml: "", name: "too-wide", memoryKiB: 1 << 20, vcpus: 500), on: nil)
            #expect(status.phase == .failed && status.domainUUID == nil)
            #expect(status.message?.contains("32773") == true && status.message?.contains("was removed") == true, "\(status)")
            #expect(try await hv01.domains(detail: .states).first { $0.name == "too-wide" } == nil)
        }
    }

    @Test func migrationMovesTheVMToThePeerWithItsUUID() async throws {
        try await withHosts { hv01, hv02, _ in
            let web = try #require(try await hv01.domains(detail: .states).first { $0.name == "web-01" })
            #expect(web.state == .running)
            let target = MigrationTarget(backend: "hv02", uri: try BackendURI(parsing: "hyperv://127.0.0.2/"), host: "hv02.lab.local")
            let moved = try await finished(try await hv01.apply(.migrate(target), on: .uuid(web.uuid)), on: hv01)
            #expect(moved.phase == .completed)
            #expect(try await hv01.domains(detail: .states).contains { $0.uuid == web.uuid } == false)
            let arrived = try #require(try await hv02.domains(detail: .states).first { $0.uuid == web.uuid })
            #expect(arrived.name == "web-01" && arrived.state == .running && arrived.vcpus == web.vcpus && arrived.host == "hv02.lab.local")

            // A destination that is no peer: the job fails as Hyper-V's does, the VM stays.
            let sql = try #require(try await hv01.domains(detail: .states).first { $0.name == "sql-01" })
            let nowhere = MigrationTarget(backend: "hv09", uri: try BackendURI(parsing: "hyperv://hv09.lab.local/"), host: nil)
            let started = try await hv01.apply(.migrate(nowhere), on: .uuid(sql.uuid))
            let failed = await failure { () async throws(BackendError) in try await finished(started, on: hv01) }
            #expect(failed?.code == .backendUnavailable)
            #expect(failed?.message.contains("hv09.lab.local") == true)
            #expect(try await hv01.domains(detail: .states).contains { $0.uuid == sql.uuid })
            // Back again: the source takes it, as a peer would.
            let back = await failure { () async throws(BackendError) in
                try await finished(try await hv02.apply(.migrate(MigrationTarget(backend: "hv01", uri: try! BackendURI(parsing: "hyperv://hv01/"), host: "hv01.lab.local")),
                                                        on: .uuid(web.uuid)), on: hv02)
            }
            #expect(back?.code == .backendUnavailable)  // hv02 has no peers configured
        }
    }
}
