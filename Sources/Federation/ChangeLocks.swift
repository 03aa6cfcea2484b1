import BrokerCore

/// One change at a time per VM: a second change to a VM waits for the first to finish, at
/// most `patience`, and is then turned away with `busy` rather than run beside it.
actor ChangeLocks {
    private var holders: Set<String> = []
    let patience: Duration

    init(patience: Duration = .seconds(10)) {
        self.patience = patience
    }

    /// Runs `change` holding the lock of the VM `uuid` (`name` for the message when it is busy).
    func run<T: Sendable>(
        _ uuid: String, name: String, _ change: () async throws(BackendError) -> T
    ) async throws(BackendError) -> T {
        let deadline = ContinuousClock.now + patience
        while holders.contains(uuid) {
            guard ContinuousClock.now < deadline else {
                throw BackendError(.busy, "another change to \(name) is still running; try again when it is done")
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
        holders.insert(uuid)
        defer { holders.remove(uuid) }
        return try await change()
    }
}
