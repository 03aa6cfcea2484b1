import NIOSSL

/// How the HTTP side of a simulator (Hyper-V or SCVMM) behaves.
public struct WSManServerConfiguration: Sendable {
    /// TLS for https (`--tls-cert`/`--tls-key`); nil serves plain http.
    public var tls: NIOSSLContext?
    /// The channel-binding application data of the certificate `tls` presents
    /// (`TLSServerEndPoint.applicationData`), checked per `listener.cbtHardeningLevel`; with
    /// `tls` but without it, every binding a client sends is wrong.
    public var channelBinding: [UInt8]?
    /// Basic credentials required on every request; nil accepts anonymous requests.
    public var credentials: BasicCredentials?
    /// Injected faults.
    public var faults: SimulatorFaults
    /// The largest request body accepted (larger ones get a `w:EncodingLimit` fault).
    public var maxRequestBytes: Int
    /// Enumeration contexts expire after this long without a Pull (Hyper-V only).
    public var enumerationTimeout: Duration
    /// Basic and unencrypted SOAP: refused by default, as a Windows listener does.
    public var listener: WinRMListenerPolicy
    /// The certmapping table for certificate authentication (`listener.allowCertificate`, over
    /// `tls`): with both, the TLS handshake asks for a client certificate (optional, so other
    /// authentication still works) and this judges it.
    public var certificateAuthenticator: ClientCertificateAuthenticator?

    /// Creates a configuration.
    public init(credentials: BasicCredentials? = nil, faults: SimulatorFaults = .none, maxRequestBytes: Int = 512 * 1024,
                enumerationTimeout: Duration = .seconds(120), tls: NIOSSLContext? = nil, channelBinding: [UInt8]? = nil, listener: WinRMListenerPolicy = WinRMListenerPolicy(),
                certificateAuthenticator: ClientCertificateAuthenticator? = nil) {
        self.certificateAuthenticator = certificateAuthenticator
        self.tls = tls
        self.channelBinding = channelBinding
        self.credentials = credentials
        self.faults = faults
        self.maxRequestBytes = maxRequestBytes
        self.enumerationTimeout = enumerationTimeout
        self.listener = listener
    }
}

/// The Hyper-V simulator's name for `WSManServerConfiguration`.
public typealias HyperVSimulatorConfiguration = WSManServerConfiguration
