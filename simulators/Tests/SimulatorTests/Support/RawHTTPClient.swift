import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A minimal HTTP/1.1 client over a raw loopback socket, one request per connection
/// (`Connection: close`), so tests can observe resets, hangs and truncated bodies exactly.
struct RawHTTPClient {
    enum Failure: Error, Equatable { case connect(Int32), timeout, reset, malformed }

    struct Response {
        var status: Int
        var headers: [(String, String)]
        var body: [UInt8]

        var text: String { String(decoding: body, as: UTF8.self) }

        func header(_ name: String) -> [String] {
            headers.filter { $0.0.lowercased() == name.lowercased() }.map(\.1)
        }
    }

    let port: Int
    var user: String? = "administrator"
    var password: String? = "secret"
    var timeoutMilliseconds = 5000

    /// POSTs a SOAP body to `/wsman`.
    func post(_ body: String, path: String = "/wsman", contentType: String = "application/soap+xml;charset=UTF-8") throws(Failure) -> Response {
        var head = "POST \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\nContent-Type: \(contentType)\r\n"
        head += "Content-Length: \(body.utf8.count)\r\nUser-Agent: virtfed-tests\r\n"
        if let user, let password {
            head += "Authorization: Basic \(Data("\(user):\(password)".utf8).base64EncodedString())\r\n"
        }
        return try exchange(Array((head + "\r\n" + body).utf8))
    }

    /// A TCP connection to 127.0.0.1:`port` whose reads time out after `timeoutMilliseconds`.
    static func connect(port: Int, timeoutMilliseconds: Int) throws(Failure) -> Int32 {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw .connect(errno) }
        var timeout = timeval(tv_sec: timeoutMilliseconds / 1000, tv_usec: (timeoutMilliseconds % 1000) * 1000)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            let failure = errno
            close(descriptor)
            throw .connect(failure)
        }
        return descriptor
    }

    /// Sends raw bytes and reads until the server closes.
    func exchange(_ request: [UInt8]) throws(Failure) -> Response {
        let descriptor = try Self.connect(port: port, timeoutMilliseconds: timeoutMilliseconds)
        defer { close(descriptor) }
        var offset = 0
        while offset < request.count {
            let sent = request[offset...].withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { throw .reset }
            offset += sent
        }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count == 0 { break }
            if count < 0 {
                if errno == EAGAIN || errno == EWOULDBLOCK { throw .timeout }
                if errno == ECONNRESET { throw .reset }
                throw .malformed
            }
            received += buffer[0..<count]
        }
        guard !received.isEmpty else { throw .reset }
        return try Self.parse(received)
    }

    private static func parse(_ bytes: [UInt8]) throws(Failure) -> Response {
        let separator: [UInt8] = [13, 10, 13, 10]
        guard let split = (0...(max(0, bytes.count - 4))).first(where: { Array(bytes[$0..<min(bytes.count, $0 + 4)]) == separator }) else {
            throw .malformed
        }
        let lines = String(decoding: bytes[0..<split], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = lines[0].split(separator: " ")
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else { throw .malformed }
        let headers = lines.dropFirst().compactMap { line -> (String, String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        return Response(status: status, headers: headers, body: Array(bytes[(split + 4)...]))
    }
}
