import Foundation
import Simulators

/// The scripts of docs/scvmm-wire.md, word for word, and a way to run them on a model.
enum SCVMMScripts {
    /// The product package's root (simulators/ is one level below it): its fixtures and config.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let fixture = root.appendingPathComponent("Tests/Fixtures/scvmm/get_inventory_output.json").path
    static let demo = root.appendingPathComponent("config/scvmm-demo.json").path

    /// A value as a single-quoted PowerShell string, as the plugin writes it.
    static func quoted(_ text: String) -> String {
        var out = "'"
        for character in text {
            if character == "'" || ("\u{2018}"..."\u{201B}").contains(character) { out.append(character) }
            out.append(character)
        }
        return out + "'"
    }

    static let prologue = """
        $ErrorActionPreference = 'Stop'
        Import-Module VirtualMachineManager
        $vmm = Get-SCVMMServer -ComputerName 'localhost'
        """

    static let vmSelect = "Select-Object Name, ID, VMId, BiosGuid, HostName, @{Name='VirtualizationPlatform'; Expression={[string]$_.VirtualizationPlatform}}, @{Name='VirtualMachineState'; Expression={[string]$_.VirtualMachineState}}, @{Name='Status'; Expression={[string]$_.Status}}, CPUCount, Memory, DynamicMemoryMaximumMB"

    /// The VM listing's select with devices and performance (the product's next inventory script).
    static let vmSelectWithPerformance = "Select-Object Name, ID, VMId, BiosGuid, HostName, @{Name='VirtualizationPlatform'; Expression={[string]$_.VirtualizationPlatform}}, @{Name='VirtualMachineState'; Expression={[string]$_.VirtualMachineState}}, @{Name='Status'; Expression={[string]$_.Status}}, CPUCount, Memory, DynamicMemoryMaximumMB, PerfCPUUtilization, PerfMemory, PerfDiskBytesRead, PerfDiskBytesWrite, @{Name='Disks'; Expression={@($_.VirtualHardDisks | Select-Object Location, Size, MaximumSize)}}, @{Name='Adapters'; Expression={@($_.VirtualNetworkAdapters | Select-Object MACAddress, VirtualNetwork, PerfNetworkKBytesRead, PerfNetworkKBytesWrite)}}"

    /// Every VM through `vmSelectWithPerformance`, as one JSON document.
    static let performanceListing = prologue + """

        Get-SCVirtualMachine -VMMServer $vmm -All | \(vmSelectWithPerformance) | ConvertTo-Json -Depth 5 -Compress
        """

    static let inventory = prologue + """

        $hosts = @(Get-SCVMHost -VMMServer $vmm | Select-Object Name, ID, @{Name='VirtualizationPlatform'; Expression={[string]$_.VirtualizationPlatform}}, @{Name='CommunicationState'; Expression={[string]$_.CommunicationState}}, LogicalProcessorCount, TotalMemory, ProcessorModel, ProcessorSpeed, CoresPerCPU, PhysicalCPUCount, OperatingSystemVersionString)
        $vms = @(Get-SCVirtualMachine -VMMServer $vmm -All | \(vmSelect))
        ConvertTo-Json -Depth 3 -Compress -InputObject @{ server = $vmm.FQDN; hosts = $hosts; vms = $vms }
        """

    static func oneVM(_ id: String) -> String {
        prologue + """

            $vm = Get-SCVirtualMachine -VMMServer $vmm -ID \(quoted(id))
            ConvertTo-Json -Depth 3 -Compress -InputObject @{ vms = @($vm | \(vmSelect)) }
            """
    }

    static let jobSelect = "ConvertTo-Json -Depth 3 -Compress -InputObject @{ job = ($job | Select-Object ID, Name, @{Name='Status'; Expression={[string]$_.Status}}, Progress, @{Name='ErrorInfo'; Expression={[string]$_.ErrorInfo}}) }"

    /// The action script; `cmdlet` is a line of the doc's table.
    static func action(_ cmdlet: String, id: String) -> String {
        prologue + """

            $vm = Get-SCVirtualMachine -VMMServer $vmm -ID \(quoted(id))
            if ($null -eq $vm) { throw \(quoted("VirtfedVMNotFound: " + id)) }
            $null = \(cmdlet)
            \(jobSelect)
            """
    }

    static let actionLines: [SCVMMAction: String] = [
        .start: "Start-SCVirtualMachine -VM $vm -RunAsynchronously -JobVariable 'job'",
        .shutdown: "Stop-SCVirtualMachine -VM $vm -Shutdown -RunAsynchronously -JobVariable 'job'",
        .stop: "Stop-SCVirtualMachine -VM $vm -Force -RunAsynchronously -JobVariable 'job'",
        .save: "Stop-SCVirtualMachine -VM $vm -SaveState -RunAsynchronously -JobVariable 'job'",
        .suspend: "Suspend-SCVirtualMachine -VM $vm -RunAsynchronously -JobVariable 'job'",
        .resume: "Resume-SCVirtualMachine -VM $vm -RunAsynchronously -JobVariable 'job'",
        .reset: "Reset-SCVirtualMachine -VM $vm -RunAsynchronously -JobVariable 'job'",
    ]

    static func job(_ id: String) -> String {
        prologue + """

            $job = Get-SCJob -VMMServer $vmm -ID \(quoted(id))
            \(jobSelect)
            """
    }

    /// Runs a script as powershell.exe would on the simulated server.
    static func run(_ script: String, on model: SCVMMModel) -> (stdout: String, stderr: String, exitCode: Int32) {
        let output = SCVMMShellRunner(model: model).runPowerShell(script)
        return (String(decoding: output.stdout, as: UTF8.self), String(decoding: output.stderr, as: UTF8.self), output.exitCode)
    }

    /// stdout parsed as JSON.
    static func json(_ text: String) throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else { throw TestFailure("not a JSON object: \(text)") }
        return object
    }

    /// The error text as pywinrm's `_clean_error_msg` makes it: the `S` texts joined, `_x000D__x000A_` as newlines.
    static func cleaned(_ stderr: String) -> String {
        guard stderr.hasPrefix("#< CLIXML\r\n") else { return stderr }
        var text = ""
        var rest = Substring(stderr)
        while let open = rest.range(of: "<S S=\"Error\">"), let close = rest.range(of: "</S>", range: open.upperBound..<rest.endIndex) {
            text += rest[open.upperBound..<close.lowerBound]
            rest = rest[close.upperBound...]
        }
        return text.replacingOccurrences(of: "_x000D__x000A_", with: "\n").replacingOccurrences(of: "&lt;", with: "<")
            .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&amp;", with: "&")
    }

    /// Error text with powershell.exe's 80-column wrapping undone (see `PSConsoleLayout`).
    static func unwrapped(_ text: String) -> String {
        text.replacingOccurrences(of: " \n   ", with: "").replacingOccurrences(of: " \n", with: " ")
    }
}
