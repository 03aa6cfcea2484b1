/// The `ResourceSubType`s of the devices the plugin adds to a new VM.
enum HyperVDevice {
    static let ideController = "Microsoft:Hyper-V:Emulated IDE Controller"
    static let scsiController = "Microsoft:Hyper-V:Synthetic SCSI Controller"
    static let diskDrive = "Microsoft:Hyper-V:Synthetic Disk Drive"
    static let dvdDrive = "Microsoft:Hyper-V:Synthetic DVD Drive"
    static let hardDiskImage = "Microsoft:Hyper-V:Virtual Hard Disk"
    static let opticalImage = "Microsoft:Hyper-V:Virtual CD/DVD Disk"
    static let syntheticPort = "Microsoft:Hyper-V:Synthetic Ethernet Port"
    static let ethernetConnection = "Microsoft:Hyper-V:Ethernet Connection"
}
