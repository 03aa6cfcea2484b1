import Foundation
import Simulators
import Testing
import XML

/// DefineSystem, ModifyResourceSettings, ModifySystemSettings, DestroySystem, the snapshot
/// service and the migration service, on the wire (`WSManService.handle`, no HTTP), with their
/// return codes, jobs and faults.
@Suite("Hyper-V methods: define, resources, checkpoints, destroy, migrate")
struct VirtualSystemMethodTests {
    static let management = "Msvm_VirtualSystemManagementService"
    static let snapshots = "Msvm_VirtualSystemSnapshotService"
    static let web = "B3F1A2C4-6D7E-4F80-9A1B-2C3D4E5F6A7B"
    static let buildAgent = "0D9C8B7A-6F5E-4D3C-8B2A-19F8E7D6C5B4"

    struct Output {
        var status: Int
        var element: XMLElement?
        var envelope: XMLElement
        var returnValue: Int? { element?.child("ReturnValue").flatMap { Int($0.text) } }
        var job: String? { selector("Job", "InstanceID") }
        func selector(_ parameter: String, _ name: String) -> String? {
            element?.child(parameter)?.path("ReferenceParameters", "SelectorSet")?.children.first { $0.attributes["Name"] == name }?.text
        }
        var faultSubcode: String? { envelope.path("Body", "Fault", "Code", "Subcode", "Value")?.text }
    }

    let model: HyperVModel
    let service: WSManService

    init() throws {
        model = HyperVModel(inventory: try SimulatorHarness.demoInventory(), jobDuration: .milliseconds(30))
        service = WSManService(model: model)
    }

    func call(_ body: String, _ method: String) throws -> Output {
        let reply = service.handle(Array(body.utf8))
        let envelope = try XMLParser.parse(Array(reply.body.utf8))
        return Output(status: reply.status, element: envelope.path("Body", "\(method)_OUTPUT"), envelope: envelope)
    }

    func query(_ wql: String) -> [[String: String]] {
        let reply = service.handle(Array(Envelopes.enumerate(wql, optimize: 1000).utf8))
        guard let envelope = try? XMLParser.parse(Array(reply.body.utf8)), let items = envelope.path("Body", "EnumerateResponse", "Items") else { return [] }
        return items.children.map { item in
            var properties: [String: String] = [:]
            for child in item.children where child.attributes["nil"] != "true" && properties[child.name] == nil {
                properties[child.name] = child.children.first?.text ?? child.text
            }
            return properties
        }
    }

    func jobState(_ id: String) -> [String: String]? {
        query("SELECT * FROM Msvm_ConcreteJob WHERE InstanceID = '\(id)'").first
    }

