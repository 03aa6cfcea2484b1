import CLibvirt

/// A libvirt error, read from libvirt's thread-local last error right after the failing call.
/// This is the only place that reads `virGetLastError`.
public struct LibvirtError: Error, Sendable, CustomStringConvertible {
    /// libvirt's error number (`virErrorNumber`, e.g. `VIR_ERR_NO_DOMAIN` = 42).
    public let code: Int32
    /// libvirt's error domain (`virErrorDomain`).
    public let domain: Int32
    /// libvirt's message.
    public let message: String

    /// Creates an error with explicit values.
    public init(code: Int32, domain: Int32 = 0, message: String) {
        self.code = code
        self.domain = domain
        self.message = message
    }

    /// Takes the calling thread's last libvirt error and resets it. Must run on the same
    /// thread as the failing call, before anything else calls libvirt (never across an await).
    public static func takeLast(or fallback: @autoclosure () -> String) -> LibvirtError {
        guard let err = virGetLastError() else {
            return LibvirtError(code: Int32(VIR_ERR_INTERNAL_ERROR.rawValue), message: fallback())
        }
        let error = LibvirtError(
            code: err.pointee.code,
            domain: err.pointee.domain,
            message: err.pointee.message.map { String(cString: $0) } ?? fallback()
        )
        virResetLastError()
        return error
    }

    public var description: String { message }

    /// What kind of error libvirt's number says this is.
    public var number: LibvirtErrorNumber { LibvirtErrorNumber(code) }
}
