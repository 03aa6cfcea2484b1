import BrokerCore
import Foundation
import Testing
@testable import SCVMMPlugin
import WinRMSupport

@Suite("SCVMM: the scripts and answers of define, checkpoints and moves")
struct SCVMMChangeScriptTests {
    @Test func userSuppliedNamesAreSingleQuotedLiteralsEverywhere() throws {
        for hostile in SCVMMScriptTests.hostile where !hostile.isEmpty {
            let definition = DomainDefinition(xml: "", name: hostile, memoryKiB: 1 << 20, vcpus: 1, description: hostile,
                                              disks: [DefinedDisk(source: #"C:\Images\base.vhdx"#)], interfaces: [DefinedInterface(type: "bridge", network: hostile)])
            let disks = try WindowsDiskPlan(disks: definition.disks, uefi: false, backend: "SCVMM")
            let script = try SCVMMScript.define(definition, host: hostile, profileName: "virtfed-x", disks: disks,
                                                jobGroup: "7a3e0c4b-2f1d-4e5a-9b8c-1d2e3f4a5b6c")
            #expect(script.contains(#"-IDE -Bus 0 -LUN 0 -JobGroup '7a3e0c4b-2f1d-4e5a-9b8c-1d2e3f4a5b6c' -UseLocalVirtualHardDisk -Path 'C:\Images' -FileName 'base.vhdx'"#))
            // Every occurrence of the value is inside a literal that reads back as the value.
            var rest = Substring(script)
            var found = 0
            while let quote = rest.firstIndex(where: { SCVMMScript.singleQuotes.contains($0.unicodeScalars.first!) }) {
                let literal = try #require(readSingleQuoted(String(rest[quote...])))
                if literal.value.contains(hostile) { found += 1 }
                rest = Substring(literal.rest)
            }
            #expect(found >= 5, "\(hostile)")  // host lookup, its marker, the name check, the adapter's network and New-SCVirtualMachine
            let checkpoint = try SCVMMScript.newCheckpoint(id: "7a3e0c4b-2f1d-4e5a-9b8c-1d2e3f4a5b6c", name: hostile, description: hostile)
            #expect(checkpoint.contains("-Name \(SCVMMScript.quoted(hostile)) -Description \(SCVMMScript.quoted(hostile))"))
        }
        #expect(throws: BackendError.self) { try SCVMMScript.restoreCheckpoint("x'; Stop-Computer; '") }
        #expect(throws: BackendError.self) { try SCVMMScript.removeCheckpoint("7a3e0c4b-2f1d-4e5a-9b8c-1d2e3f4a5b6c", descendants: ["not-a-guid"]) }
    }

    @Test func checkpointsAreOrderedParentsFirstWithTheCurrentOne() throws {
        let answer = """
            {"checkpoints":[{"Name":"b","Description":"","CheckpointID":"22222222-0000-4000-8000-000000000002","ParentCheckpointID":"11111111-0000-4000-8000-000000000001","AddedTime":"\\/Date(1700000100000)\\/"},\
            {"Name":"a","Description":"root","CheckpointID":"11111111-0000-4000-8000-000000000001","ParentCheckpointID":null,"AddedTime":"\\/Date(1700000000000)\\/"},\
            {"Name":"c","Description":null,"CheckpointID":"33333333-0000-4000-8000-000000000003","ParentCheckpointID":"22222222-0000-4000-8000-000000000002","AddedTime":"\\/Date(1700000200000)\\/"}],\
            "lastRestored":"22222222-0000-4000-8000-000000000002"}
            """
        let checkpoints = try SCVMMCheckpoints(json: Array(answer.utf8))
        let snapshots = checkpoints.snapshots
        #expect(snapshots.map(\.name) == ["a", "b", "c"])
        #expect(snapshots.map(\.parent) == [nil, "a", "b"])
        #expect(snapshots.map(\.isCurrent) == [false, true, false])
        #expect(snapshots[0].creationTime == 1_700_000_000 && snapshots[0].description == "root" && snapshots[1].description == nil)
        #expect(checkpoints.descendants(of: "11111111-0000-4000-8000-000000000001")
                == ["33333333-0000-4000-8000-000000000003", "22222222-0000-4000-8000-000000000002"])

        // One checkpoint is the object itself (5.1's ConvertTo-Json); no LastRestored: the newest is current.
        let one = try SCVMMCheckpoints(json: Array(#"{"checkpoints":{"Name":"only","CheckpointID":"44444444-0000-4000-8000-000000000004"},"lastRestored":""}"#.utf8))
        #expect(one.snapshots.map(\.name) == ["only"] && one.snapshots[0].isCurrent)
        #expect(try SCVMMCheckpoints(json: Array(#"{"checkpoints":null,"lastRestored":""}"#.utf8)).snapshots.isEmpty)
    }

    @Test func theMarkersAndPlacementErrorsMapToStableCodes() {
        #expect(SCVMMErrorMapping.code(for: "VirtfedAlreadyExists: web") == .alreadyExists)
        #expect(SCVMMErrorMapping.code(for: "VirtfedHasCheckpoints: the VM has checkpoints") == .invalidState)
        #expect(SCVMMErrorMapping.code(for: "Unable to place virtual machine x on host y: the host does not have sufficient memory. (Error ID: 23801)") == .invalidState)
        #expect(SCVMMErrorMapping.code(for: "VMM cannot create the virtual machine a because a virtual machine with that name already exists on host h.") == .alreadyExists)
    }
}
