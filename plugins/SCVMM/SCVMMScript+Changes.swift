import BrokerCore
import WinRMSupport

/// The scripts of the verbs beyond power buttons: define (`New-SCHardwareProfile` +
/// `New-SCVirtualMachine`), undefine (`Remove-SCVirtualMachine`), checkpoints
/// (`New-`/`Get-`/`Restore-`/`Remove-SCVMCheckpoint`) and moves (`Move-SCVirtualMachine`).
/// Each starts one VMM job with `-RunAsynchronously -JobVariable 'job'` and reports it as the
/// power actions do; every user-supplied value is a single-quoted literal (`quoted`), every ID a
/// validated GUID.
extension SCVMMScript {
    /// The plugin's markers in its own `throw`s, read back by `SCVMMErrorMapping`.
    static let hostNotFoundMarker = "VirtfedHostNotFound"
    static let alreadyExistsMarker = "VirtfedAlreadyExists"
    static let hasCheckpointsMarker = "VirtfedHasCheckpoints"
    static let templateNotFoundMarker = "VirtfedTemplateNotFound"

    /// Where a new or moved VM's files go: the host's first default VM path, else Hyper-V's default.
    static let defaultVMPath = #"C:\ProgramData\Microsoft\Windows\Hyper-V"#

    /// `$vmhost` = the host named `host`, or the script throws the host marker; `$path` its VM path.
    static func hostLookup(_ host: String) -> String {
        """
        $vmhost = Get-SCVMHost -VMMServer $vmm -ComputerName \(quoted(host))
        if ($null -eq $vmhost) { throw \(quoted("\(hostNotFoundMarker): \(host)")) }
        $path = @($vmhost.VMPaths)[0]
        if ($null -eq $path) { $path = \(quoted(defaultVMPath)) }
        """
    }

    /// `$vm` = the VM with VMM object ID `id`, or the script throws the not-found marker.
    static func vmLookup(_ id: String) throws(BackendError) -> String {
        let checked = try guid(id)
        return """
            $vm = Get-SCVirtualMachine -VMMServer $vmm -ID \(quoted(checked))
            if ($null -eq $vm) { throw \(quoted("\(SCVMMErrorMapping.notFoundMarker): \(checked)")) }
            """
    }

    /// Reports `$job` (and `extra`, a hashtable entry list) as JSON.
    static func reportJob(_ extra: String = "") -> String {
        "ConvertTo-Json -Depth 3 -Compress -InputObject @{ job = ($job | \(jobSelect))\(extra) }"
    }

    /// A new VM on `host` with the definition's processors, memory (MB), generation and
    /// description, through a hardware profile made for it and removed once the VM's job has
    /// started, and with its disks (`New-SCVirtualDiskDrive -UseLocalVirtualHardDisk`: images on
    /// the host, placed by `disks`) and adapters (`New-SCVirtualNetworkAdapter`) joined to it by one
    /// job group; refused (the already-exists marker) when a VM of that name is on that host.
    /// Reports the job and the new VM's `ID`, `VMId` and `BiosGuid`.
    static func define(_ definition: DomainDefinition, host: String, profileName: String, disks: WindowsDiskPlan, jobGroup: String) throws(BackendError) -> String {
        let exists = "if (@(Get-SCVirtualMachine -VMMServer $vmm -Name \(quoted(definition.name)) -VMHost $vmhost).Count -gt 0) { throw \(quoted("\(alreadyExistsMarker): \(definition.name)")) }"
        if let template = definition.template {
            // From the library's template: its hardware, not the definition's.
            return prelude + "\n" + hostLookup(host) + "\n" + """
                \(exists)
                $template = @(Get-SCVMTemplate -VMMServer $vmm -Name \(quoted(template)))[0]
                if ($null -eq $template) { throw \(quoted("\(templateNotFoundMarker): \(template)")) }
                $new = New-SCVirtualMachine -Name \(quoted(definition.name)) -VMHost $vmhost -Path $path -VMTemplate $template -Description \(quoted(definition.description ?? "")) -RunAsynchronously -JobVariable 'job'
                \(reportJob("; vm = ($new | Select-Object ID, VMId, BiosGuid)"))
                """
        }
        let group = try guid(jobGroup)
        var devices = ""
        for placement in disks.placements {
            guard let source = placement.disk.source, let cut = source.lastIndex(of: "\\") else {
                throw BackendError(.invalidArgument, "SCVMM: \(placement.disk.described) needs a full Windows path to the image on the host")
            }
            let (bus, index) = switch placement.controller {
            case .ide(let controller): ("-IDE", controller)
            case .scsi: ("-SCSI", 0)
            }
            devices += "$null = New-SCVirtualDiskDrive -VMMServer $vmm \(bus) -Bus \(index) -LUN \(placement.location) -JobGroup \(quoted(group)) "
                + "-UseLocalVirtualHardDisk -Path \(quoted(String(source[..<cut]))) -FileName \(quoted(String(source[source.index(after: cut)...])))\n"
        }
        for interface in definition.interfaces {
            devices += "$null = New-SCVirtualNetworkAdapter -VMMServer $vmm -JobGroup \(quoted(group)) -Synthetic"
            if let network = interface.network { devices += " -VirtualNetwork \(quoted(network))" }
            if let mac = interface.bareMAC {
                let octets = stride(from: 0, to: 12, by: 2).map { String(mac.dropFirst($0).prefix(2)) }.joined(separator: ":")
                devices += " -MACAddressType Static -MACAddress \(quoted(octets))"
            } else {
                devices += " -MACAddressType Dynamic"
            }
            devices += "\n"
        }
        return prelude + "\n" + hostLookup(host) + "\n" + """
            \(exists)
            $hardware = New-SCHardwareProfile -VMMServer $vmm -Name \(quoted(profileName)) -CPUCount \(definition.vcpus) -MemoryMB \(definition.memoryMiB) -Generation \(definition.uefi ? 2 : 1)
            \(devices)$new = New-SCVirtualMachine -Name \(quoted(definition.name)) -VMHost $vmhost -Path $path -HardwareProfile $hardware -Description \(quoted(definition.description ?? "")) -JobGroup \(quoted(group)) -RunAsynchronously -JobVariable 'job'
            $null = Remove-SCHardwareProfile -HardwareProfile $hardware
            \(reportJob("; vm = ($new | Select-Object ID, VMId, BiosGuid)"))
            """
    }

