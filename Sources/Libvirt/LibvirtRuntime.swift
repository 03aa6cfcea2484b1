import CLibvirt
import Foundation

/// Process-wide libvirt set-up, done once before the first connection: library
/// initialisation, libvirt's stderr printer silenced, and the default event loop running on
/// a dedicated thread (keepalive, close callbacks and domain events need it).
public enum LibvirtRuntime {
    private static let started: Bool = {
        virInitialize()
        virSetErrorFunc(nil, { _, _ in })
        guard virEventRegisterDefaultImpl() == 0 else { return false }
        let thread = Thread {
            while true { _ = virEventRunDefaultImpl() }
        }
        thread.name = "libvirt-event-loop"
        thread.stackSize = 1 << 20
        thread.start()
        return true
    }()

    /// Makes sure the runtime is set up; cheap after the first call.
    @discardableResult
    public static func start() -> Bool { started }

    /// libvirt's own version, dotted (`9.0.0`).
    public static var libraryVersion: String {
        start()
        var version: UInt = 0
        guard virGetVersion(&version, nil, nil) == 0 else { return "unknown" }
        return formatVersion(version)
    }

    /// Formats libvirt's packed `major * 1_000_000 + minor * 1_000 + release`.
    public static func formatVersion(_ packed: UInt) -> String {
        "\(packed / 1_000_000).\((packed / 1_000) % 1_000).\(packed % 1_000)"
    }
}
