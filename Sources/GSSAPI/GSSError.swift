import CGSSAPI

/// A GSS-API failure: the major and minor status and the library's own words for both
/// (`gss_display_status`), read right after the failing call. Never carries a credential.
public struct GSSError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The major status (`GSS_S_*`).
    public let major: UInt32
    /// The mechanism's minor status.
    public let minor: UInt32
    /// What failed, and the library's explanation.
    public let message: String

    /// Creates an error from a failed call's statuses.
    init(_ what: String, major: OM_uint32, minor: OM_uint32) {
        self.major = major
        self.minor = minor
        let words = [Self.display(major, type: GSS_C_GSS_CODE), Self.display(minor, type: GSS_C_MECH_CODE)].filter { !$0.isEmpty }
        message = "\(what): " + (words.isEmpty ? "GSS-API error \(major)/\(minor)" : words.joined(separator: "; "))
    }

    /// Creates an error with a message of its own.
    public init(_ message: String) {
        major = 0
        minor = 0
        self.message = message
    }

    public var description: String { message }

    private static func display(_ status: OM_uint32, type: Int32) -> String {
        guard status != 0 else { return "" }
        var context: OM_uint32 = 0
        var parts: [String] = []
        repeat {
            var minor: OM_uint32 = 0
            var buffer = gss_buffer_desc()
            let major = gss_display_status(&minor, status, type, nil, &context, &buffer)
            if major != 0 { break }
            if let value = buffer.value, buffer.length > 0 {
                parts.append(String(decoding: UnsafeRawBufferPointer(start: value, count: buffer.length), as: UTF8.self))
            }
            gss_release_buffer(&minor, &buffer)
        } while context != 0 && parts.count < 4
        return parts.joined(separator: ", ")
    }
}
