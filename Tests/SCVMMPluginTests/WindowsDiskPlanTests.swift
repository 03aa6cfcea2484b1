import BrokerCore
import Testing
import WinRMSupport

@Suite("where a new Windows VM's drives go")
struct WindowsDiskPlanTests {
    let vhd = DefinedDisk(source: #"C:\a.vhdx"#)

    @Test func generationTwoPutsEveryDriveOnOneSCSIController() throws {
        let plan = try WindowsDiskPlan(disks: [vhd, DefinedDisk(device: .cdrom, source: #"C:\a.iso"#), vhd], uefi: true, backend: "Hyper-V")
        #expect(plan.needsSCSIController && plan.placements.map(\.controller) == [.scsi, .scsi, .scsi] && plan.placements.map(\.location) == [0, 1, 2])
    }

    @Test func generationOneFillsTheTwoIDEControllersThenRefuses() throws {
        let plan = try WindowsDiskPlan(disks: [vhd, vhd, DefinedDisk(device: .cdrom), vhd], uefi: false, backend: "Hyper-V")
        #expect(!plan.needsSCSIController)
        #expect(plan.placements.map(\.controller) == [.ide(0), .ide(0), .ide(1), .ide(1)] && plan.placements.map(\.location) == [0, 1, 0, 1])
        #expect(throws: BackendError.self) { try WindowsDiskPlan(disks: Array(repeating: vhd, count: 5), uefi: false, backend: "Hyper-V") }
        // A hard disk can ask for SCSI on generation 1; an optical drive cannot.
        let mixed = try WindowsDiskPlan(disks: [vhd, DefinedDisk(source: #"C:\b.vhdx"#, bus: "scsi")], uefi: false, backend: "SCVMM")
        #expect(mixed.placements.map(\.controller) == [.ide(0), .scsi] && mixed.needsSCSIController)
        do {
            _ = try WindowsDiskPlan(disks: [DefinedDisk(device: .cdrom, bus: "scsi")], uefi: false, backend: "SCVMM")
            Issue.record("a generation 1 SCSI optical drive was planned")
        } catch {
            #expect(error.code == .unsupported && error.message.hasPrefix("SCVMM:"))
        }
    }
}
