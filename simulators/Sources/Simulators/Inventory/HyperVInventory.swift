import Foundation

/// The simulated Hyper-V host and its virtual machines, read from JSON:
///
/// ```json
/// {
///   "host": {"name": "hv01", "dnsHostName": "hv01.lab.local",
///            "cpuModel": "Intel(R) Xeon(R) Gold 6230 CPU @ 2.10GHz",
///            "sockets": 2, "coresPerSocket": 20, "logicalPerSocket": 40, "mhz": 2100,
///            "memoryBytes": 274877906944, "osVersion": "10.0.17763",
///            "uuid": "optional host UUID (Win32_ComputerSystemProduct.UUID)",
///            "switches": ["optional: virtual switches besides Default Switch and the VMs' own"],
///            "files": ["optional: C:\\Images\\ws2022.iso, VHD(X)s and ISOs a new VM can be given"]},
///   "vms": [{"name": "sql-01", "guid": "7A3E0C4B-…", "biosGuid": "…", "enabledState": 2,
///            "vcpus": 4, "memoryMiB": 8192, "maxMemoryMiB": 16384, "notes": "optional",
///            "generation": 2, "disks": [{"path": "C:\\VMs\\sql-01.vhdx"}],
///            "nics": [{"mac": "00155D0A0B01", "switch": "External"}]}]
/// }
/// ```
///
/// `enabledState` is a Hyper-V v2 steady state: 2 running, 3 off, 6 saved, 9 paused.
/// `generation`, `disks` and `nics` are optional (defaults: generation 2, one disk
/// `C:\ProgramData\Microsoft\Windows\Virtual Hard Disks\<name>.vhdx`, one adapter with a dynamic MAC
/// `00155D` + the GUID's last 6 hex digits on `Default Switch`; see `VMSpec+Devices`).
/// GUIDs may be written in either case (BIOS GUIDs also in braces); the simulator emits them in
/// uppercase as Hyper-V does (`Name`, `VirtualSystemIdentifier`, `BIOSGUID` as `{…}`), and WQL
/// string comparison is case-insensitive, so libvirt's lowercase `Name = '…'` matches.
public struct HyperVInventory: Sendable, Equatable, Codable {
    /// The hosting computer.
    public var host: HostSpec
    /// The virtual machines, in enumeration order.
    public var vms: [VMSpec]

    /// Creates an inventory.
    public init(host: HostSpec, vms: [VMSpec]) {
        self.host = host
        self.vms = vms
    }

    /// Reads and validates an inventory file.
    public static func load(path: String) throws(InventoryError) -> HyperVInventory {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw InventoryError("cannot read \(path): \(error.localizedDescription)")
        }
        return try decode(data, source: path)
    }

    /// Decodes and validates inventory JSON.
    public static func decode(_ data: Data, source: String = "inventory") throws(InventoryError) -> HyperVInventory {
        let inventory: HyperVInventory
        do { inventory = try JSONDecoder().decode(HyperVInventory.self, from: data) } catch {
            throw InventoryError("\(source): invalid inventory JSON: \(error)")
        }
        try inventory.validate()
        return inventory
    }

    /// Checks GUIDs, states, uniqueness and sizes.
    public func validate() throws(InventoryError) {
        guard !host.name.isEmpty else { throw InventoryError("host.name is empty") }
        guard host.sockets > 0, host.coresPerSocket > 0, host.logicalPerSocket >= host.coresPerSocket else {
            throw InventoryError("host CPU topology must have sockets > 0, coresPerSocket > 0 and logicalPerSocket >= coresPerSocket")
        }
        var seen = Set<String>()
        for vm in vms {
            guard GUIDText.normalized(vm.guid) != nil else { throw InventoryError("VM \(vm.name): guid \(vm.guid) is not a GUID") }
            guard GUIDText.normalized(vm.biosGuid) != nil else { throw InventoryError("VM \(vm.name): biosGuid \(vm.biosGuid) is not a GUID") }
            guard [2, 3, 6, 9].contains(vm.enabledState) else {
                throw InventoryError("VM \(vm.name): enabledState \(vm.enabledState) is not one of 2 (running), 3 (off), 6 (saved), 9 (paused)")
            }
            guard vm.vcpus > 0, vm.memoryMiB > 0, vm.maxMemoryMiB >= vm.memoryMiB else {
                throw InventoryError("VM \(vm.name): needs vcpus > 0 and 0 < memoryMiB <= maxMemoryMiB")
            }
            if let generation = vm.generation, ![1, 2].contains(generation) {
                throw InventoryError("VM \(vm.name): generation \(generation) is not 1 or 2")
            }
            for disk in vm.disks ?? [] where disk.path.isEmpty { throw InventoryError("VM \(vm.name): a disk has an empty path") }
            for nic in vm.nics ?? [] {
                if let mac = nic.mac, NetworkAdapterSpec.normalizedMAC(mac) == nil {
                    throw InventoryError("VM \(vm.name): mac \(mac) is not 12 hex digits")
                }
                if nic.switch?.isEmpty == true { throw InventoryError("VM \(vm.name): a nic has an empty switch name") }
            }
            guard seen.insert(vm.guid.lowercased()).inserted else { throw InventoryError("VM \(vm.name): duplicate guid \(vm.guid)") }
        }
    }
}
