import BrokerCore
import Foundation
import Logging
import Testing
@testable import LibvirtPlugin

/// The libvirt plugin against libvirt's real test driver, in process.
@Suite("libvirt plugin on the test driver")
struct LibvirtPluginTests {
    static let hosts = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../config/hosts").standardizedFileURL.path
    let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    func open(_ uri: String) async throws -> any BackendSession {
        try await LibvirtPlugin().open(try BackendURI(parsing: uri), credentials: nil, options: BackendOptions(), logger: logger)
    }

    @Test func listsEveryDomainWithHonestStates() async throws {
        let session = try await open("test://\(Self.hosts)/kvm-a.xml")
        let domains = try await session.domains(detail: .full)
        let byName = Dictionary(uniqueKeysWithValues: domains.map { ($0.name, $0) })
        #expect(domains.count == 8)
        #expect(byName["web-01"]?.state == .running)
        #expect(byName["web-01"]?.id != nil)
        #expect(byName["web-01"]?.uuid == "aaaa0001-0a0a-4a0a-8a0a-00000000a001")
        #expect(byName["web-01"]?.backendState == "VIR_DOMAIN_RUNNING")
        #expect(byName["web-01"]?.vcpus == 2)
        #expect(byName["web-01"]?.maxMemoryKiB == 4_194_304)
        #expect(byName["cache-redis"]?.state == .paused)
        #expect(byName["monitoring"]?.state == .crashed)
        #expect(byName["build-runner"]?.state == .shutoff)
        #expect(byName["build-runner"]?.id == nil)
        // A managed-save image makes a shut-off domain `saved`, never plain shutoff.
        #expect(byName["legacy-erp"]?.state == .saved)
        #expect(byName["legacy-erp"]?.managedSave == true)
        #expect(byName["legacy-erp"]?.backendState == "VIR_DOMAIN_SHUTOFF")
        #expect(byName["web-01"]?.persistent == true)
        #expect(byName["web-01"]?.host == "kvm-a")
        let pm = try await open("test://\(Self.hosts)/kvm-c.xml").domains(detail: .full).first { $0.name == "k8s-worker-02" }
        #expect(pm?.state == .pmsuspended)
        let transient = try await open("test://\(Self.hosts)/kvm-c.xml").domains(detail: .full).first { $0.name == "scratch-tmp" }
        #expect(transient?.persistent == false)
    }

    @Test func aLoadListingCarriesEachDomainsDevicesAndTheirCountersWhileItRuns() async throws {
        let session = try await open("test://\(Self.hosts)/kvm-a.xml")
        let byName = Dictionary(uniqueKeysWithValues: try await session.domains(detail: .load).map { ($0.name, $0) })
        let web = try #require(byName["web-01"]?.stats)
        #expect(web.disks.map(\.target) == ["vda"])
        #expect(web.disks.first?.source == "/var/lib/libvirt/images/web-01.qcow2")
        #expect(web.disks.first?.bus == "virtio")
        #expect(web.interfaces.map(\.target) == ["tap1"])
        #expect(web.interfaces.first?.mac == "52:54:00:00:00:01")
        #expect(web.interfaces.first?.network == "br0")
        // The test driver has no block or interface groups: one call per device, for a running domain.
        #expect(web.disks.first?.readBytes != nil && web.disks.first?.writeRequests != nil)
        #expect(web.interfaces.first?.rxBytes != nil && web.interfaces.first?.txPackets != nil)
        #expect(web.source.hasSuffix("per device: virDomainBlockStats, virDomainInterfaceStats"))
        // A shut-off domain has no load (and its XML is not read for it).
        let off = try #require(byName["build-runner"]?.stats)
        #expect(off.disks.isEmpty && off.interfaces.isEmpty)
        // A full or a states listing asks for none of it.
        #expect(try await session.domains(detail: .full).allSatisfy { $0.stats == nil })
        #expect(try await session.domains(detail: .states).allSatisfy { $0.stats == nil })
    }

    @Test func bulkRecordsAreReadIntoDisksAndInterfacesJoinedWithTheXML() throws {
        let declared = try LibvirtDevices(xml: """
            <domain type='kvm'><name>x</name><devices>
              <disk type='file' device='disk'><source file='/img/x.qcow2'/><target dev='vda' bus='virtio'/></disk>
              <disk type='file' device='cdrom'><target dev='sda' bus='sata'/></disk>
              <interface type='network'><mac address='52:54:00:AA:BB:CC'/><source network='default'/><target dev='vnet7'/></interface>
            </devices></domain>
            """)
        #expect(declared.disks.map(\.target) == ["vda"])
        #expect(declared.interfaces.first?.mac == "52:54:00:aa:bb:cc")
        let stats = LibvirtStatsRecord.stats([
            "balloon.available": .uint(4000), "balloon.unused": .uint(1000), "block.count": .uint(2),
            "block.0.name": .string("vda"), "block.0.rd.bytes": .uint(10), "block.0.wr.reqs": .uint(3), "block.0.capacity": .uint(1 << 30),
            "block.1.name": .string("vdb"), "block.1.path": .string("/img/extra.raw"), "block.1.rd.bytes": .uint(7),
            "net.count": .uint(1), "net.0.name": .string("vnet7"), "net.0.rx.bytes": .uint(99), "net.0.tx.pkts": .uint(5),
        ], declared: declared)
        #expect(stats.memoryUsedKiB == 3000 && stats.memoryAvailableKiB == 4000 && stats.memoryUnusedKiB == 1000)
        #expect(stats.disks.map(\.target) == ["vda", "vdb"])
        #expect(stats.disks[0].source == "/img/x.qcow2" && stats.disks[0].readBytes == 10 && stats.disks[0].writeRequests == 3)
        #expect(stats.disks[0].capacityBytes == 1 << 30)
        #expect(stats.disks[1].source == "/img/extra.raw" && stats.disks[1].readBytes == 7)
        #expect(stats.interfaces.count == 1 && stats.interfaces[0].network == "default")
        #expect(stats.interfaces[0].rxBytes == 99 && stats.interfaces[0].txPackets == 5 && stats.interfaces[0].txBytes == nil)
        // Garbage in a domain's XML costs its devices, not the listing.
        #expect(throws: (any Error).self) { try LibvirtDevices(xml: "<domain><devices>") }
    }

