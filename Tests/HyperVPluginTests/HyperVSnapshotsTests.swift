import BrokerCore
import Foundation
import Testing
@testable import HyperVPlugin

@Suite("Hyper-V: checkpoints from settings rows")
struct HyperVSnapshotsTests {
    @Test func parentsComeFromWMIPathsAndTheCurrentFromTheVMsSettings() {
        let path = { (id: String) in #"\\HV01\root\virtualization\v2:Msvm_VirtualSystemSettingData.InstanceID="\#(id)""# }
        let rows: [[String: String]] = [
            ["InstanceID": "Microsoft:C", "ElementName": "same", "CreationTime": "2026-12-05T03:00:02.500Z", "Parent": path("Microsoft:A")],
            ["InstanceID": "Microsoft:A", "ElementName": "root", "Notes": "first", "CreationTime": "2026-12-05T03:00:00Z"],
            ["InstanceID": "Microsoft:B", "ElementName": "same", "CreationTime": "20261205030002.100000+000", "Parent": path("Microsoft:A")],
        ]
        let tree = HyperVSnapshots(rows: rows, current: "microsoft:c")
        #expect(tree.snapshots.map(\.id) == ["Microsoft:A", "Microsoft:B", "Microsoft:C"])
        #expect(tree.snapshots.map(\.parent) == [nil, "root", "root"])
        #expect(tree.snapshots.map(\.isCurrent) == [false, false, true])
        #expect(tree.snapshots[0].description == "first" && tree.snapshots[0].creationTime == 1_796_439_600)
        // Two of one name: the newest (to the fraction of a second) is the one a name means.
        #expect(tree.newest(named: "same")?.id == "Microsoft:C")
        #expect(HyperVSnapshots.instanceID(inPath: #"\\H\root\virtualization\v2:Msvm_VirtualSystemSettingData.InstanceID="Microsoft:X\\Y\"z""#) == #"Microsoft:X\Y"z"#)
        #expect(HyperVSnapshots.instanceID(inPath: "") == nil)
        #expect(HyperVSnapshots.date("20261205030000.000000-060").map { Int64($0.timeIntervalSince1970) } == 1_796_443_200)
    }

    @Test func jobFailuresMapByCodeThenText() {
        #expect(HyperVErrorMapping.jobFailure(code: 32775, caption: "c", description: "d").code == .invalidState)
        #expect(HyperVErrorMapping.jobFailure(code: 32768, caption: "Moving Virtual Machine",
                                              description: "The Virtual Machine Management Service failed to establish a connection for a Virtual Machine migration with host 'x'").code == .backendUnavailable)
        #expect(HyperVErrorMapping.jobFailure(code: 32768, caption: "c", description: "a virtual machine with the identifier X already exists").code == .alreadyExists)
        #expect(HyperVErrorMapping.jobFailure(code: 32768, caption: "c", description: "simulated failure").code == .internal)
    }
}
