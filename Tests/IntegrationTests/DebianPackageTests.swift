import Foundation
import Testing

/// The Debian package (`make deb`, given as `VIRTFED_DEB`) installed with dpkg into a throwaway
/// root, its maintainer scripts run against that root (`--force-script-chrootless`, so they see
/// `DPKG_ROOT`): every file where it belongs with its mode and owner, the installed daemon run
/// from the installed configuration (edited as an operator would) with its sockets passed as
/// its socket units pass them, the man pages, the completions, an upgrade that keeps an edited
/// configuration, and a purge.
@Suite("the Debian package, installed into a throwaway root", .serialized)
struct DebianPackageTests {
    static func package() throws -> String {
        guard let path = ProcessInfo.processInfo.environment["VIRTFED_DEB"], !path.isEmpty else {
            throw FleetError(message: "VIRTFED_DEB is not set: `make deb` builds the package (`make test` builds it and sets this)")
        }
        return path
    }

    /// dpkg on `root`: its own database there, dependencies not checked (the root has no packages;
    /// the programs run on this machine's libraries).
    static func dpkg(_ root: URL, _ arguments: String...) throws -> CommandResult {
        try runCommand("/usr/bin/dpkg", ["--root=\(root.path)", "--force-script-chrootless", "--force-depends", "--log=/dev/null"] + arguments,
                       timeout: 120)
    }

    static func makeRoot() throws -> URL {
        let root = try scratchDirectory("deb")
        for directory in ["var/lib/dpkg/info", "var/lib/dpkg/updates"] {
            try FileManager.default.createDirectory(at: root.appendingPathComponent(directory), withIntermediateDirectories: true)
        }
        for file in ["var/lib/dpkg/status", "var/lib/dpkg/available"] {
            _ = FileManager.default.createFile(atPath: root.appendingPathComponent(file).path, contents: Data())
        }
        return root
    }

