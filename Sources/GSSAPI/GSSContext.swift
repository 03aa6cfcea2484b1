import CGSSAPI
import Glibc

/// The one owner of a `gss_ctx_id_t`: one security context, for one connection — its tokens
/// exchanged step by step (`Authorization`/`WWW-Authenticate: Negotiate …`), then WinRM's
/// message sealing with its session key (MS-WSMV 2.2.9.1). Not for concurrent use: its owner
/// calls it from one place at a time. Every call is a local computation, except the first
/// Kerberos step, which may ask the KDC for a ticket.
public final class GSSContext: @unchecked Sendable {
    private var handle: gss_ctx_id_t?
    private let target: gss_name_t?
    private let mechanism: GSSMechanism?
    private let credential: GSSCredential?
    /// The channel bindings' application data passed with each step (`tls-server-end-point:`
    /// + the certificate's hash); an acceptor may change it between steps.
    public var channelBinding: [UInt8]?
    private var negotiated: gss_OID?
    /// Whether the handshake is done (the session key is ready).
    public private(set) var isComplete = false
    /// The flags the last step returned (`GSS_C_…_FLAG`).
    private var returnedFlags: OM_uint32 = 0

    /// A context to authenticate to `service` (`HTTP@host`, WinRM's default SPN), with `mechanism`
    /// and `credential` (nil: the default one), bound to a TLS channel when `channelBinding` is
    /// given (`tls-server-end-point:` + the certificate's hash).
    public init(initiatorFor service: String, mechanism: GSSMechanism, credential: GSSCredential?, channelBinding: [UInt8]? = nil) throws(GSSError) {
        var minor: OM_uint32 = 0
        var name: gss_name_t?
        let major = service.withCString { text in
            var buffer = gss_buffer_desc(length: strlen(text), value: UnsafeMutableRawPointer(mutating: text))
            return gss_import_name(&minor, &buffer, virtfed_gss_nt_hostbased_service(), &name)
        }
        guard virtfed_gss_error(major) == 0 else { throw GSSError("cannot read the service name \(service)", major: major, minor: minor) }
        target = name
        self.mechanism = mechanism
        self.credential = credential
        self.channelBinding = channelBinding
    }

    /// A context to accept a client's tokens (servers and tests), with the keytab's credential,
    /// checking the client's channel bindings against `channelBinding` when given (MIT's
    /// Kerberos refuses different ones and accepts none — see `isChannelBound`; gss-ntlmssp
    /// refuses different and missing ones alike).
    public init(acceptor credential: GSSCredential?, channelBinding: [UInt8]? = nil) {
        target = nil
        mechanism = nil
        self.credential = credential
        self.channelBinding = channelBinding
    }

    deinit {
        var minor: OM_uint32 = 0
        if handle != nil { gss_delete_sec_context(&minor, &handle, nil) }
        var name = target
        if name != nil { gss_release_name(&minor, &name) }
    }

    /// One step of the handshake: the peer's last token in (nil to begin), ours out (nil when
    /// there is nothing more to send).
    public func step(_ input: [UInt8]?) throws(GSSError) -> [UInt8]? {
        var minor: OM_uint32 = 0
        var output = gss_buffer_desc()
        defer { gss_release_buffer(&minor, &output) }
        var inputBytes = input ?? []
        var major: OM_uint32 = 0
        inputBytes.withUnsafeMutableBytes { raw in
            var token = gss_buffer_desc(length: input == nil ? 0 : raw.count, value: raw.baseAddress)
            withBindings { bindings in
                if let mechanism {
                    let flags = OM_uint32(GSS_C_MUTUAL_FLAG | GSS_C_REPLAY_FLAG | GSS_C_SEQUENCE_FLAG | GSS_C_CONF_FLAG | GSS_C_INTEG_FLAG)
                    major = gss_init_sec_context(&minor, credential?.handle, &handle, target, mechanism.oid, flags, 0, bindings,
                                                 &token, &negotiated, &output, &returnedFlags, nil)
                } else {
                    major = gss_accept_sec_context(&minor, &handle, credential?.handle, &token, bindings, nil, &negotiated, &output,
                                                   &returnedFlags, nil, nil)
                }
            }
        }
        guard virtfed_gss_error(major) == 0 else {
            throw GSSError(mechanism == nil ? "the client's token was refused" : "authentication failed", major: major, minor: minor)
        }
        isComplete = virtfed_gss_continue_needed(major) == 0
        guard output.length > 0, let value = output.value else { return nil }
        return Array(UnsafeRawBufferPointer(start: value, count: output.length))
    }

