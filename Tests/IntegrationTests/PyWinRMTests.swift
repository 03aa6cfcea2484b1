import Foundation
import Testing

/// The SCVMM simulator judged by a real WinRM client: pywinrm, unmodified, against the real
/// `virtfed-sim scvmm` binary, over Basic and NTLM.
@Suite("pywinrm against virtfed-sim scvmm", .serialized)
struct PyWinRMTests {
    @Test("run_ps inventory: Get-SCVirtualMachine -All | ConvertTo-Json -Depth 2 -Compress returns the inventory's VMs (Basic; NTLM with pywinrm's default message encryption)",
          arguments: ["basic", "ntlm"])
    func inventory(_ transport: String) throws {
        let simulator = try SimulatedSCVMM()
        let answer = try PyWinRM.run(simulator, transport: transport, ["ps", "Get-SCVirtualMachine -All | ConvertTo-Json -Depth 2 -Compress"])
        #expect(answer["status"] as? Int == 0, "\(answer)")
        #expect(answer["encrypted"] as? Bool == (transport == "ntlm"))
        let vms = try #require(try JSONSerialization.jsonObject(with: Data(((answer["stdout"] as? String) ?? "").utf8)) as? [[String: Any]])
        let expected = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: Paths.root.appendingPathComponent("config/scvmm-demo.json"))) as? [String: Any])
        let names = ((expected["vms"] as? [[String: Any]]) ?? []).compactMap { $0["Name"] as? String }
        #expect(vms.count == names.count && !names.isEmpty)
        #expect(vms.compactMap { $0["Name"] as? String } == names)
        #expect(!simulator.log.contains(simulator.password))
    }

    @Test("The real capture served: 28 VMs, 10 Running, through pywinrm")
    func realCapture() throws {
        let simulator = try SimulatedSCVMM(inventory: Paths.root.appendingPathComponent("Tests/Fixtures/scvmm/get_inventory_output.json").path)
        let script = "@(Get-SCVirtualMachine -All | Select-Object Name, @{Name='State'; Expression={[string]$_.VirtualMachineState}}) | ConvertTo-Json -Compress"
        let answer = try PyWinRM.run(simulator, transport: "basic", ["ps", script])
        let vms = try #require(try JSONSerialization.jsonObject(with: Data(((answer["stdout"] as? String) ?? "").utf8)) as? [[String: Any]])
        #expect(vms.count == 28)
        #expect(vms.filter { $0["State"] as? String == "Running" }.count == 10)
    }

    @Test("run_ps Get-SCVirtualMachine -Name: one VM with its state as a string")
    func byName() throws {
        let simulator = try SimulatedSCVMM()
        let script = "Get-SCVirtualMachine -Name 'test-linux' | Select-Object Name, VMId, @{Name='State'; Expression={[string]$_.VirtualMachineState}} | ConvertTo-Json -Compress"
        let answer = try PyWinRM.run(simulator, transport: "ntlm", ["ps", script])
        #expect(answer["status"] as? Int == 0)
        #expect(answer["stdout"] as? String == "{\"Name\":\"test-linux\",\"VMId\":\"9f8e7d6c-5b4a-4392-8181-706f5e4d3c2b\",\"State\":\"Paused\"}\r\n")
    }

    @Test("A failing run_ps: status 1, pywinrm's cleaned CLIXML error text")
    func failing() throws {
        let simulator = try SimulatedSCVMM()
        let answer = try PyWinRM.run(simulator, transport: "basic", ["ps", "Get-SCVirtualMachine -Name 'sql-01' | Start-SCVirtualMachine"])
        #expect(answer["status"] as? Int == 1)
        let raw = try #require(answer["stderr"] as? String)
        #expect(raw.split(separator: "\n").allSatisfy { $0.count <= 79 } && raw.contains(" \n"))
        let stderr = unwrappedErrorText(raw)
        #expect(stderr.hasPrefix("Start-SCVirtualMachine : VMM cannot complete the requested operation because the virtual machine sql-01 is in the Running state. (Error ID: 12700)\nAt line:1 char:"))
        #expect(!stderr.contains("CLIXML") && !stderr.contains("_x000D_"))
        let unknown = try PyWinRM.run(simulator, transport: "basic", ["ps", "Get-Nothing"])
        #expect(unknown["status"] as? Int == 1)
        #expect((unknown["stderr"] as? String).map(unwrappedErrorText)?.hasPrefix("Get-Nothing : The term 'Get-Nothing' is not recognized as the name of a cmdlet") == true)
    }

    @Test("run_ps of a VMM action: a job, then Get-SCJob shows it Completed")
    func actionAndJob() throws {
        let simulator = try SimulatedSCVMM()
        let start = "$vm = Get-SCVirtualMachine -Name 'legacy-app'\n$null = Start-SCVirtualMachine -VM $vm -RunAsynchronously -JobVariable 'job'\n$job.ID"
        let answer = try PyWinRM.run(simulator, transport: "basic", ["ps", start])
        let id = try #require((answer["stdout"] as? String)?.trimmingCharacters(in: .whitespacesAndNewlines))
        usleep(300_000)
        let poll = try PyWinRM.run(simulator, transport: "basic", ["ps", "[string](Get-SCJob -ID '\(id)').Status; [string](Get-SCVirtualMachine -Name 'legacy-app').VirtualMachineState"])
        #expect(poll["stdout"] as? String == "Completed\r\nRunning\r\n")
    }

    @Test("run_cmd: echo and hostname answer, an unknown command is cmd.exe's error with status 1")
    func runCmd() throws {
        let simulator = try SimulatedSCVMM()
        let echo = try PyWinRM.run(simulator, transport: "ntlm", ["cmd", "echo", "hello", "world"])
        #expect(echo["status"] as? Int == 0 && echo["stdout"] as? String == "hello world\r\n")
        let hostname = try PyWinRM.run(simulator, transport: "basic", ["cmd", "hostname"])
        #expect(hostname["stdout"] as? String == "vmm\r\n")
        let unknown = try PyWinRM.run(simulator, transport: "basic", ["cmd", "ipconfig", "/all"])
        #expect(unknown["status"] as? Int == 1)
        #expect((unknown["stderr"] as? String)?.contains("'ipconfig' is not recognized as an internal or external command") == true)
    }

    @Test("NTLM without message encryption (message_encryption='never') works too")
    func ntlmPlain() throws {
        let simulator = try SimulatedSCVMM()
        let answer = try PyWinRM.run(simulator, transport: "ntlm", ["ps", "(Get-SCVMHost).Count"], environment: ["WINRM_ENCRYPTION": "never"])
        #expect(answer["encrypted"] as? Bool == false)
        #expect(answer["stdout"] as? String == "3\r\n")
    }

    /// The listener as Windows ships it: pywinrm's encrypted NTLM gets through, and so does
    /// virtfed's (NTLM through GSS-API, every message sealed); Basic and NTLM in the clear do not.
    @Test("A listener with Windows' defaults: encrypted NTLM only")
    func windowsDefaults() throws {
        let simulator = try SimulatedSCVMM(strict: true)
        let encrypted = try PyWinRM.run(simulator, transport: "ntlm", ["ps", "(Get-SCVMHost).Count"])
        #expect(encrypted["encrypted"] as? Bool == true && encrypted["stdout"] as? String == "3\r\n", "\(encrypted)")
        let basic = try PyWinRM.run(simulator, transport: "basic", ["ps", "(Get-SCVMHost).Count"])
        #expect(basic["http_status"] as? Int == 401, "\(basic)")
        let plain = try PyWinRM.run(simulator, transport: "ntlm", ["ps", "(Get-SCVMHost).Count"], environment: ["WINRM_ENCRYPTION": "never"])
        #expect(plain["http_status"] as? Int == 500 && (plain["message"] as? String)?.contains("AllowUnencrypted") == true, "\(plain)")
        let dir = try scratchDirectory("cfg")
        defer { try? FileManager.default.removeItem(at: dir) }
        func list(_ parameters: String, password: String? = nil) throws -> CommandResult {
            let path = try writeConfig(in: dir, [("vmm", simulator.uri().replacingOccurrences(of: "auth=basic", with: parameters), simulator.backendExtra)])
            var environment = simulator.environment
            if let password { environment = environment.mapValues { _ in password } }
            return try runCommand(Paths.virtfed, ["--config", path, "list", "--all"], environment: environment)
        }
        // virtfed's default over http and auth=ntlm: sealed, accepted.
        for parameters in ["auth=ntlm", "encryption=auto"] {
            let sealed = try list(parameters)
            #expect(sealed.status == 0 && sealed.stdout.contains("vmm/xen-db-01"), "\(parameters): \(sealed)")
        }
        for parameters in ["auth=basic", "auth=ntlm&encryption=never"] {
            let refused = try list(parameters)
            #expect(refused.status != 0 && refused.stderr.contains("backend vmm"), "\(parameters): \(refused)")
        }
        let wrong = try list("auth=ntlm", password: "not-the-password")
        #expect(wrong.status != 0 && wrong.stderr.contains("auth_failed") || wrong.stderr.contains("authentication"), "\(wrong)")
        #expect(!wrong.stderr.contains("not-the-password") && !simulator.log.contains("not-the-password"))
    }

    @Test("A wrong password is HTTP 401, over Basic and NTLM", arguments: ["basic", "ntlm"])
    func wrongPassword(_ transport: String) throws {
        let simulator = try SimulatedSCVMM()
        let answer = try PyWinRM.run(simulator, transport: transport, password: "not-the-password", ["cmd", "echo", "x"])
        #expect(answer["http_status"] as? Int == 401, "\(answer)")
        #expect(answer["exception"] as? String == "InvalidCredentialsError")
        #expect(!simulator.log.contains("not-the-password"))
    }

    @Test("--command-ms beyond pywinrm's operation timeout: Receive times out (w:TimedOut), pywinrm retries and gets the output")
    func receiveTimeoutRetries() throws {
        let simulator = try SimulatedSCVMM(extra: ["--command-ms", "2500"])
        let started = Date()
        let answer = try PyWinRM.run(simulator, transport: "basic", ["cmd", "echo", "slow"],
                                     environment: ["WINRM_OPERATION_TIMEOUT": "1", "WINRM_READ_TIMEOUT": "3"])
        #expect(answer["stdout"] as? String == "slow\r\n", "\(answer)")
        #expect(Date().timeIntervalSince(started) >= 2.4)
    }

    @Test("https (--tls-cert/--tls-key): pywinrm over TLS with NTLM (no message encryption on https) and Basic")
    func https() throws {
        let dir = try scratchDirectory("scvmm-tls")
        defer { try? FileManager.default.removeItem(at: dir) }
        let cert = dir.appendingPathComponent("cert.pem").path, key = dir.appendingPathComponent("key.pem").path
        let made = try runCommand("/usr/bin/openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
                                                       "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", cert])
        #expect(made.status == 0, "\(made)")
        let simulator = try SimulatedSCVMM(extra: ["--tls-cert", cert, "--tls-key", key])
        for transport in ["ntlm", "basic"] {
            let answer = try PyWinRM.run(simulator, transport: transport, ["ps", "(Get-SCVirtualMachine -All).Count"],
                                         environment: ["WINRM_CERT_VALIDATION": "ignore"])
            #expect(answer["stdout"] as? String == "13\r\n", "\(answer)")
            #expect(answer["encrypted"] as? Bool == false)
        }
    }

    @Test("https with --cbt-hardening-level Strict: pywinrm's NTLM (requests_ntlm binds to the certificate's hash) is accepted, bound",
          arguments: ["sha256", "sha384"])
    func httpsStrictChannelBinding(_ digest: String) throws {
        let dir = try scratchDirectory("scvmm-cbt")
        defer { try? FileManager.default.removeItem(at: dir) }
        let (cert, key) = try ChannelBindingTests.certificate(in: dir, name: "listener", digest: digest)
        let simulator = try SimulatedSCVMM(extra: ["--tls-cert", cert, "--tls-key", key, "--cbt-hardening-level", "Strict"], strict: true)
        let answer = try PyWinRM.run(simulator, transport: "ntlm", ["ps", "(Get-SCVirtualMachine -All).Count"],
                                     environment: ["WINRM_CERT_VALIDATION": "ignore"])
        #expect(answer["stdout"] as? String == "13\r\n", "\(answer)\n\(simulator.log.suffix(1500))")
        #expect(simulator.log.contains("channel_bound=true") && !simulator.log.contains("channel_bound=false"), "\(simulator.log.suffix(1500))")
    }

    @Test("https with --allow-certificate: pywinrm's transport='certificate' (cert_pem, cert_key_pem, the https/mutual header) is mapped and served; another CA's certificate, or a listener without it, is 401")
    func certificateAuthentication() throws {
        let dir = try scratchDirectory("scvmm-cert")
        defer { try? FileManager.default.removeItem(at: dir) }
        let (cert, key) = try ChannelBindingTests.certificate(in: dir, name: "listener", digest: "sha256")
        let clients = try ClientCertificates(in: dir)
        let mapping = ["--client-ca", clients.ca, "--cert-mapping", "\(clients.upn)=\(SimulatedSCVMM.user)"]
        let simulator = try SimulatedSCVMM(extra: ["--tls-cert", cert, "--tls-key", key, "--allow-certificate"] + mapping, strict: true)
        func run(_ simulator: SimulatedSCVMM, _ client: ClientCertificates.Pair) throws -> [String: Any] {
            try PyWinRM.run(simulator, transport: "certificate", ["ps", "(Get-SCVirtualMachine -All).Count"],
                            environment: ["WINRM_CERT_VALIDATION": "ignore", "WINRM_CERT_PEM": client.cert, "WINRM_CERT_KEY_PEM": client.key])
        }
        let answer = try run(simulator, clients.good)
        #expect(answer["stdout"] as? String == "13\r\n" && answer["encrypted"] as? Bool == false, "\(answer)\n\(simulator.log.suffix(1500))")
        #expect(simulator.log.contains("certificate authenticated") && simulator.log.contains("upn=\(clients.upn)"), "\(simulator.log.suffix(1500))")
        let other = try run(simulator, clients.otherCA)
        #expect(other["http_status"] as? Int == 401 && other["exception"] as? String == "InvalidCredentialsError", "\(other)")
        #expect(simulator.log.contains("does not chain to an issuer"), "\(simulator.log.suffix(1500))")

        let off = try SimulatedSCVMM(extra: ["--tls-cert", cert, "--tls-key", key] + mapping, strict: true)
        let refused = try run(off, clients.good)
        #expect(refused["http_status"] as? Int == 401, "\(refused)")
        #expect(off.log.contains("Service/Auth/Certificate = false"), "\(off.log.suffix(1500))")
    }

    @Test("Fault options reach pywinrm: --fail-fraction 1 is a WSManFault, --deny is access denied (1603), --fail-jobs 1 fails the job")
    func faults() throws {
        let failing = try SimulatedSCVMM(extra: ["--fail-fraction", "1"])
        let fault = try PyWinRM.run(failing, transport: "basic", ["cmd", "echo", "x"])
        #expect(fault["exception"] as? String == "WSManFaultError", "\(fault)")
        #expect((fault["message"] as? String)?.contains("Simulated internal error") == true)

        let strict = try SimulatedSCVMM(extra: ["--deny", "web-01", "--fail-jobs", "1"])
        let denied = try PyWinRM.run(strict, transport: "basic", ["ps", "Get-SCVirtualMachine -Name 'web-01' | Stop-SCVirtualMachine -Shutdown"])
        #expect(denied["status"] as? Int == 1)
        #expect((denied["stderr"] as? String).map(unwrappedErrorText)?.hasPrefix("Stop-SCVirtualMachine : You do not have access to the specified object. (Error ID: 1603)") == true)
        let start = "$null = Get-SCVirtualMachine -Name 'build-agent' | Start-SCVirtualMachine -RunAsynchronously -JobVariable 'job'; $job.ID"
        let id = try #require((try PyWinRM.run(strict, transport: "basic", ["ps", start])["stdout"] as? String)?.trimmingCharacters(in: .whitespacesAndNewlines))
        usleep(300_000)
        let job = try PyWinRM.run(strict, transport: "basic", ["ps", "Get-SCJob -ID '\(id)' | Select-Object @{N='S'; E={[string]$_.Status}}, @{N='E'; E={[string]$_.ErrorInfo}} | ConvertTo-Json -Compress"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(((job["stdout"] as? String) ?? "").utf8)) as? [String: Any])
        #expect(object["S"] as? String == "Failed")
        #expect((object["E"] as? String)?.hasSuffix("(Error ID: 12711)") == true)
    }

    @Test("--module-progress: a successful script that imports a module has progress CLIXML on stderr and exit 0; pywinrm's cleaner leaves errors alone")
    func moduleProgress() throws {
        let simulator = try SimulatedSCVMM(extra: ["--module-progress"])
        let ok = try PyWinRM.run(simulator, transport: "basic", ["ps", "Import-Module VirtualMachineManager\n(Get-SCVMHost).Count"])
        #expect(ok["status"] as? Int == 0 && ok["stdout"] as? String == "3\r\n")
        #expect((ok["stderr"] as? String)?.contains("Preparing modules for first use.") == true)
        let failed = try PyWinRM.run(simulator, transport: "basic", ["ps", "Import-Module VirtualMachineManager\nthrow 'boom'"])
        #expect(failed["status"] as? Int == 1 && (failed["stderr"] as? String)?.hasPrefix("boom\n") == true)
    }
}
