import Foundation

/// A python-libvirt client (a real peer) holding a connection open, so that the test
/// driver's shared `default` host keeps its state between short-lived CLI processes. It can
/// also answer what state a domain is in, as libvirt itself reports it.
final class HeldConnection {
    private let process = Process()
    private let input = Pipe()
    private let output = Pipe()

    init(uri: String) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-c", """
            import libvirt, sys
            conn = libvirt.open(sys.argv[1])
            print("ready", flush=True)
            for line in sys.stdin:
                dom = conn.lookupByName(line.strip())
                state, reason = dom.state()
                print(state, int(dom.hasManagedSaveImage()), flush=True)
            """, uri]
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        guard readLine() == "ready" else { throw FleetError(message: "python-libvirt could not connect to \(uri)") }
    }

    deinit {
        try? input.fileHandleForWriting.close()
        process.terminate()
        process.waitUntilExit()
    }

    /// libvirt's raw state number and whether a managed-save image exists.
    func state(of name: String) throws -> (state: Int, managedSave: Bool) {
        input.fileHandleForWriting.write(Data("\(name)\n".utf8))
        let parts = (readLine() ?? "").split(separator: " ").compactMap { Int($0) }
        guard parts.count == 2 else { throw FleetError(message: "no state for \(name)") }
        return (parts[0], parts[1] == 1)
    }

    private func readLine() -> String? {
        var bytes: [UInt8] = []
        while true {
            let data = output.fileHandleForReading.readData(ofLength: 1)
            guard let byte = data.first else { return bytes.isEmpty ? nil : String(decoding: bytes, as: UTF8.self) }
            if byte == UInt8(ascii: "\n") { return String(decoding: bytes, as: UTF8.self) }
            bytes.append(byte)
        }
    }
}