    /// On an acceptor given channel bindings: whether the client sent matching ones
    /// (`GSS_C_CHANNEL_BOUND_FLAG`, which MIT's Kerberos sets; a client that sent none is
    /// accepted without it). gss-ntlmssp does not set it: it refuses a client without them.
    public var isChannelBound: Bool { returnedFlags & OM_uint32(GSS_C_CHANNEL_BOUND_FLAG) != 0 }

    /// Whether the established context is Kerberos (directly or inside SPNEGO); NTLM otherwise.
    public var isKerberos: Bool { GSSMechanism.isKerberos(negotiated) }

    /// Seals `data` as WinRM expects: Kerberos with `gss_wrap_iov` (the token header apart, the
    /// padding after the data); NTLM with `gss_wrap`, whose first 16 bytes are the signature.
    public func wrapWinRM(_ data: [UInt8]) throws(GSSError) -> (header: [UInt8], body: [UInt8]) {
        try ready()
        var minor: OM_uint32 = 0
        if isKerberos {
            var body = data
            var header: [UInt8] = [], padding: [UInt8] = []
            var major: OM_uint32 = 0
            body.withUnsafeMutableBytes { raw in
                var iov = [
                    gss_iov_buffer_desc(type: OM_uint32(GSS_IOV_BUFFER_TYPE_HEADER | GSS_IOV_BUFFER_FLAG_ALLOCATE), buffer: gss_buffer_desc()),
                    gss_iov_buffer_desc(type: OM_uint32(GSS_IOV_BUFFER_TYPE_DATA), buffer: gss_buffer_desc(length: raw.count, value: raw.baseAddress)),
                    gss_iov_buffer_desc(type: OM_uint32(GSS_IOV_BUFFER_TYPE_PADDING | GSS_IOV_BUFFER_FLAG_ALLOCATE), buffer: gss_buffer_desc()),
                ]
                major = gss_wrap_iov(&minor, handle, 1, 0, nil, &iov, 3)
                if virtfed_gss_error(major) == 0 {
                    header = Self.bytes(iov[0].buffer)
                    padding = Self.bytes(iov[2].buffer)
                }
                gss_release_iov_buffer(&minor, &iov, 3)
            }
            guard virtfed_gss_error(major) == 0 else { throw GSSError("cannot seal the message", major: major, minor: minor) }
            return (header, body + padding)
        }
        var sealed = try wrap(data)
        guard sealed.count >= 16 else { throw GSSError("the sealed message is shorter than its signature") }
        let header = Array(sealed.prefix(16))
        sealed.removeFirst(16)
        return (header, sealed)
    }

    /// Opens a message WinRM sealed (`wrapWinRM`'s inverse), checking its signature.
    public func unwrapWinRM(header: [UInt8], body: [UInt8]) throws(GSSError) -> [UInt8] {
        var message = header + body
        try unwrapWinRM(&message, token: 0..<message.count, headerLength: header.count)
        return message
    }

