/// `remote_node_get_info_ret`: `char model[32]` is a fixed vector of rpcgen `char`s, each a
/// 4-byte word (128 bytes), then memory (KiB) and six ints.
public struct NodeInfoReply: Sendable, Equatable, XDREncodable {
    /// CPU model, truncated to 31 bytes.
    public var model: String
    /// Memory, KiB.
    public var memoryKiB: UInt64
    /// Logical CPUs.
    public var cpus: Int32
    /// Clock, MHz.
    public var mhz: Int32
    /// NUMA nodes.
    public var nodes: Int32
    /// Sockets per node.
    public var sockets: Int32
    /// Cores per socket.
    public var cores: Int32
    /// Threads per core.
    public var threads: Int32

    /// Creates a reply.
    public init(model: String, memoryKiB: UInt64, cpus: Int32, mhz: Int32, nodes: Int32, sockets: Int32, cores: Int32, threads: Int32) {
        self.model = model
        self.memoryKiB = memoryKiB
        self.cpus = cpus
        self.mhz = mhz
        self.nodes = nodes
        self.sockets = sockets
        self.cores = cores
        self.threads = threads
    }

    public func encode(to writer: inout XDRWriter) {
        var bytes = Array(model.utf8.prefix(31))
        bytes += [UInt8](repeating: 0, count: 32 - bytes.count)
        for byte in bytes { writer.write(Int32(Int8(bitPattern: byte))) }
        writer.write(memoryKiB)
        for value in [cpus, mhz, nodes, sockets, cores, threads] { writer.write(value) }
    }
}
