import ArgumentParser
import BrokerAPI

/// `virtfed`: one virsh-like console for every libvirt, Hyper-V and SCVMM backend at once.
struct Virtfed: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "virtfed",
        abstract: "Manage the VMs of many hypervisors as one federation.",
        discussion: """
            Exit status: 0 success, 1 error, 2 partial result (a listing answered but some \
            backends failed; one 'warning: backend NAME: …' line each on stderr).
            """,
        version: BrokerVersion.current,
        subcommands: [
            List.self, DomInfo.self, DomState.self, DumpXML.self, DomStats.self, Top.self,
            Start.self, Shutdown.self, Destroy.self, Reboot.self, Reset.self, Suspend.self, Resume.self, Save.self,
            Define.self, Undefine.self, Autostart.self, Migrate.self,
            SnapshotCreateAs.self, SnapshotListCommand.self, SnapshotRevert.self, SnapshotDelete.self, SnapshotDumpXML.self,
            Jobs.self, JobCommand.self, JobCancel.self,
            NodeInfoCommand.self, Backends.self, Hosts.self, Event.self, ConfigCommand.self, ClusterCommand.self,
        ]
    )
}
