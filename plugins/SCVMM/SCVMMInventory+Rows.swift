import JSONText

/// The inventory script's JSON as rows, read leniently (`PowerShellJSON`): both spellings of the
/// enum and list columns (ManageIQ's capture has `VirtualMachineStateString`, `VirtualHardDisks`
/// …; where both are present the script's own wins), numbers written as text, lists PowerShell
/// unrolled or wrapped.
extension SCVMMInventory {
    /// One VM as the script writes it.
    struct Row: PowerShellRow {
        var name, id, vmID, biosGuid, hostName: String?
        var platform = Spelled(), state = Spelled(), status = Spelled()
        var cpuCount, memoryMB, maximumMemoryMB: Int?
        var cpuUtilization, memoryInUse, diskRead, diskWrite: Int?
        var disks = SpelledRows<SCVMMLoad.Disk>(), adapters = SpelledRows<SCVMMLoad.Adapter>()
        /// Whether any load or device column was there.
        var hasLoad = false

        mutating func read(_ member: String, from cursor: inout JSONCursor) -> Bool {
            switch member {
            case "Name": return PowerShellJSON.text(&cursor, into: &name)
            case "ID": return PowerShellJSON.text(&cursor, into: &id)
            case "VMId": return PowerShellJSON.text(&cursor, into: &vmID)
            case "BiosGuid": return PowerShellJSON.text(&cursor, into: &biosGuid)
            case "HostName": return PowerShellJSON.text(&cursor, into: &hostName)
            case "VirtualizationPlatform", "VirtualizationPlatformString": return platform.read(member, &cursor)
            case "VirtualMachineState", "VirtualMachineStateString": return state.read(member, &cursor)
            case "Status", "StatusString": return status.read(member, &cursor)
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
            case "Disks", "VirtualHardDisks": disks.read(preferred: member == "Disks", &cursor)
            default: adapters.read(preferred: member == "Adapters", &cursor)
            }
        }

        /// Its load and devices, when the row has any of their columns.
        var load: SCVMMLoad? {
            guard hasLoad else { return nil }
            func count(_ value: Int?) -> UInt64? { value.map { UInt64(max(0, $0)) } }
            func rate(_ value: Int?) -> Double? { value.map { Double(max(0, $0)) } }
            return SCVMMLoad(
                cpuPercent: rate(cpuUtilization).map { min($0, 100) }, memoryMB: count(memoryInUse),
                diskReadBps: rate(diskRead), diskWriteBps: rate(diskWrite), disks: disks.rows, adapters: adapters.rows)
        }
    }

    /// A text column under either of its two spellings; the first (the script's own) wins when
    /// present, even empty.
    struct Spelled {
        private var preferred: String?, other: String?
        private var hasPreferred = false

        /// Reads `member`: the first spelling unless it ends in `String`.
        mutating func read(_ member: String, _ cursor: inout JSONCursor) -> Bool {
            guard member.hasSuffix("String") else {
                hasPreferred = true
                return PowerShellJSON.text(&cursor, into: &preferred)
            }
            return PowerShellJSON.text(&cursor, into: &other)
        }

        var value: String? { hasPreferred ? preferred : other }
    }

    /// A list column under either of its two spellings; the script's own wins when present.
    struct SpelledRows<Row: PowerShellRow> {
        private var preferred: [Row] = [], other: [Row] = []
        private var hasPreferred = false

        mutating func read(preferred isPreferred: Bool, _ cursor: inout JSONCursor) -> Bool {
            guard isPreferred else { return PowerShellJSON.rows(&cursor, into: &other) }
            hasPreferred = true
            return PowerShellJSON.rows(&cursor, into: &preferred)
        }

        var rows: [Row] { hasPreferred ? preferred : other }
    }

    /// One managed host as the script writes it.
    struct HostRow: PowerShellRow {
        var name, processorModel, osVersion: String?
        var platform = Spelled(), communicationState = Spelled()
        var logicalProcessors, memoryBytes, mhz, coresPerCPU, sockets: Int?

        mutating func read(_ member: String, from cursor: inout JSONCursor) -> Bool {
            switch member {
            case "Name": PowerShellJSON.text(&cursor, into: &name)
            case "VirtualizationPlatform", "VirtualizationPlatformString": platform.read(member, &cursor)
            case "CommunicationState", "CommunicationStateString": communicationState.read(member, &cursor)
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