    /// Opens, where it lies, a message WinRM sealed: `message[token]` is the wrap token's header
    /// (`headerLength` bytes) and the sealed data after it. Afterwards `message` is the plain
    /// text alone — a 500 KiB answer is opened without a copy of it being made (Kerberos
    /// decrypts in place; NTLM's plain text, which the library hands back, is written over it).
    public func unwrapWinRM(_ message: inout [UInt8], token: Range<Int>, headerLength: Int) throws(GSSError) {
        try ready()
        guard token.lowerBound >= 0, token.upperBound <= message.count, headerLength >= 0, headerLength <= token.count else {
            throw GSSError("the sealed message is shorter than its header")
        }
        var minor: OM_uint32 = 0
        var major: OM_uint32 = 0
        if isKerberos {
            message.withUnsafeMutableBytes { raw in
                let base = raw.baseAddress! + token.lowerBound
                var iov = [
                    gss_iov_buffer_desc(type: OM_uint32(GSS_IOV_BUFFER_TYPE_HEADER), buffer: gss_buffer_desc(length: headerLength, value: base)),
                    gss_iov_buffer_desc(type: OM_uint32(GSS_IOV_BUFFER_TYPE_DATA),
                                        buffer: gss_buffer_desc(length: token.count - headerLength, value: base + headerLength)),
                    gss_iov_buffer_desc(type: OM_uint32(GSS_IOV_BUFFER_TYPE_DATA), buffer: gss_buffer_desc()),
                ]
                major = gss_unwrap_iov(&minor, handle, nil, nil, &iov, 3)
            }
            guard virtfed_gss_error(major) == 0 else { throw GSSError("the sealed message does not verify", major: major, minor: minor) }
            message.removeSubrange(token.upperBound...)
            message.removeSubrange(..<(token.lowerBound + headerLength))
            return
        }
        var output = gss_buffer_desc()
        defer { gss_release_buffer(&minor, &output) }
        major = message.withUnsafeMutableBytes { raw in
            var input = gss_buffer_desc(length: token.count, value: raw.baseAddress! + token.lowerBound)
            return gss_unwrap(&minor, handle, &input, &output, nil, nil)
        }
        guard virtfed_gss_error(major) == 0 else { throw GSSError("the sealed message does not verify", major: major, minor: minor) }
        guard output.length <= message.count else { throw GSSError("the unsealed message is longer than the sealed one") }
        if output.length > 0, let value = output.value {
            message.withUnsafeMutableBytes { raw in raw.baseAddress!.copyMemory(from: value, byteCount: output.length) }
        }
        message.removeSubrange(output.length...)
    }

    /// `gss_wrap` with confidentiality.
    public func wrap(_ data: [UInt8]) throws(GSSError) -> [UInt8] {
        try transform(data, failure: "cannot seal the message") { minor, handle, input, output in
            gss_wrap(&minor, handle, 1, 0, input, nil, output)
        }
    }

    /// `gss_unwrap`, checking the signature.
    public func unwrap(_ data: [UInt8]) throws(GSSError) -> [UInt8] {
        try transform(data, failure: "the sealed message does not verify") { minor, handle, input, output in
            gss_unwrap(&minor, handle, input, output, nil, nil)
        }
    }

    /// One call from a buffer in to a buffer out on the established context.
    private func transform(
        _ data: [UInt8], failure: String, _ call: (inout OM_uint32, gss_ctx_id_t?, gss_buffer_t, gss_buffer_t) -> OM_uint32
    ) throws(GSSError) -> [UInt8] {
        try ready()
        var minor: OM_uint32 = 0
        var output = gss_buffer_desc()
        defer { gss_release_buffer(&minor, &output) }
        var input = data
        let major = input.withUnsafeMutableBytes { raw in
            var buffer = gss_buffer_desc(length: raw.count, value: raw.baseAddress)
            return call(&minor, handle, &buffer, &output)
        }
        guard virtfed_gss_error(major) == 0 else { throw GSSError(failure, major: major, minor: minor) }
        return Self.bytes(output)
    }

    private func ready() throws(GSSError) {
        guard isComplete, handle != nil else { throw GSSError("the security context is not established") }
    }

    private func withBindings(_ body: (gss_channel_bindings_t?) -> Void) {
        guard var binding = channelBinding else { return body(nil) }
        binding.withUnsafeMutableBytes { raw in
            var bindings = gss_channel_bindings_struct()
            bindings.application_data = gss_buffer_desc(length: raw.count, value: raw.baseAddress)
            body(&bindings)
        }
    }

    private static func bytes(_ buffer: gss_buffer_desc) -> [UInt8] {
        guard buffer.length > 0, let value = buffer.value else { return [] }
        return Array(UnsafeRawBufferPointer(start: value, count: buffer.length))
    }
}