    func waitForJob(_ id: String) async throws -> [String: String] {
        for _ in 0..<200 {
            if let job = jobState(id), job["JobState"] != "4" { return job }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw TestFailure("job \(id) never ended")
    }

    func define(_ name: String, subtype: String = "Microsoft:Hyper-V:SubType:2") throws -> (guid: String, job: String?) {
        let output = try call(Envelopes.serviceMethod(Self.management, "DefineSystem", Envelopes.embedded(
            "SystemSettings", className: "Msvm_VirtualSystemSettingData", [("ElementName", name), ("VirtualSystemSubType", subtype)],
            arrays: [("Notes", ["line one"])])), "DefineSystem")
        #expect(output.status == 200 && output.returnValue == 4096)
        return (try #require(output.selector("ResultingSystem", "Name")), output.job)
    }

    @Test("DefineSystem: 4096 and a job; the VM is listed Off with Hyper-V's defaults; names may repeat")
    func defineSystem() async throws {
        let (guid, job) = try define("fresh")
        let system = try #require(query("SELECT * FROM Msvm_ComputerSystem WHERE Name = '\(guid)'").first)
        #expect(system["ElementName"] == "fresh" && system["EnabledState"] == "3")
        let vssd = try #require(query("SELECT * FROM Msvm_VirtualSystemSettingData WHERE InstanceID = 'Microsoft:\(guid)'").first)
        #expect(vssd["VirtualSystemSubType"] == "Microsoft:Hyper-V:SubType:2" && vssd["Notes"] == "line one")
        #expect(query("SELECT * FROM Msvm_ProcessorSettingData WHERE InstanceID LIKE 'Microsoft:\(guid)%'").first?["VirtualQuantity"] == "1")
        #expect(query("SELECT * FROM Msvm_MemorySettingData WHERE InstanceID LIKE 'Microsoft:\(guid)%'").first?["VirtualQuantity"] == "1024")
        let ended = try await waitForJob(try #require(job))
        #expect(ended["JobState"] == "7" && ended["Caption"] == "Creating Virtual Machine")
        let (second, _) = try define("fresh")
        #expect(second != guid)
        #expect(query("SELECT * FROM Msvm_ComputerSystem WHERE ElementName = 'fresh'").count == 2)
        let bad = try call(Envelopes.serviceMethod(Self.management, "DefineSystem", Envelopes.embedded(
            "SystemSettings", className: "Msvm_VirtualSystemSettingData", [("VirtualSystemSubType", "Microsoft:Hyper-V:SubType:3")])), "DefineSystem")
        #expect(bad.returnValue == 32773)
        let notAnInstance = try call(Envelopes.serviceMethod(Self.management, "DefineSystem", "<p:SystemSettings>text</p:SystemSettings>"), "DefineSystem")
        #expect(notAnInstance.status == 500 && notAnInstance.faultSubcode == "w:InvalidParameter")
    }

    @Test("ModifyResourceSettings: processors and memory of an Off VM; odd memory is 32773, a running VM 32775")
    func modifyResourceSettings() throws {
        let (guid, _) = try define("sized")
        let processor = #"Microsoft:\#(guid)\B637F346-6A0E-4DEC-AF52-BD70CB80A21D\0"#
        let memory = #"Microsoft:\#(guid)\4764334D-E001-4176-82EE-5594EC9B530E"#
        func modify(_ vcpus: String, _ mebibytes: String, on ids: (String, String)) throws -> Int? {
            try call(Envelopes.serviceMethod(Self.management, "ModifyResourceSettings",
                Envelopes.embedded("ResourceSettings", className: "Msvm_ProcessorSettingData", [("InstanceID", ids.0), ("VirtualQuantity", vcpus)])
                + Envelopes.embedded("ResourceSettings", className: "Msvm_MemorySettingData",
                                     [("InstanceID", ids.1), ("VirtualQuantity", mebibytes), ("Reservation", mebibytes), ("Limit", mebibytes)])),
                "ModifyResourceSettings").returnValue
        }
        #expect(try modify("4", "4096", on: (processor, memory)) == 0)
        #expect(query("SELECT * FROM Msvm_ProcessorSettingData WHERE InstanceID LIKE 'Microsoft:\(guid)%'").first?["VirtualQuantity"] == "4")
        let ram = try #require(query("SELECT * FROM Msvm_MemorySettingData WHERE InstanceID LIKE 'Microsoft:\(guid)%'").first)
        #expect(ram["VirtualQuantity"] == "4096" && ram["Limit"] == "4096" && ram["DynamicMemoryEnabled"] == "false")
        #expect(try modify("2", "1025", on: (processor, memory)) == 32773)
        #expect(try modify("0", "2048", on: (processor, memory)) == 32773)
        #expect(query("SELECT * FROM Msvm_ProcessorSettingData WHERE InstanceID LIKE 'Microsoft:\(guid)%'").first?["VirtualQuantity"] == "4")
        let web = (#"Microsoft:\#(Self.web)\B637F346-6A0E-4DEC-AF52-BD70CB80A21D\0"#, #"Microsoft:\#(Self.web)\4764334D-E001-4176-82EE-5594EC9B530E"#)
        #expect(try modify("2", "2048", on: web) == 32775)
    }

    @Test("Checkpoints: listed as Snapshot:Realized settings with Parent paths; apply needs Off or Saved; destroy re-parents; trees go whole")
    func checkpoints() async throws {
        func snapshot(_ guid: String) throws -> (String, String?) {
            let output = try call(Envelopes.serviceMethod(Self.snapshots, "CreateSnapshot", Envelopes.system("AffectedSystem", guid)
                + "<p:SnapshotSettings></p:SnapshotSettings><p:SnapshotType>2</p:SnapshotType>"), "CreateSnapshot")
            #expect(output.returnValue == 4096)
            return (try #require(output.selector("ResultingSnapshot", "InstanceID")), output.job)
        }
        let (first, job) = try snapshot(Self.web)
        #expect(try await waitForJob(try #require(job))["JobState"] == "7")
        let (second, _) = try snapshot(Self.web)
        let listed = query("SELECT * FROM Msvm_VirtualSystemSettingData WHERE VirtualSystemType = 'Microsoft:Hyper-V:Snapshot:Realized' AND VirtualSystemIdentifier = '\(Self.web)'")
        #expect(listed.map { $0["InstanceID"] } == [first, second])
        #expect(listed[0]["ElementName"]?.hasPrefix("web-01 - (") == true && listed[0]["Parent"] == nil)
        #expect(listed[1]["Parent"]?.hasSuffix(#":Msvm_VirtualSystemSettingData.InstanceID="\#(first)""#) == true)
        let realized = try #require(query("SELECT * FROM Msvm_VirtualSystemSettingData WHERE InstanceID = 'Microsoft:\(Self.web)'").first)
        #expect(realized["Parent"]?.hasSuffix("\"\(second)\"") == true)

        // Renamed through ModifySystemSettings.
        let renamed = try call(Envelopes.serviceMethod(Self.management, "ModifySystemSettings", Envelopes.embedded(
            "SystemSettings", className: "Msvm_VirtualSystemSettingData", [("InstanceID", first), ("ElementName", "clean")],
            arrays: [("Notes", ["before the upgrade"])])), "ModifySystemSettings")
        #expect(renamed.returnValue == 0)
        #expect(query("SELECT * FROM Msvm_VirtualSystemSettingData WHERE InstanceID = '\(first)'").first?["ElementName"] == "clean")

        // A running VM cannot be reverted (32775); Off, it can.
        let live = try call(Envelopes.serviceMethod(Self.snapshots, "ApplySnapshot", Envelopes.settings("Snapshot", first)), "ApplySnapshot")
        #expect(live.returnValue == 32775)
        let off = model.requestStateChange(vm: Self.web, requestedState: 3)
        #expect(off?.returnValue == 4096)
        _ = try await waitForJob(try #require(off?.jobID))
        let applied = try call(Envelopes.serviceMethod(Self.snapshots, "ApplySnapshot", Envelopes.settings("Snapshot", first)), "ApplySnapshot")
        #expect(applied.returnValue == 4096)
        #expect(model.enabledState(ofVM: Self.web) == 6)  // taken while running: Saved
        let unknown = try call(Envelopes.serviceMethod(Self.snapshots, "ApplySnapshot", Envelopes.settings("Snapshot", "Microsoft:" + UUID().uuidString)), "ApplySnapshot")
        #expect(unknown.status == 500 && unknown.faultSubcode == "w:InvalidParameter")

        // Destroying the parent re-parents the child; a tree goes with its descendants.
        #expect(try call(Envelopes.serviceMethod(Self.snapshots, "DestroySnapshot", Envelopes.settings("AffectedSnapshot", first)), "DestroySnapshot").returnValue == 4096)
        let left = query("SELECT * FROM Msvm_VirtualSystemSettingData WHERE VirtualSystemIdentifier = '\(Self.web)' AND VirtualSystemType = 'Microsoft:Hyper-V:Snapshot:Realized'")
        #expect(left.map { $0["InstanceID"] } == [second] && left[0]["Parent"] == nil)
        // The VM ran on top of the destroyed one: now on top of its parent (none).
        #expect(query("SELECT * FROM Msvm_VirtualSystemSettingData WHERE InstanceID = 'Microsoft:\(Self.web)'").first?["Parent"] == nil)
        let (third, _) = try snapshot(Self.web)
        let applySecond = try call(Envelopes.serviceMethod(Self.snapshots, "ApplySnapshot", Envelopes.settings("Snapshot", second)), "ApplySnapshot")
        #expect(applySecond.returnValue == 4096)
        let (fourth, _) = try snapshot(Self.web)
        #expect(query("SELECT * FROM Msvm_VirtualSystemSettingData WHERE InstanceID = '\(fourth)'").first?["Parent"]?.hasSuffix("\"\(second)\"") == true)
        #expect(try call(Envelopes.serviceMethod(Self.snapshots, "DestroySnapshotTree", Envelopes.settings("SnapshotSettingData", second)), "DestroySnapshotTree").returnValue == 4096)
        #expect(query("SELECT * FROM Msvm_VirtualSystemSettingData WHERE VirtualSystemType = 'Microsoft:Hyper-V:Snapshot:Realized'").map { $0["InstanceID"] } == [third])
        #expect(query("SELECT * FROM Msvm_VirtualSystemSettingData WHERE InstanceID = 'Microsoft:\(Self.web)'").first?["Parent"] == nil)
    }

    @Test("DestroySystem: a running VM is 32775; an Off one goes, with a job")
    func destroySystem() async throws {
        let running = try call(Envelopes.serviceMethod(Self.management, "DestroySystem", Envelopes.system("AffectedSystem", Self.web)), "DestroySystem")
        #expect(running.returnValue == 32775)
        let off = try call(Envelopes.serviceMethod(Self.management, "DestroySystem", Envelopes.system("AffectedSystem", Self.buildAgent)), "DestroySystem")
        #expect(off.returnValue == 4096 && off.job != nil)
        #expect(query("SELECT * FROM Msvm_ComputerSystem WHERE Name = '\(Self.buildAgent)'").isEmpty)
        #expect(query("SELECT * FROM Msvm_VirtualSystemSettingData WHERE InstanceID = 'Microsoft:\(Self.buildAgent)'").isEmpty)
        let again = try call(Envelopes.serviceMethod(Self.management, "DestroySystem", Envelopes.system("AffectedSystem", Self.buildAgent)), "DestroySystem")
        #expect(again.status == 500 && again.faultSubcode == "w:InvalidParameter")
    }

    @Test("MigrateVirtualSystemToHost: an unknown destination fails the job (JobState 10, ErrorCode 32768) and the VM stays")
    func migrateToAnUnknownHost() async throws {
        let settings = Envelopes.embedded("MigrationSettingData", className: "Msvm_VirtualSystemMigrationSettingData",
                                          [("MigrationType", "32768"), ("TransportType", "5")])
        let output = try call(Envelopes.serviceMethod("Msvm_VirtualSystemMigrationService", "MigrateVirtualSystemToHost",
            Envelopes.system("ComputerSystem", Self.web) + "<p:DestinationHost>hv09.lab.local</p:DestinationHost>" + settings), "MigrateVirtualSystemToHost")
        #expect(output.returnValue == 4096)
        let job = try await waitForJob(try #require(output.job))
        #expect(job["JobState"] == "10" && job["ErrorCode"] == "32768")
        #expect(job["ErrorDescription"]?.contains("failed to establish a connection") == true && job["ErrorDescription"]?.contains("hv09.lab.local") == true)
        #expect(model.enabledState(ofVM: Self.web) == 2)
        // A request while the VM's job runs is refused; so is an unsupported migration type.
        let storage = Envelopes.embedded("MigrationSettingData", className: "Msvm_VirtualSystemMigrationSettingData", [("MigrationType", "32769")])
        let wrongType = try call(Envelopes.serviceMethod("Msvm_VirtualSystemMigrationService", "MigrateVirtualSystemToHost",
            Envelopes.system("ComputerSystem", Self.web) + "<p:DestinationHost>hv02</p:DestinationHost>" + storage), "MigrateVirtualSystemToHost")
        #expect(wrongType.returnValue == 32773)
    }

    @Test("A peer takes a migrated VM on its private path once; the same ID again is refused (409)")
    func peerReceivesAVM() throws {
        let peer = HyperVModel(inventory: HyperVInventory.generated(vmCount: 0, hostName: "hv02"))
        let transfer = #"{"spec":{"name":"moved","guid":"44444444-0000-4000-8000-000000000004","biosGuid":"55555555-0000-4000-8000-000000000005","enabledState":2,"vcpus":2,"memoryMiB":2048,"maxMemoryMiB":2048,"disks":[],"nics":[]},"enabledState":2,"snapshots":[],"automaticStartupAction":3}"#
        #expect(peer.receiveMigration(Array(transfer.utf8)).status == 200)
        #expect(peer.enabledState(ofVM: "44444444-0000-4000-8000-000000000004") == 2)
        let again = peer.receiveMigration(Array(transfer.utf8))
        #expect(again.status == 409 && again.text.contains("already exists"))
        #expect(peer.receiveMigration(Array("nonsense".utf8)).status == 400)
        #expect(MigrationPeer(argument: "hv02.lab.local=127.0.0.1:15986") != nil)
        #expect(MigrationPeer(argument: "hv02=10.0.0.2:5985") == nil) // # ok-address: refused as a peer, never dialed
        #expect(MigrationPeer(argument: "hv02") == nil)
    }
}
