import JSONText

/// The inventory script's JSON as rows, read leniently (`PowerShellJSON`): both spellings of the
/// enum and list columns (ManageIQ's capture has `VirtualMachineStateString`, `VirtualHardDisks`
/// …; where both are present the script's own wins), numbers written as text, lists PowerShell
/// unrolled or wrapped.
extension SCVMMInventory {
    /// One VM as the script writes it.
    struct Row: PowerShellRow {
        var name, id, vmID, biosGuid, hostName: String?
        var platform = Spelled<String?>(nil), state = Spelled<String?>(nil), status = Spelled<String?>(nil)
        var cpuCount, memoryMB, maximumMemoryMB: Int?
        var cpuUtilization, memoryInUse, diskRead, diskWrite: Int?
        var disks = Spelled<[SCVMMLoad.Disk]>([]), adapters = Spelled<[SCVMMLoad.Adapter]>([])
        /// Whether any load or device column was there.
        var hasLoad = false

        mutating func read(_ member: String, from cursor: inout JSONCursor) -> Bool {
            switch member {
            case "Name": return PowerShellJSON.text(&cursor, into: &name)
            case "ID": return PowerShellJSON.text(&cursor, into: &id)
            case "VMId": return PowerShellJSON.text(&cursor, into: &vmID)
            case "BiosGuid": return PowerShellJSON.text(&cursor, into: &biosGuid)
            case "HostName": return PowerShellJSON.text(&cursor, into: &hostName)
            case "VirtualizationPlatform", "VirtualizationPlatformString": return platform.readText(member, &cursor)
            case "VirtualMachineState", "VirtualMachineStateString": return state.readText(member, &cursor)
            case "Status", "StatusString": return status.readText(member, &cursor)
            case "CPUCount": return PowerShellJSON.integer(&cursor, into: &cpuCount)
            case "Memory": return PowerShellJSON.integer(&cursor, into: &memoryMB)
            case "DynamicMemoryMaximumMB": return PowerShellJSON.integer(&cursor, into: &maximumMemoryMB)
            case "PerfCPUUtilization", "PerfMemory", "PerfDiskBytesRead", "PerfDiskBytesWrite", "Disks", "VirtualHardDisks", "Adapters",
                 "VirtualNetworkAdapters":
                hasLoad = true
                return readLoad(member, from: &cursor)
            default: return cursor.skipValue()
            }
        }

        private mutating func readLoad(_ member: String, from cursor: inout JSONCursor) -> Bool {
            switch member {
            case "PerfCPUUtilization": PowerShellJSON.integer(&cursor, into: &cpuUtilization)
            case "PerfMemory": PowerShellJSON.integer(&cursor, into: &memoryInUse)
            case "PerfDiskBytesRead": PowerShellJSON.integer(&cursor, into: &diskRead)
            case "PerfDiskBytesWrite": PowerShellJSON.integer(&cursor, into: &diskWrite)
            case "Disks", "VirtualHardDisks": disks.read(preferred: member == "Disks", &cursor) { PowerShellJSON.rows(&$0, into: &$1) }
            default: adapters.read(preferred: member == "Adapters", &cursor) { PowerShellJSON.rows(&$0, into: &$1) }
            }
        }

        /// Its load and devices, when the row has any of their columns.
        var load: SCVMMLoad? {
            guard hasLoad else { return nil }
            func count(_ value: Int?) -> UInt64? { value.map { UInt64(max(0, $0)) } }
            func rate(_ value: Int?) -> Double? { value.map { Double(max(0, $0)) } }
            return SCVMMLoad(
                cpuPercent: rate(cpuUtilization).map { min($0, 100) }, memoryMB: count(memoryInUse),
                diskReadBps: rate(diskRead), diskWriteBps: rate(diskWrite), disks: disks.value, adapters: adapters.value)
        }
    }

    /// A column under either of its two spellings; the script's own wins when present, even
    /// empty.
    struct Spelled<Value> {
        private var preferred: Value, other: Value
        private var hasPreferred = false

