import Foundation

/// Paths to the package and its built binaries.
enum Paths {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../..").standardizedFileURL
    static let binDirectory = ProcessInfo.processInfo.environment["VIRTFED_BIN_DIR"]
        ?? root.appendingPathComponent(".build/debug").path
    static let virtfed = binDirectory + "/virtfed"
    /// `virtfed-sim`, built by the separate simulators package (simulators/) into its own bin directory.
    static func simulator() throws -> String {
        guard let directory = ProcessInfo.processInfo.environment["VIRTFED_SIM_BIN_DIR"], !directory.isEmpty else {
            throw FleetError(message: "VIRTFED_SIM_BIN_DIR is not set: build the simulators with "
                + "`swift build --package-path simulators` and set it to `swift build --package-path simulators --show-bin-path` "
                + "(`make test` does both)")
        }
        return directory + "/virtfed-sim"
    }
    static let demoConfig = root.appendingPathComponent("config/demo.toml").path
    static let hosts = root.appendingPathComponent("config/hosts").path
    static let fleetScript = root.appendingPathComponent("scripts/libvirtd-fleet").path
}

/// A finished process: its exit status and what it printed.
struct CommandResult: CustomStringConvertible {
    var status: Int32
    var stdout: String
    var stderr: String

    var description: String { "exit \(status)\nstdout:\n\(stdout)\nstderr:\n\(stderr)" }

    /// stdout parsed as JSON; the error names the command's output when it is not JSON.
    func json() throws -> Any {
        do {
            return try JSONSerialization.jsonObject(with: Data(stdout.utf8))
        } catch {
            throw FleetError(message: "not JSON (\(error)):\n\(self)")
        }
    }
}

/// Runs a program to completion with `posix_spawn`, output captured through files (no pipe
/// deadlocks), killed after `timeout` seconds so a hang fails the test instead of stalling
/// the run. (Foundation's `Process` can miss the exit of a child whose own children live on.)
func runCommand(_ executable: String, _ arguments: [String], environment: [String: String] = [:], timeout: Double = 60) throws -> CommandResult {
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("vf-out-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: scratch) }
    let outPath = scratch.appendingPathComponent("out").path, errPath = scratch.appendingPathComponent("err").path

    var env = ProcessInfo.processInfo.environment
    env.removeValue(forKey: "VIRTFED_CONFIG")
    env.merge(environment) { $1 }

    let pid = try spawn(executable, arguments, environment: env, stdout: outPath, stderr: errPath)
    var status: Int32 = 0
    var lost = false
    let deadline = Date().addingTimeInterval(timeout)
    while true {
        let reaped = waitpid(pid, &status, WNOHANG)
        if reaped == pid { break }
        if reaped < 0 {
            if errno == EINTR { continue }
            // Reaped by someone else (its status is gone): it has ended, its output is whole.
            lost = true
            break
        }
        if Date() > deadline {
            kill(pid, SIGKILL)
            waitpid(pid, &status, 0)
            break
        }
        usleep(5_000)
    }
    let exited = (status & 0x7f) == 0
    return CommandResult(
        status: lost ? -1 : exited ? (status >> 8) & 0xff : 128 + (status & 0x7f),
        stdout: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
        stderr: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
    )
}

/// Starts a program with a clean signal state (the test runner's threads block signals, and
/// a child would inherit that mask: a libvirtd that cannot see SIGTERM) and the given files
/// as stdout and stderr. Returns its pid; the caller reaps it.
func spawn(_ executable: String, _ arguments: [String], environment: [String: String], stdout: String, stderr: String) throws -> pid_t {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var none = sigset_t(), all = sigset_t()
    sigemptyset(&none)
    sigfillset(&all)
    posix_spawnattr_setsigmask(&attributes, &none)
    posix_spawnattr_setsigdefault(&attributes, &all)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
    let argv = ([executable] + arguments).map { strdup($0) } + [nil]
    let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer { (argv + envp).forEach { free($0) } }
    var pid: pid_t = 0
    let spawned = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
    guard spawned == 0 else { throw FleetError(message: "cannot run \(executable): errno \(spawned)") }
    return pid
}

/// Runs the real `virtfed` binary.
func virtfed(_ arguments: String..., environment: [String: String] = [:], timeout: Double = 60) throws -> CommandResult {
    try runCommand(Paths.virtfed, arguments, environment: environment, timeout: timeout)
}

/// A scratch directory under /tmp (short, for Unix socket paths), removed by the caller.
func scratchDirectory(_ tag: String) throws -> URL {
    let url = URL(fileURLWithPath: "/tmp/vf-\(tag)-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Writes a virtfed configuration with the given backends.
func writeConfig(in directory: URL, _ backends: [(name: String, uri: String, extra: String)]) throws -> String {
    var text = ""
    for backend in backends {
        text += "[[backends]]\nname = \"\(backend.name)\"\nuri = \"\(backend.uri)\"\n\(backend.extra)\n\n"
    }
    let path = directory.appendingPathComponent("virtfed.toml").path
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
}

/// Starts a server that prints `listening on 127.0.0.1:PORT` on stdout (a `virtfed-sim`
/// subcommand), its stdout and stderr in `directory`; returns its pid and port, or kills it and
/// throws when no port appears within 5 s.
func spawnListening(_ executable: String, _ arguments: [String], directory: URL) throws -> (pid: pid_t, port: Int) {
    let out = directory.appendingPathComponent("out").path, err = directory.appendingPathComponent("err").path
    let pid = try spawn(executable, arguments, environment: ProcessInfo.processInfo.environment, stdout: out, stderr: err)
    for _ in 0..<500 {
        if let text = try? String(contentsOfFile: out, encoding: .utf8), let listening = text.range(of: "listening on "),
           let range = text.range(of: ":", range: listening.upperBound..<text.endIndex),
           let port = Int(text[range.upperBound...].prefix(while: \.isNumber)) {
            return (pid, port)
        }
        usleep(10_000)
    }
    killAndReap(pid)
    throw FleetError(message: "\(executable) \(arguments.first ?? "") did not start: \((try? String(contentsOfFile: err, encoding: .utf8)) ?? "")")
}

/// Stops a child with SIGKILL (test-runner threads block SIGTERM) and reaps it.
func killAndReap(_ pid: pid_t) {
    kill(pid, SIGKILL)
    var status: Int32 = 0
    waitpid(pid, &status, 0)
}

/// A self-signed certificate for 127.0.0.1 and its key, made by openssl in `directory`.
func selfSignedCertificate(in directory: URL) throws -> (cert: String, key: String) {
    let cert = directory.appendingPathComponent("cert.pem").path, key = directory.appendingPathComponent("key.pem").path
    let made = try runCommand("/usr/bin/openssl", [
        "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
        "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", cert,
    ])
    guard made.status == 0 else { throw FleetError(message: "openssl failed: \(made)") }
    return (cert, key)
}