    @Test func everyLifecycleActionAndTheStateItLeadsTo() async throws {
        let session = try await open("test://\(Self.hosts)/kvm-b.xml")
        let vm = DomainRef.uuid("bbbb0001-0b0b-4b0b-8b0b-00000000b001")  // web-03
        #expect(try await session.perform(.suspend, on: vm).resultingState == .paused)
        #expect(try await session.domain(vm).state == .paused)
        #expect(try await session.perform(.resume, on: vm).resultingState == .running)
        #expect(try await session.perform(.reboot, on: vm).resultingState == .running)
        #expect(try await session.perform(.reset, on: vm).resultingState == .running)
        #expect(try await session.perform(.shutdown, on: vm).resultingState == .shutoff)
        #expect(try await session.perform(.start, on: vm).resultingState == .running)
        #expect(try await session.perform(.save, on: vm).resultingState == .saved)
        #expect(try await session.domain(vm).managedSave == true)
        #expect(try await session.perform(.start, on: vm).resultingState == .running)
        #expect(try await session.domain(vm).managedSave == false)
        #expect(try await session.perform(.destroy, on: vm).resultingState == .shutoff)
    }

    @Test func libvirtErrorsKeepTheirMeaning() async throws {
        let session = try await open("test://\(Self.hosts)/kvm-b.xml")
        await #expect {
            try await session.domain(.uuid("bbbb0009-0b0b-4b0b-8b0b-00000000b009"))
        } throws: { error in
            let error = error as! BackendError
            return error.code == .notFound && error.message.contains("bbbb0009-0b0b-4b0b-8b0b-00000000b009")
        }
        await #expect {
            try await session.perform(.resume, on: .uuid("bbbb0001-0b0b-4b0b-8b0b-00000000b001"))
        } throws: { error in
            // The test driver reports this one as VIR_ERR_INTERNAL_ERROR (qemu says
            // OPERATION_INVALID); the mapping follows libvirt's code and keeps its words.
            let error = error as! BackendError
            return error.code == .internal && error.message == "internal error: domain 'web-03' not paused"
        }
        await #expect {
            try await session.perform(.destroy, on: .uuid("bbbb0005-0b0b-4b0b-8b0b-00000000b005"))
        } throws: { error in (error as! BackendError).code == .invalidState }
    }

    @Test func xmlNodeInfoAndHost() async throws {
        let session = try await open("test://\(Self.hosts)/kvm-c.xml")
        let xml = try await session.xml(.uuid("cccc0004-0c0c-4c0c-8c0c-00000000c004"))
        #expect(xml.contains("<name>dev-desktop</name>"))
        let node = try await session.nodeInfo(host: nil)
        #expect(node.cpus == 48)
        #expect(node.numaCells == 2)
        #expect(node.memoryKiB == 268_435_456)
        #expect(node.hypervisor == "TEST")
        #expect(try await session.hosts() == [Host(name: "kvm-c", hypervisor: "TEST", hypervisorVersion: "0.0.2")])
    }

    @Test func unopenableURIsGiveTypedErrors() async throws {
        await #expect {
            try await open("test:///nonexistent/host.xml")
        } throws: { error in
            let error = error as! BackendError
            return error.code != .internal && error.message.contains("/nonexistent/host.xml")
        }
        // A closed port on loopback: connection refused.
        await #expect {
            try await open("test+tcp://127.0.0.1:1/default")
        } throws: { error in (error as! BackendError).code == .backendUnavailable }
    }

    @Test func theDefaultHostIsSharedWithinAProcess() async throws {
        let one = try await open("test:///default")
        let two = try await open("test:///default")
        let test = DomainRef.uuid("6695eb01-f6a4-8304-79aa-97f2502e193f")  // the default host's "test"
        _ = try await one.perform(.suspend, on: test)
        #expect(try await two.domain(test).state == .paused)
        _ = try await two.perform(.resume, on: test)
    }

    @Test func schemesCoverLibvirtDriversButNotHyperV() {
        for scheme in ["qemu", "test", "esx", "vpx", "xen", "lxc", "vbox"] { #expect(LibvirtPlugin.schemes.contains(scheme)) }
        #expect(!LibvirtPlugin.schemes.contains("hyperv"))
        #expect(LibvirtPlugin.hostName(for: try! BackendURI(parsing: "test:///x/y/kvm-a.xml")) == "kvm-a")
        #expect(LibvirtPlugin.hostName(for: try! BackendURI(parsing: "qemu:///system")) == nil)
    }
}