        init(_ empty: Value) {
            (preferred, other) = (empty, empty)
        }

        /// Reads the column, under the script's own spelling or the other, with `reader`.
        mutating func read(preferred isPreferred: Bool, _ cursor: inout JSONCursor, with reader: (inout JSONCursor, inout Value) -> Bool) -> Bool {
            guard isPreferred else { return reader(&cursor, &other) }
            hasPreferred = true
            return reader(&cursor, &preferred)
        }

        var value: Value { hasPreferred ? preferred : other }
    }

    /// One managed host as the script writes it.
    struct HostRow: PowerShellRow {
        var name, processorModel, osVersion: String?
        var platform = Spelled<String?>(nil), communicationState = Spelled<String?>(nil)
        var logicalProcessors, memoryBytes, mhz, coresPerCPU, sockets: Int?

        mutating func read(_ member: String, from cursor: inout JSONCursor) -> Bool {
            switch member {
            case "Name": PowerShellJSON.text(&cursor, into: &name)
            case "VirtualizationPlatform", "VirtualizationPlatformString": platform.readText(member, &cursor)
            case "CommunicationState", "CommunicationStateString": communicationState.readText(member, &cursor)
            case "LogicalProcessorCount": PowerShellJSON.integer(&cursor, into: &logicalProcessors)
            case "TotalMemory": PowerShellJSON.integer(&cursor, into: &memoryBytes)
            case "ProcessorModel": PowerShellJSON.text(&cursor, into: &processorModel)
            case "ProcessorSpeed": PowerShellJSON.integer(&cursor, into: &mhz)
            case "CoresPerCPU": PowerShellJSON.integer(&cursor, into: &coresPerCPU)
            case "PhysicalCPUCount": PowerShellJSON.integer(&cursor, into: &sockets)
            case "OperatingSystemVersionString": PowerShellJSON.text(&cursor, into: &osVersion)
            default: cursor.skipValue()
            }
        }

        var host: ManagedHost {
            ManagedHost(
                name: name ?? "unknown", platform: SCVMMStateMapping.platform(platform.value), communicationState: communicationState.value,
                logicalProcessors: logicalProcessors ?? 0, memoryBytes: UInt64(max(0, memoryBytes ?? 0)), processorModel: processorModel,
                mhz: mhz ?? 0, coresPerCPU: coresPerCPU ?? 0, sockets: sockets ?? 0, osVersion: osVersion)
        }
    }
}

extension SCVMMInventory.Spelled<String?> {
    /// Reads a text column: the script's own spelling, unless `member` ends in `String`.
    mutating func readText(_ member: String, _ cursor: inout JSONCursor) -> Bool {
        read(preferred: !member.hasSuffix("String"), &cursor) { PowerShellJSON.text(&$0, into: &$1) }
    }
}

extension SCVMMLoad.Disk: PowerShellRow {
    mutating func read(_ member: String, from cursor: inout JSONCursor) -> Bool {
        var value: Int?
        switch member {
        case "Location": return PowerShellJSON.text(&cursor, into: &location)
        case "MaximumSize", "Size": guard PowerShellJSON.integer(&cursor, into: &value) else { return false }
        default: return cursor.skipValue()
        }
        let bytes = value.map { UInt64(max(0, $0)) }
        if member == "Size" { size = bytes } else { maximumSize = bytes }
        return true
    }
}

extension SCVMMLoad.Adapter: PowerShellRow {
    mutating func read(_ member: String, from cursor: inout JSONCursor) -> Bool {
        var value: Int?
        switch member {
        case "MACAddress": return PowerShellJSON.text(&cursor, into: &mac)
        case "VirtualNetwork": return PowerShellJSON.text(&cursor, into: &network)
        case "PerfNetworkKBytesRead", "PerfNetworkKBytesWrite": guard PowerShellJSON.integer(&cursor, into: &value) else { return false }
        default: return cursor.skipValue()
        }
        let rate = value.map { Double(max(0, $0)) }
        if member == "PerfNetworkKBytesRead" { readKBps = rate } else { writeKBps = rate }
        return true
    }
}
