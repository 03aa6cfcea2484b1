import Foundation

/// Moving VMs between simulated hosts (`MigrateVirtualSystemToHost`): the VM is sent to the
/// peer named by `DestinationHost` (`--migration-peer`), and leaves this host once the peer
/// has taken it. The job (4096) completes no sooner than the job duration; it fails (JobState
/// 10, ErrorCode 32768) when the destination is not a known peer, cannot be reached, or refuses
/// the VM (it already has one with that ID), and the VM then stays here as it was.
extension HyperVModel {
    /// Starts a migration; nil for an unknown VM; 32775 while the VM has a job running or is in
    /// a transitional state.
    public func migrate(vm guid: String, to destination: String) -> InvocationResult? {
        let peer = migrationPeers.first { $0.matches(destination) }
        let own = [host.name.lowercased(), host.dnsHostName.lowercased()]
        let started = withAdvancedState { state -> (InvocationResult, VMTransfer?)? in
            guard let index = state.indexByGUID[guid.uppercased()] else { return nil }
            let vm = state.vms[index]
            guard vm.pendingJob == nil, [2, 3, 6, 9].contains(vm.enabledState) else {
                return (InvocationResult(returnValue: StateTransition.invalidState, jobID: nil), nil)
            }
            let job = addJob(.migrate, vm: vm.guid, in: &state, awaitsOutcome: peer != nil)
            state.vms[index].pendingJob = job
            let transfer = VMTransfer(spec: vm.spec, enabledState: vm.enabledState, snapshots: vm.snapshots, currentSnapshot: vm.currentSnapshot,
                                      automaticStartupAction: vm.automaticStartupAction, created: vm.created)
            return (InvocationResult(returnValue: 4096, jobID: job), transfer)
        }
        guard let (result, transfer) = started else { return nil }
        guard let jobID = result.jobID, let transfer else { return result }
        guard let peer else {
            let reason = own.contains(destination.lowercased())
                ? "The virtual machine migration operation failed: the source and the destination host are the same computer."
                : "The Virtual Machine Management Service failed to establish a connection for a Virtual Machine migration with host '\(destination)': No such host is known. (0x80072AF9)."
            settle(job: jobID, vm: transfer.spec.guid, failure: reason, moved: false)
            return result
        }
        Task {
            let refusal = await MigrationSender.send(transfer, to: peer)
            let reason = refusal.map { "Virtual machine migration operation for '\(transfer.spec.name)' failed at migration source '\(host.name.uppercased())': \($0)" }
            settle(job: jobID, vm: transfer.spec.guid, failure: reason, moved: refusal == nil)
        }
        return result
    }

    /// Ends a migration job's wait: the VM leaves (moved) or stays; the job fails with `failure`.
    func settle(job id: String, vm guid: String, failure: String?, moved: Bool) {
        withAdvancedState { state in
            if var job = state.jobs[id] {
                job.awaitsOutcome = false
                if let failure { job.failure = (32768, failure) }
                state.jobs[id] = job
            }
            guard let index = state.indexByGUID[guid.uppercased()] else { return }
            if moved {
                removeVM(at: index, in: &state)
            } else {
                state.vms[index].pendingJob = nil
            }
        }
    }

    /// Takes a VM migrated from a peer; the reason when refused (a VM with its ID is here already).
    func receive(_ transfer: VMTransfer) -> String? {
        let guid = transfer.spec.guid.uppercased()
        return withAdvancedState { state -> String? in
            if state.indexByGUID[guid] != nil {
                return "The operation failed because a virtual machine with the identifier \(guid) already exists on the destination host. (0x800700B7)"
            }
            var record = VMRecord(spec: transfer.spec, guid: guid, biosGuid: transfer.spec.biosGuid.uppercased(), enabledState: transfer.enabledState,
                                  lastStateChange: Date())
            record.resolveDevices()
            record.snapshots = transfer.snapshots
            record.currentSnapshot = transfer.currentSnapshot
            record.automaticStartupAction = transfer.automaticStartupAction
            record.created = transfer.created
            if [2, 9].contains(transfer.enabledState) {
                record.processID = state.nextProcessID
                state.nextProcessID += 4
                record.runningSince = .now
                if transfer.enabledState == 9 { record.pausedSince = .now }
            }
            state.indexByGUID[guid] = state.vms.count
            state.vms.append(record)
            return nil
        }
    }

    /// Answers a peer's `POST /virtfed-sim/migration`: 200 when taken, 409 with the reason
    /// when refused, 400 for a body that is not a VM transfer.
    public func receiveMigration(_ body: [UInt8]) -> (status: Int, text: String) {
        guard let transfer = try? JSONDecoder().decode(VMTransfer.self, from: Data(body)) else { return (400, "not a VM transfer") }
        if let refusal = receive(transfer) { return (409, refusal) }
        return (200, "")
    }
}
