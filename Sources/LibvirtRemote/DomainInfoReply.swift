/// `remote_domain_get_info_ret`. rpcgen encodes `unsigned char` and `unsigned short` as
/// 4-byte words: 4 + 8 + 8 + 4 + 8 = 32 bytes.
public struct DomainInfoReply: Sendable, Equatable, XDREncodable {
    /// `virDomainState`.
    public var state: UInt32
    /// Maximum memory, KiB.
    public var maxMemKiB: UInt64
    /// Current memory, KiB.
    public var memoryKiB: UInt64
    /// Virtual CPUs.
    public var vcpus: UInt32
    /// CPU time, ns.
    public var cpuTimeNs: UInt64

    /// Creates a reply.
    public init(state: UInt32, maxMemKiB: UInt64, memoryKiB: UInt64, vcpus: UInt32, cpuTimeNs: UInt64) {
        self.state = state
        self.maxMemKiB = maxMemKiB
        self.memoryKiB = memoryKiB
        self.vcpus = vcpus
        self.cpuTimeNs = cpuTimeNs
    }

    public func encode(to writer: inout XDRWriter) {
        writer.write(state)
        writer.write(maxMemKiB)
        writer.write(memoryKiB)
        writer.write(vcpus)
        writer.write(cpuTimeNs)
    }
}
