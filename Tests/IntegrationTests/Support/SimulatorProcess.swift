import Foundation

/// A real `virtfed-sim` process on an ephemeral loopback port: started with its arguments,
/// ready once it prints `listening on 127.0.0.1:PORT`, stopped with SIGKILL (and reaped).
final class SimulatorProcess {
    let pid: pid_t
    let port: Int
    let directory: URL

    init(_ arguments: [String], tag: String) throws {
        directory = try scratchDirectory(tag)
        let out = directory.appendingPathComponent("out").path
        pid = try spawn(Paths.binDirectory + "/virtfed-sim", arguments, environment: ProcessInfo.processInfo.environment,
                        stdout: out, stderr: directory.appendingPathComponent("err").path)
        var found = 0
        for _ in 0..<500 where found == 0 {
            if let text = try? String(contentsOfFile: out, encoding: .utf8), let range = text.range(of: "127.0.0.1:") {
                found = Int(text[range.upperBound...].prefix(while: \.isNumber)) ?? 0
            }
            if found == 0 { usleep(10_000) }
        }
        guard found != 0 else {
            kill(pid, SIGKILL)
            throw FleetError(message: "virtfed-sim did not start: \(String(describing: try? String(contentsOfFile: directory.appendingPathComponent("err").path, encoding: .utf8)))")
        }
        port = found
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(at: directory)
    }

    /// What the simulator logged (stderr).
    var log: String { (try? String(contentsOfFile: directory.appendingPathComponent("err").path, encoding: .utf8)) ?? "" }

    func stop() {
        kill(pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
    }
}