    /// Removes the VM; unless `withCheckpoints`, a VM with checkpoints is refused (the marker).
    static func undefine(id: String, withCheckpoints: Bool) throws(BackendError) -> String {
        var script = prelude + "\n" + (try vmLookup(id)) + "\n"
        if !withCheckpoints {
            script += "if (@(Get-SCVMCheckpoint -VMMServer $vmm -VM $vm).Count -gt 0) { throw \(quoted("\(hasCheckpointsMarker): the VM has checkpoints")) }\n"
        }
        return script + "$null = Remove-SCVirtualMachine -VM $vm -RunAsynchronously -JobVariable 'job'\n" + reportJob()
    }

    /// A checkpoint of the VM, named and described when asked (VMM names it otherwise).
    static func newCheckpoint(id: String, name: String?, description: String?) throws(BackendError) -> String {
        var command = "$null = New-SCVMCheckpoint -VM $vm"
        if let name { command += " -Name \(quoted(name))" }
        if let description { command += " -Description \(quoted(description))" }
        return prelude + "\n" + (try vmLookup(id)) + "\n" + command + " -RunAsynchronously -JobVariable 'job'\n" + reportJob()
    }

    /// The VM's checkpoints and its `LastRestoredCheckpointID`.
    static func checkpoints(id: String) throws(BackendError) -> String {
        prelude + "\n" + (try vmLookup(id)) + "\n" + """
            $checkpoints = @(Get-SCVMCheckpoint -VMMServer $vmm -VM $vm | Select-Object Name, Description, CheckpointID, ParentCheckpointID, AddedTime)
            ConvertTo-Json -Depth 3 -Compress -InputObject @{ checkpoints = $checkpoints; lastRestored = [string]$vm.LastRestoredCheckpointID }
            """
    }

    /// Restores the checkpoint with `checkpointID`.
    static func restoreCheckpoint(_ checkpointID: String) throws(BackendError) -> String {
        let checked = try guid(checkpointID)
        return prelude + "\n" + """
            $checkpoint = Get-SCVMCheckpoint -VMMServer $vmm -ID \(quoted(checked))
            if ($null -eq $checkpoint) { throw \(quoted("\(SCVMMErrorMapping.notFoundMarker): checkpoint \(checked)")) }
            $null = Restore-SCVMCheckpoint -VMCheckpoint $checkpoint -RunAsynchronously -JobVariable 'job'
            \(reportJob())
            """
    }

    /// Removes `descendants` (deepest first, each waited for) and then the checkpoint itself as
    /// the reported job: one script for a subtree.
    static func removeCheckpoint(_ checkpointID: String, descendants: [String]) throws(BackendError) -> String {
        var script = prelude + "\n"
        for descendant in descendants {
            script += "$null = Remove-SCVMCheckpoint -VMCheckpoint (Get-SCVMCheckpoint -VMMServer $vmm -ID \(quoted(try guid(descendant))))\n"
        }
        let checked = try guid(checkpointID)
        return script + """
            $checkpoint = Get-SCVMCheckpoint -VMMServer $vmm -ID \(quoted(checked))
            if ($null -eq $checkpoint) { throw \(quoted("\(SCVMMErrorMapping.notFoundMarker): checkpoint \(checked)")) }
            $null = Remove-SCVMCheckpoint -VMCheckpoint $checkpoint -RunAsynchronously -JobVariable 'job'
            \(reportJob())
            """
    }

    /// Moves the VM to `host` (another host of this VMM server), into the host's VM path.
    static func move(id: String, host: String) throws(BackendError) -> String {
        prelude + "\n" + (try vmLookup(id)) + "\n" + hostLookup(host) + "\n" + """
            $null = Move-SCVirtualMachine -VM $vm -VMHost $vmhost -Path $path -RunAsynchronously -JobVariable 'job'
            \(reportJob())
            """
    }

    /// Starts the VM with its host (`AlwaysAutoTurnOnVM`) or never (`NeverAutoTurnOnVM`).
    static func setStartAction(id: String, autostart: Bool) throws(BackendError) -> String {
        let action = autostart ? "AlwaysAutoTurnOnVM" : "NeverAutoTurnOnVM"
        return prelude + "\n" + (try vmLookup(id)) + "\n"
            + "$null = Set-SCVirtualMachine -VM $vm -StartAction \(quoted(action)) -RunAsynchronously -JobVariable 'job'\n" + reportJob()
    }
}
