/// One change at a time per VM: a second change to a VM waits for the first to finish, at
/// most `patience`, and is then turned away with `busy` rather than run beside it.
actor ChangeLocks {
    private var holders: Set<String> = []
    let patience: Duration

    init(patience: Duration = .seconds(10)) {
        self.patience = patience
    }

    /// Takes the VM's lock, waiting at most `patience`; false when it was not had in time.
    func acquire(_ uuid: String) async -> Bool {
        let deadline = ContinuousClock.now + patience
        while holders.contains(uuid) {
            guard ContinuousClock.now < deadline else { return false }
            try? await Task.sleep(for: .milliseconds(20))
        }
        holders.insert(uuid)
        return true
    }

    /// Gives the VM's lock back.
    func release(_ uuid: String) {
        holders.remove(uuid)
    }
}