    /// A file's mode (permission bits), owner and group as numbers.
    static func owner(_ path: String) -> (mode: Int, uid: Int, gid: Int)? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        return (Int(info.st_mode & 0o7777), Int(info.st_uid), Int(info.st_gid))
    }

    /// The id of `name` in the root's own `/etc/passwd` or `/etc/group`.
    static func id(_ name: String, in file: String) throws -> Int {
        let lines = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n")
        guard let line = lines.first(where: { $0.hasPrefix(name + ":") }), let id = Int(line.split(separator: ":")[2]) else {
            throw FleetError(message: "\(name) is not in \(file)")
        }
        return id
    }

    @Test func installsRunsUpgradesAndPurges() throws {
        let package = try Self.package()
        let root = try Self.makeRoot()
        defer { try? FileManager.default.removeItem(at: root) }
        let install = try Self.dpkg(root, "-i", package)
        #expect(install.status == 0, "\(install)")
        let r = root.path

        // The user and group, made by the package's sysusers.d entry in the root's own files.
        let uid = try Self.id("virtfed", in: r + "/etc/passwd"), gid = try Self.id("virtfed", in: r + "/etc/group")
        #expect(try String(contentsOfFile: r + "/etc/passwd", encoding: .utf8).contains(":/var/lib/virtfed:/usr/sbin/nologin"))

        // Every file with its mode and owner.
        let expected: [(String, Int, Int, Int)] = [
            ("/usr/bin/virtfed", 0o755, 0, 0), ("/usr/bin/virtfedd", 0o755, 0, 0),
            ("/etc/virtfed", 0o750, 0, gid), ("/etc/virtfed/virtfed.toml", 0o640, 0, gid),
            ("/lib/systemd/system/virtfedd.service", 0o644, 0, 0), ("/lib/systemd/system/virtfedd.socket", 0o644, 0, 0),
            ("/lib/systemd/system/virtfedd-ro.socket", 0o644, 0, 0), ("/lib/systemd/system/virtfedd-libvirt.socket", 0o644, 0, 0),
            ("/lib/systemd/system/virtfedd-libvirt-ro.socket", 0o644, 0, 0),
            ("/usr/lib/sysusers.d/virtfed.conf", 0o644, 0, 0), ("/usr/lib/tmpfiles.d/virtfed.conf", 0o644, 0, 0),
            ("/run/virtfed", 0o755, 0, gid), ("/var/lib/virtfed", 0o750, uid, gid), ("/var/log/virtfed", 0o750, uid, gid),
            ("/usr/share/man/man1/virtfed.1.gz", 0o644, 0, 0), ("/usr/share/man/man8/virtfedd.8.gz", 0o644, 0, 0),
            ("/usr/share/bash-completion/completions/virtfed", 0o644, 0, 0),
            ("/usr/share/zsh/vendor-completions/_virtfed", 0o644, 0, 0),
            ("/usr/share/fish/vendor_completions.d/virtfed.fish", 0o644, 0, 0),
            ("/usr/share/doc/virtfed/copyright", 0o644, 0, 0), ("/usr/share/doc/virtfed/changelog.Debian.gz", 0o644, 0, 0),
        ]
        for (path, mode, owner, group) in expected {
            let found = Self.owner(r + path)
            #expect(found?.mode == mode && found?.uid == owner && found?.gid == group,
                    "\(path): \(found.map { "\(String($0.mode, radix: 8)) \($0.uid):\($0.gid)" } ?? "missing"), want \(String(mode, radix: 8)) \(owner):\(group)")
        }
        #expect(!FileManager.default.fileExists(atPath: r + "/usr/bin/virtfed-sim"), "the simulators stay out of the package")
        let service = try String(contentsOfFile: r + "/lib/systemd/system/virtfedd.service", encoding: .utf8)
        #expect(service.contains("Type=notify") && service.contains("ExecStart=/usr/bin/virtfedd --config /etc/virtfed/virtfed.toml"))
        #expect(service.contains("User=virtfed"))
        let conffiles = try String(contentsOfFile: r + "/var/lib/dpkg/info/virtfed.conffiles", encoding: .utf8)
        #expect(conffiles.contains("/etc/virtfed/virtfed.toml"))

        // The installed configuration is valid as shipped.
        let installedConfig = r + "/etc/virtfed/virtfed.toml"
        let check = try runCommand(r + "/usr/bin/virtfed", ["--config", installedConfig, "config", "check"])
        #expect(check.status == 0 && check.stdout.contains("valid, 0 backends"), "\(check)")

        // The operator's first steps: add backends (here the demo hosts); this root's paths stand in
        // for /run, /var/log; the metrics port is any free one.
        var config = try String(contentsOfFile: installedConfig, encoding: .utf8)
        config = config.replacingOccurrences(of: "\"/run/virtfed/", with: "\"\(r)/run/virtfed/")
            .replacingOccurrences(of: "\"/var/log/virtfed/", with: "\"\(r)/var/log/virtfed/")
            .replacingOccurrences(of: "\"/var/lib/virtfed\"", with: "\"\(r)/var/lib/virtfed\"")
            .replacingOccurrences(of: "metrics = \"127.0.0.1:9177\"", with: "metrics = \"127.0.0.1:0\"")
        for host in ["kvm-a", "kvm-b"] {
            config += "\n[[backends]]\nname = \"\(host)\"\nuri = \"test://\(Paths.hosts)/\(host).xml\"\n"
        }
        try config.write(toFile: installedConfig, atomically: false, encoding: .utf8)

        // The installed daemon, its sockets passed the way its four socket units pass them.
        let sockets = r + "/run/virtfed"
        let notify = try NotifyListener(path: r + "/notify")
        let logFile = r + "/virtfedd.log"
        let pid = try spawn("/usr/bin/systemd-socket-activate",
                            ["-E", "NOTIFY_SOCKET=\(notify.path)",
                             "-l", sockets + "/virtfed.sock", "-l", sockets + "/virtfed-ro.sock",
                             "-l", sockets + "/libvirt-sock", "-l", sockets + "/libvirt-sock-ro",
                             "--fdname=rw:ro:libvirt-rw:libvirt-ro",
                             r + "/usr/bin/virtfedd", "--config", installedConfig],
                            environment: ProcessInfo.processInfo.environment, stdout: "/dev/null", stderr: logFile)
        defer { kill(pid, SIGKILL); waitpid(pid, nil, 0) }
        var waited = 0
        while !FileManager.default.fileExists(atPath: sockets + "/virtfed.sock") && waited < 500 { usleep(10_000); waited += 1 }
        let list = try runCommand(r + "/usr/bin/virtfed", ["-c", sockets + "/virtfed.sock", "list", "--all"])
        #expect(list.status == 0 && list.stdout.contains("kvm-a/web-01") && list.stdout.contains("kvm-b/test-sandbox"), "\(list)")
        #expect(notify.receive() == "READY=1\nSTATUS=serving 2 backends")
        let virsh = try runCommand("/usr/bin/virsh", ["-q", "-c", "virtfed+unix:///system?socket=\(sockets)/libvirt-sock-ro", "list", "--all", "--name"],
                                   environment: ["LIBVIRT_DEFAULT_URI": "", "HOME": r])
        #expect(virsh.status == 0 && virsh.stdout.contains("kvm-a/web-01"), "\(virsh)")
        kill(pid, SIGTERM)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        #expect(status == 0, "exit status \(status)")
        #expect(notify.receive() == "STOPPING=1\nSTATUS=stopping")
        let log = (try? String(contentsOfFile: logFile, encoding: .utf8)) ?? ""
        #expect(log.contains("[virtfedd] stopped"), "\(log)")
        // The daemon leaves the socket files to their units, which remove them when stopped (RemoveOnStop=yes).
        for socket in ["virtfed.sock", "virtfed-ro.sock", "libvirt-sock", "libvirt-sock-ro"] {
            #expect(FileManager.default.fileExists(atPath: sockets + "/" + socket))
            unlink(sockets + "/" + socket)
        }
        #expect(FileManager.default.fileExists(atPath: r + "/var/log/virtfed/audit.log"), "the audit trail opens where the configuration says")
        #expect(FileManager.default.fileExists(atPath: r + "/var/lib/virtfed/virtfed.db"), "the state database lives in state_dir")

        // The man pages render; the completions load in bash and complete the verbs.
        for page in ["/usr/share/man/man1/virtfed.1.gz", "/usr/share/man/man8/virtfedd.8.gz"] {
            let man = try runCommand("/usr/bin/man", ["-l", "-P", "cat", r + page], environment: ["MANWIDTH": "80", "MAN_KEEP_STDERR": "1"])
            #expect(man.status == 0 && man.stdout.contains("NAME") && man.stdout.contains("SYNOPSIS") && man.stderr.isEmpty, "\(page): \(man)")
        }
        let cli = try runCommand("/usr/bin/man", ["-l", "-P", "cat", r + "/usr/share/man/man1/virtfed.1.gz"], environment: ["MANWIDTH": "80"])
        #expect(cli.stdout.contains("dominfo") && cli.stdout.contains("--readonly"), "the CLI's page documents its verbs and options")
        let completion = try runCommand("/bin/bash", ["-c", """
            source "$0/usr/share/bash-completion/completions/virtfed" && complete -p virtfed \
              && COMP_LINE="virtfed domi" COMP_POINT=12 COMP_WORDS=(virtfed domi) COMP_CWORD=1 && _virtfed virtfed domi virtfed \
              && echo "candidates: ${COMPREPLY[*]}"
            """, r])
        #expect(completion.status == 0 && completion.stdout.contains("-F _virtfed virtfed"), "\(completion)")
        #expect(completion.stdout.contains("candidates: dominfo"), "\(completion)")

        // An upgrade (the same package again) keeps the edited configuration.
        let upgrade = try Self.dpkg(root, "-i", package)
        #expect(upgrade.status == 0, "\(upgrade)")
        #expect(try String(contentsOfFile: installedConfig, encoding: .utf8) == config)

        // Purge: the files, the configuration, the state and the audit trail go.
        let purge = try Self.dpkg(root, "--purge", "virtfed")
        #expect(purge.status == 0, "\(purge)")
        for path in ["/usr/bin/virtfedd", "/etc/virtfed/virtfed.toml", "/lib/systemd/system/virtfedd.service", "/var/log/virtfed", "/var/lib/virtfed",
                     "/run/virtfed"] {
            #expect(!FileManager.default.fileExists(atPath: r + path), "\(path) is left after purge")
        }
    }
}
