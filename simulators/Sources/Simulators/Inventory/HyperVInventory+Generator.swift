/// Synthetic inventories for benchmarks and load tests.
extension HyperVInventory {
    /// A host like hv01 with `count` VMs named `vm-00001`…, deterministic GUIDs, and states
    /// cycling through running, off, saved and paused (half of them running).
    public static func generated(vmCount count: Int, hostName: String = "hv-bench") -> HyperVInventory {
        let host = HostSpec(name: hostName, dnsHostName: "\(hostName).lab.local",
                            cpuModel: "Intel(R) Xeon(R) Gold 6230 CPU @ 2.10GHz", sockets: 2, coresPerSocket: 20,
                            logicalPerSocket: 40, mhz: 2100, memoryBytes: 274_877_906_944, osVersion: "10.0.17763")
        let states = [2, 3, 2, 6, 2, 9, 2, 3]
        let vms = (0..<max(0, count)).map { index in
            let digits = String(index + 1)
            let name = "vm-" + String(repeating: "0", count: max(0, 5 - digits.count)) + digits
            return VMSpec(name: name, guid: GUIDText.derived("\(hostName)/\(name)"),
                          biosGuid: GUIDText.derived("\(hostName)/\(name)/bios"), enabledState: states[index % states.count],
                          vcpus: [1, 2, 4, 8][index % 4], memoryMiB: 1024 * (1 + index % 8), maxMemoryMiB: 2048 * (1 + index % 8),
                          notes: "generated VM \(index + 1)")
        }
        return HyperVInventory(host: host, vms: vms)
    }
}
