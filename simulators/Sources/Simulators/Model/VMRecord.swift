import Foundation

/// The mutable state of one simulated VM.
struct VMRecord: Sendable {
    /// The inventory entry (name, sizes, GUIDs).
    var spec: VMSpec
    /// Uppercase GUID, as Hyper-V writes `Name` and `VirtualSystemIdentifier`.
    var guid: String
    /// Uppercase BIOS GUID without braces.
    var biosGuid: String
    /// Current `EnabledState`.
    var enabledState: Int
    /// `RequestedState`: what was last asked for (12 "Not Applicable" when idle).
    var requestedState: Int = 12
    /// The job in flight, if any.
    var pendingJob: String?
    /// The worker process id while the VM has one (running, paused, in transition).
    var processID: Int?
    /// When the VM's worker process last started (for `OnTimeInMilliseconds`, `UpTime` and the
    /// origin of its performance counters); nil when off or saved.
    var runningSince: ContinuousClock.Instant?
    /// When the VM was paused, while it is.
    var pausedSince: ContinuousClock.Instant?
    /// Time spent paused since `runningSince` (before `pausedSince`).
    var pausedTotal: Duration = .zero
    /// `TimeOfLastStateChange`.
    var lastStateChange: Date
    /// Its virtual hard disks and the ISOs in its optical drives.
    var disks: [VirtualHardDisk] = []
    /// Its drives, with or without an image.
    var drives: [VirtualDrive] = []
    /// The GUIDs of its synthetic SCSI controllers.
    var scsiControllers: [String] = []
    /// Its network adapters.
    var adapters: [VirtualNetworkAdapter] = []
    /// Its checkpoints, oldest first.
    var snapshots: [SnapshotRecord] = []
    /// The checkpoint the VM runs on top of (the realized settings' `Parent`), if any.
    var currentSnapshot: String?
    /// `AutomaticStartupAction`: 2 none, 3 restart if previously running (the default), 4 always start.
    var automaticStartupAction = 3
    /// `CreationTime` of its settings; nil for inventory VMs (created 30 days before boot).
    var created: Date?

    /// Its storage controllers.
    var controllers: [StorageController] { StorageController.of(generation: spec.resolvedGeneration, scsi: scsiControllers) }

    /// Gives it the devices its inventory entry stands for.
    mutating func resolveDevices() {
        disks = spec.resolvedDisks(guid: guid)
        drives = disks.map(\.drive)
        adapters = spec.resolvedAdapters(guid: guid)
        scsiControllers = spec.resolvedGeneration == 2 ? [VMSpec.scsiControllerID(vm: guid)] : []
    }

    /// Its load model, seeded by the GUID.
    var workload: VMWorkload { VMWorkload(seed: guid) }

    /// Whether its virtual processors run (it has a worker process and is not paused).
    var isExecuting: Bool { runningSince != nil && pausedSince == nil }

    /// Time since the worker process started, or nil when there is none.
    func uptime(at now: ContinuousClock.Instant) -> Duration? {
        runningSince.map { now - $0 }
    }

    /// Seconds the virtual processors have run since the worker process started (paused time
    /// excluded): the clock of the performance counters. 0 without a worker process.
    func activeSeconds(at now: ContinuousClock.Instant) -> Double {
        guard let uptime = uptime(at: now) else { return 0 }
        let paused = pausedTotal + (pausedSince.map { now - $0 } ?? .zero)
        return max(0, Self.seconds(uptime - paused))
    }

    /// Records that the VM reached `state` at `instant` (a job completed): the worker process
    /// starts when it first runs, pauses and resumes are timed, and it ends when off or saved.
    mutating func reached(_ state: Int, at instant: ContinuousClock.Instant) {
        switch state {
        case 3, 6:
            processID = nil
            runningSince = nil
            pausedSince = nil
            pausedTotal = .zero
        case 9:
            if runningSince == nil { runningSince = instant }
            if pausedSince == nil { pausedSince = instant }
        default:
            if runningSince == nil { runningSince = instant }
            if let paused = pausedSince {
                pausedTotal += instant - paused
                pausedSince = nil
            }
        }
    }

    /// A duration in seconds.
    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
