import Foundation

/// Checkpoints (`Msvm_VirtualSystemSnapshotService`): standard checkpoints, taken in any
/// steady state, applied only to a VM that is Off or Saved, removed one at a time (children
/// move to the removed one's parent) or as a subtree.
extension HyperVModel {
    /// `CreateSnapshot`: a checkpoint of the VM's current settings named Hyper-V's default
    /// way, on top of its current checkpoint, which it becomes. 4096 and a job; 32775 while the
    /// VM has a job running or is in a transitional state; nil for an unknown VM.
    public func createSnapshot(vm guid: String) -> (result: InvocationResult, snapshotID: String?)? {
        withAdvancedState { state -> (InvocationResult, String?)? in
            guard let index = state.indexByGUID[guid.uppercased()] else { return nil }
            let vm = state.vms[index]
            guard vm.pendingJob == nil, [2, 3, 6, 9].contains(vm.enabledState) else {
                return (InvocationResult(returnValue: StateTransition.invalidState, jobID: nil), nil)
            }
            let now = Date()
            let snapshot = SnapshotRecord(id: UUID().uuidString.uppercased(), name: SnapshotRecord.defaultName(vmName: vm.spec.name, at: now),
                                          notes: nil, created: now, parentID: vm.currentSnapshot, takenState: vm.enabledState, spec: vm.spec)
            state.vms[index].snapshots.append(snapshot)
            state.vms[index].currentSnapshot = snapshot.id
            return (InvocationResult(returnValue: 4096, jobID: addJob(.snapshot, vm: vm.guid, in: &state)), snapshot.id)
        }
    }

    /// `ApplySnapshot`: the VM takes the checkpoint's settings and runs on top of it. Refused
    /// with 32775 unless the VM is Off or Saved with no job (Hyper-V cannot apply a checkpoint to
    /// a running VM); after it the VM is Saved when the checkpoint was taken while it ran or was
    /// paused (a standard checkpoint keeps the memory), Off otherwise. Nil for an unknown checkpoint.
    public func applySnapshot(_ snapshotID: String) -> InvocationResult? {
        withAdvancedState { state -> InvocationResult? in
            guard let (index, position) = locate(snapshotID, in: state) else { return nil }
            var vm = state.vms[index]
            guard vm.pendingJob == nil, [3, 6].contains(vm.enabledState) else {
                return InvocationResult(returnValue: StateTransition.invalidState, jobID: nil)
            }
            let snapshot = vm.snapshots[position]
            var spec = snapshot.spec
            spec.name = vm.spec.name
            vm.spec = spec
            vm.currentSnapshot = snapshot.id
            vm.enabledState = snapshot.takenState == 3 ? 3 : 6
            vm.lastStateChange = Date()
            vm.reached(vm.enabledState, at: .now)
            state.vms[index] = vm
            return InvocationResult(returnValue: 4096, jobID: addJob(.applySnapshot, vm: vm.guid, in: &state))
        }
    }

    /// `DestroySnapshot`: removes one checkpoint; its children take its parent as theirs, and
    /// if the VM ran on top of it, it now runs on top of that parent. Nil for an unknown one.
    public func destroySnapshot(_ snapshotID: String) -> InvocationResult? {
        withAdvancedState { state -> InvocationResult? in
            guard let (index, position) = locate(snapshotID, in: state) else { return nil }
            var vm = state.vms[index]
            let removed = vm.snapshots.remove(at: position)
            for child in vm.snapshots.indices where vm.snapshots[child].parentID == removed.id {
                vm.snapshots[child].parentID = removed.parentID
            }
            if vm.currentSnapshot == removed.id { vm.currentSnapshot = removed.parentID }
            state.vms[index] = vm
            return InvocationResult(returnValue: 4096, jobID: addJob(.destroySnapshot, vm: vm.guid, in: &state))
        }
    }

    /// `DestroySnapshotTree`: removes a checkpoint and every descendant; a VM that ran on top of
    /// one of them now runs on top of the removed root's parent. Nil for an unknown checkpoint.
    public func destroySnapshotTree(_ snapshotID: String) -> InvocationResult? {
        withAdvancedState { state -> InvocationResult? in
            guard let (index, position) = locate(snapshotID, in: state) else { return nil }
            var vm = state.vms[index]
            let root = vm.snapshots[position]
            var doomed: Set<String> = [root.id]
            var grew = true
            while grew {
                let before = doomed.count
                for snapshot in vm.snapshots where snapshot.parentID.map(doomed.contains) == true { doomed.insert(snapshot.id) }
                grew = doomed.count != before
            }
            vm.snapshots.removeAll { doomed.contains($0.id) }
            if let current = vm.currentSnapshot, doomed.contains(current) { vm.currentSnapshot = root.parentID }
            state.vms[index] = vm
            return InvocationResult(returnValue: 4096, jobID: addJob(.destroySnapshotTree, vm: vm.guid, in: &state))
        }
    }

    /// The VM index and checkpoint position of a checkpoint GUID (any case).
    private func locate(_ snapshotID: String, in state: State) -> (Int, Int)? {
        let id = snapshotID.uppercased()
        for index in state.vms.indices {
            if let position = state.vms[index].snapshots.firstIndex(where: { $0.id == id }) { return (index, position) }
        }
        return nil
    }
}
