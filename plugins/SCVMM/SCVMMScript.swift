import BrokerCore

/// The PowerShell the plugin sends, exactly as docs/scvmm-wire.md writes it, and the one
/// place that puts outside values into a script: every value is a single-quoted PowerShell
/// literal (`quoted`), and GUIDs are validated as GUIDs before they are used at all.
enum SCVMMScript {
    /// Connects to the VMM server on the machine the shell runs on.
    static let prelude = """
        $ErrorActionPreference = 'Stop'
        Import-Module VirtualMachineManager
        $vmm = Get-SCVMMServer -ComputerName \(quoted("localhost"))
        """

    /// The host properties read, enums as their names.
    static let hostSelect = "Select-Object Name, ID, @{Name='VirtualizationPlatform'; Expression={[string]$_.VirtualizationPlatform}}, "
        + "@{Name='CommunicationState'; Expression={[string]$_.CommunicationState}}, LogicalProcessorCount, TotalMemory, "
        + "ProcessorModel, ProcessorSpeed, CoresPerCPU, PhysicalCPUCount, OperatingSystemVersionString"

    /// The VM properties a listing of `detail` reads, enums as their names: the record; for a
    /// full listing also `PerfCPUUtilization` (CPU time); for a load listing every `Perf*`
    /// property and the disks and adapters.
    static func vmSelect(_ detail: ListingDetail) -> String {
        var select = "Select-Object Name, ID, VMId, BiosGuid, HostName, "
            + "@{Name='VirtualizationPlatform'; Expression={[string]$_.VirtualizationPlatform}}, "
            + "@{Name='VirtualMachineState'; Expression={[string]$_.VirtualMachineState}}, "
            + "@{Name='Status'; Expression={[string]$_.Status}}, CPUCount, Memory, DynamicMemoryMaximumMB"
        switch detail {
        case .states:
            break
        case .full:
            select += ", PerfCPUUtilization"
        case .load:
            select += ", PerfCPUUtilization, PerfMemory, PerfDiskBytesRead, PerfDiskBytesWrite, "
                + "@{Name='Disks'; Expression={@($_.VirtualHardDisks | Select-Object Location, Size, MaximumSize)}}, "
                + "@{Name='Adapters'; Expression={@($_.VirtualNetworkAdapters | Select-Object MACAddress, VirtualNetwork, PerfNetworkKBytesRead, PerfNetworkKBytesWrite)}}"
        }
        return select
    }

    /// The job properties read.
    static let jobSelect = "Select-Object ID, Name, @{Name='Status'; Expression={[string]$_.Status}}, Progress, "
        + "@{Name='ErrorInfo'; Expression={[string]$_.ErrorInfo}}"

    /// Every host and every VM, with what `detail` asks, in one round trip.
    static func inventory(_ detail: ListingDetail) -> String {
        prelude + "\n" + """
            $hosts = @(Get-SCVMHost -VMMServer $vmm | \(hostSelect))
            $vms = @(Get-SCVirtualMachine -VMMServer $vmm -All | \(vmSelect(detail)))
            ConvertTo-Json -Depth 5 -Compress -InputObject @{ server = $vmm.FQDN; hosts = $hosts; vms = $vms }
            """
    }

    /// One VM by its VMM object ID; `vms` is empty when there is none.
    static func vm(id: String) throws(BackendError) -> String {
        prelude + "\n" + """
            $vm = Get-SCVirtualMachine -VMMServer $vmm -ID \(quoted(try guid(id)))
            ConvertTo-Json -Depth 5 -Compress -InputObject @{ vms = @($vm | \(vmSelect(.full))) }
            """
    }

    /// Starts `action` as a VMM job on the VM with VMM object ID `id` and reports the job.
    /// `reboot` has no cmdlet of its own: the session runs shutdown, then start.
    static func action(_ action: DomainAction, id: String) throws(BackendError) -> String {
        let checked = try guid(id)
        let verb: String
        switch action {
        case .start: verb = "Start-SCVirtualMachine -VM $vm"
        case .shutdown: verb = "Stop-SCVirtualMachine -VM $vm -Shutdown"
        case .destroy: verb = "Stop-SCVirtualMachine -VM $vm -Force"
        case .save: verb = "Stop-SCVirtualMachine -VM $vm -SaveState"
        case .suspend: verb = "Suspend-SCVirtualMachine -VM $vm"
        case .resume: verb = "Resume-SCVirtualMachine -VM $vm"
        case .reset: verb = "Reset-SCVirtualMachine -VM $vm"
        case .reboot: throw BackendError(.internal, "reboot is a shutdown job followed by a start job")
        }
        return prelude + "\n" + """
            $vm = Get-SCVirtualMachine -VMMServer $vmm -ID \(quoted(checked))
            if ($null -eq $vm) { throw \(quoted("\(SCVMMErrorMapping.notFoundMarker): \(checked)")) }
            $null = \(verb) -RunAsynchronously -JobVariable 'job'
            ConvertTo-Json -Depth 3 -Compress -InputObject @{ job = ($job | \(jobSelect)) }
            """
    }

    /// The progress and outcome of VMM job `id`.
    static func job(id: String) throws(BackendError) -> String {
        prelude + "\n" + """
            $job = Get-SCJob -VMMServer $vmm -ID \(quoted(try guid(id)))
            ConvertTo-Json -Depth 3 -Compress -InputObject @{ job = ($job | \(jobSelect)) }
            """
    }

    /// Cancels VMM job `id` (`Stop-SCJob`) and reports the job as it stands after.
    static func stopJob(id: String) throws(BackendError) -> String {
        prelude + "\n" + """
            $job = Get-SCJob -VMMServer $vmm -ID \(quoted(try guid(id)))
            $null = Stop-SCJob -Job $job
            $job = Get-SCJob -VMMServer $vmm -ID \(quoted(try guid(id)))
            ConvertTo-Json -Depth 3 -Compress -InputObject @{ job = ($job | \(jobSelect)) }
            """
    }

    /// `value` as a single-quoted PowerShell string literal. Inside single quotes only a quote
    /// is special; PowerShell counts U+2018…U+201B as quotes too, so each is doubled like `'`.
    /// `$`, backticks, `;`, `"` and line breaks stay literal.
    static func quoted(_ value: String) -> String {
        var out = "'"
        for character in value.unicodeScalars {
            out.unicodeScalars.append(character)
            if singleQuotes.contains(character) { out.unicodeScalars.append(character) }
        }
        return out + "'"
    }

    /// The characters PowerShell accepts as a single quote.
    static let singleQuotes: Set<Unicode.Scalar> = ["'", "\u{2018}", "\u{2019}", "\u{201A}", "\u{201B}"]

    /// `value` if it is a GUID (`8-4-4-4-12` hex digits, braces allowed), lowercased and
    /// without braces; anything else is refused before it gets near a script.
    static func guid(_ value: String) throws(BackendError) -> String {
        var text = Substring(value)
        if text.hasPrefix("{") && text.hasSuffix("}") && text.count >= 2 { text = text.dropFirst().dropLast() }
        let groups = text.split(separator: "-", omittingEmptySubsequences: false)
        guard groups.map(\.count) == [8, 4, 4, 4, 12],
              groups.allSatisfy({ $0.unicodeScalars.allSatisfy { $0.properties.isASCIIHexDigit } })
        else {
            throw BackendError(.invalidArgument, "not a GUID: '\(value)'")
        }
        return text.lowercased()
    }
}
