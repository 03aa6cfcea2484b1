import Foundation
import Simulators
import Testing
import XML
#if canImport(Glibc)
import Glibc
#endif

private func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }
private func bytes(hex text: String) -> [UInt8] {
    var out: [UInt8] = []
    var index = text.startIndex
    while index < text.endIndex {
        let next = text.index(index, offsetBy: 2)
        out.append(UInt8(text[index..<next], radix: 16)!)
        index = next
    }
    return out
}

@Suite("NTLM primitives")
struct NTLMPrimitiveTests {
    @Test("MD4 matches RFC 1320's test suite")
    func md4Vectors() {
        let vectors = [
            ("", "31d6cfe0d16ae931b73c59d7e0c089c0"),
            ("a", "bde52cb31de33e46245e05fbdbd6fb24"),
            ("abc", "a448017aaf21d8525fc10ae87aa6729d"),
            ("message digest", "d9130a8164549fe818874806e1c7014b"),
            ("abcdefghijklmnopqrstuvwxyz", "d79e1c308aa5bbcdeea8ed63df412da9"),
            ("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "043f8582f241db351ce627e153e7f0e4"),
            ("12345678901234567890123456789012345678901234567890123456789012345678901234567890", "e33b4ddc9c38f2199c3e7b164fcc0536"),
        ]
        for (message, digest) in vectors {
            #expect(hex(MD4.hash(Array(message.utf8))) == digest, "MD4(\"\(message)\")")
        }
        // Lengths around the 56/64-byte padding boundary must not trap and must differ.
        let digests = Set((54...66).map { hex(MD4.hash([UInt8](repeating: 0x61, count: $0))) })
        #expect(digests.count == 13)
    }

    @Test("NTOWFv1, NTOWFv2 and NTProofStr match MS-NLMP 4.2.4's worked example")
    func msnlmpVectors() {
        #expect(hex(NTLM.ntowfv1(password: "Password")) == "a4f49c406510bdcab6824ee7c30fd852")
        let key = NTLM.ntowfv2(password: "Password", user: "User", domain: "Domain")
        #expect(hex(key) == "0c868a403bfd7a93a3001ef22ef02e3f")
        let serverName = NTLM.avPairs([(.nbDomainName, NTLM.utf16le("Domain")), (.nbComputerName, NTLM.utf16le("Server"))])
        let blob: [UInt8] = [1, 1, 0, 0, 0, 0, 0, 0] + [UInt8](repeating: 0, count: 8) + [UInt8](repeating: 0xaa, count: 8)
            + [0, 0, 0, 0] + serverName + [0, 0, 0, 0]
        let proof = NTLM.ntProofString(responseKeyNT: key, serverChallenge: bytes(hex: "0123456789abcdef"), blob: blob)
        #expect(hex(proof) == "68cd0ab851e51c96aabc927bebef6a1c")
    }
}

/// The client side of NTLMv2, computed here from MS-NLMP's formulas.
struct NTLMTestClient {
    var user: String
    var password: String
    var domain: String
    var workstation = "TESTBOX"
    static let flags: UInt32 = 0x0000_0001 | 0x0000_0004 | 0x0000_0200 | 0x0000_8000 | 0x0008_0000 | 0x2000_0000 | 0x8000_0000

    func negotiate() -> [UInt8] {
        var out = NTLM.signature
        out.le32(1); out.le32(Self.flags)
        out += [UInt8](repeating: 0, count: 16)  // empty domain and workstation buffers
        return out
    }

    /// (server challenge, target info) from a CHALLENGE_MESSAGE.
    static func parseChallenge(_ message: [UInt8]) throws -> (challenge: [UInt8], targetInfo: [UInt8], flags: UInt32) {
        guard message.count >= 48, Array(message[0..<8]) == NTLM.signature, message.le32(at: 8) == 2 else {
            throw TestFailure("not a CHALLENGE_MESSAGE")
        }
        let infoLength = Int(message.le16(at: 40)), infoOffset = Int(message.le32(at: 44))
        guard infoOffset + infoLength <= message.count else { throw TestFailure("TargetInfo out of bounds") }
        return (Array(message[24..<32]), Array(message[infoOffset..<(infoOffset + infoLength)]), message.le32(at: 20))
    }

    /// An AUTHENTICATE_MESSAGE with an NTLMv2 response (or, with `ntlmV1`, a 24-byte one),
    /// carrying `channelBindings` (an `MsvAvChannelBindings` value) among its AV pairs when given.
    func authenticate(challengeMessage: [UInt8], ntlmV1: Bool = false, channelBindings: [UInt8]? = nil) throws -> [UInt8] {
        let (challenge, targetInfo, _) = try Self.parseChallenge(challengeMessage)
        let nt: [UInt8]
        if ntlmV1 {
            nt = [UInt8](repeating: 0x42, count: 24)
        } else {
            var blob: [UInt8] = [1, 1, 0, 0, 0, 0, 0, 0]
            blob.le64(NTLM.fileTime(Date()))
            blob += (0..<8).map { _ in UInt8.random(in: 0...255) }
            var pairs = targetInfo
            if let channelBindings {
                pairs.removeLast(4)  // the EOL, which goes after the added pair
                pairs.le16(10); pairs.le16(UInt16(channelBindings.count)); pairs += channelBindings
                pairs += [0, 0, 0, 0]
            }
            blob += [0, 0, 0, 0] + pairs + [0, 0, 0, 0]
            let key = NTLM.ntowfv2(password: password, user: user, domain: domain)
            nt = NTLM.ntProofString(responseKeyNT: key, serverChallenge: challenge, blob: blob) + blob
        }
        let lm = [UInt8](repeating: 0, count: 24)
        let fields = [lm, nt, NTLM.utf16le(domain), NTLM.utf16le(user), NTLM.utf16le(workstation), []]
        var out = NTLM.signature
        out.le32(3)
        var offset = 64
        for field in fields {
            out.le16(UInt16(field.count)); out.le16(UInt16(field.count)); out.le32(UInt32(offset))
            offset += field.count
        }
        out.le32(Self.flags)
        for field in fields { out += field }
        return out
    }
}

extension Array where Element == UInt8 {
    mutating func le16(_ value: UInt16) { append(UInt8(value & 0xff)); append(UInt8(value >> 8)) }
    mutating func le32(_ value: UInt32) { le16(UInt16(value & 0xffff)); le16(UInt16(value >> 16)) }
    mutating func le64(_ value: UInt64) { le32(UInt32(value & 0xffff_ffff)); le32(UInt32(value >> 32)) }
    func le16(at offset: Int) -> UInt16 { UInt16(self[offset]) | UInt16(self[offset + 1]) << 8 }
    func le32(at offset: Int) -> UInt32 { UInt32(le16(at: offset)) | UInt32(le16(at: offset + 2)) << 16 }
}

/// One keep-alive HTTP/1.1 connection over a raw loopback socket (NTLM is connection-oriented).
final class KeepAliveConnection {
    private let descriptor: Int32
    private var buffer: [UInt8] = []

    init(port: Int) throws {
        do {
            descriptor = try RawHTTPClient.connect(port: port, timeoutMilliseconds: 5000)
        } catch {
            throw TestFailure("connect: \(error)")
        }
    }

    deinit { close(descriptor) }

    func post(_ body: String, authorization: String?) throws -> RawHTTPClient.Response {
        var head = "POST /wsman HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/soap+xml;charset=UTF-8\r\n"
        head += "Content-Length: \(body.utf8.count)\r\n"
        if let authorization { head += "Authorization: \(authorization)\r\n" }
        let request = Array((head + "\r\n" + body).utf8)
        var sentTotal = 0
        while sentTotal < request.count {
            let sent = request[sentTotal...].withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { throw TestFailure("send failed") }
            sentTotal += sent
        }
        let separator: [UInt8] = [13, 10, 13, 10]
        var split: Int?
        while split == nil {
            split = buffer.count >= 4 ? (0...(buffer.count - 4)).first { Array(buffer[$0..<($0 + 4)]) == separator } : nil
            if split == nil { try fill() }
        }
        let lines = String(decoding: buffer[0..<split!], as: UTF8.self).components(separatedBy: "\r\n")
        let status = Int(lines[0].split(separator: " ")[1]) ?? 0
        let headers = lines.dropFirst().compactMap { line -> (String, String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        let length = Int(headers.first { $0.0.lowercased() == "content-length" }?.1 ?? "0") ?? 0
        buffer.removeFirst(split! + 4)
        while buffer.count < length { try fill() }
        let body = Array(buffer[0..<length])
        buffer.removeFirst(length)
        return RawHTTPClient.Response(status: status, headers: headers, body: body)
    }

    private func fill() throws {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { throw TestFailure("connection closed or timed out (\(count))") }
        buffer += chunk[0..<count]
    }
}

/// The CHALLENGE_MESSAGE in a 401's `WWW-Authenticate: <scheme> <base64>`.
private func challenge(in response: RawHTTPClient.Response, scheme: String) throws -> [UInt8] {
    guard response.status == 401 else { throw TestFailure("expected 401, got \(response.status)") }
    let prefix = scheme + " "
    guard let value = response.header("WWW-Authenticate").first(where: { $0.hasPrefix(prefix) }),
          let data = Data(base64Encoded: String(value.dropFirst(prefix.count))) else {
        throw TestFailure("no \(scheme) challenge in \(response.header("WWW-Authenticate"))")
    }
    return [UInt8](data)
}

private func token(_ scheme: String, _ message: [UInt8]) -> String { scheme + " " + Data(message).base64EncodedString() }

@Suite("NTLMv2 over HTTP, raw handshake")
struct NTLMHandshakeTests {
    @Test("Type 1 → 401 challenge → Type 3 on the same connection → 200; later requests need no handshake")
    func handshake() async throws {
        let harness = try await SimulatorHarness.start()
        defer { Task { await harness.stop() } }
        let connection = try KeepAliveConnection(port: harness.client.port)
        let client = NTLMTestClient(user: "Administrator", password: "secret", domain: "LAB")
        let first = try connection.post("", authorization: token("NTLM", client.negotiate()))
        #expect(first.body.isEmpty)
        let type2 = try challenge(in: first, scheme: "NTLM")
        let parsed = try NTLMTestClient.parseChallenge(type2)
        #expect(parsed.flags & 0x0080_0000 != 0)  // TargetInfo present → NTLMv2
        #expect(parsed.flags & 0x0000_0001 != 0)  // Unicode, as offered
        #expect(parsed.targetInfo.count > 4)
        let targetNameLength = Int(type2.le16(at: 12)), targetNameOffset = Int(type2.le32(at: 16))
        #expect(String(decoding: type2[targetNameOffset..<(targetNameOffset + targetNameLength)].enumerated()
            .filter { $0.offset % 2 == 0 }.map(\.element), as: UTF8.self) == "LAB")

        let type3 = try client.authenticate(challengeMessage: type2)
        let served = try connection.post(Envelopes.enumerate(LibvirtWQL.all, optimize: 100), authorization: token("NTLM", type3))
        #expect(served.status == 200)
        #expect(try XMLParser.parse(served.body).path("Body", "EnumerateResponse", "Items")?.children.count == 6)

        // Authenticated connection: no header needed; Basic still works; a bad Basic is still refused.
        #expect(try connection.post(Envelopes.identify(), authorization: nil).status == 200)
        let basic = "Basic " + Data("administrator:secret".utf8).base64EncodedString()
        #expect(try connection.post(Envelopes.identify(), authorization: basic).status == 200)
        let badBasic = "Basic " + Data("administrator:nope".utf8).base64EncodedString()
        #expect(try connection.post(Envelopes.identify(), authorization: badBasic).status == 401)

        // A new Type 1 restarts the handshake: the connection is no longer authenticated until Type 3.
        _ = try challenge(in: try connection.post("", authorization: token("NTLM", client.negotiate())), scheme: "NTLM")
        #expect(try connection.post(Envelopes.identify(), authorization: nil).status == 401)

        // Another connection is not authenticated.
        let other = try KeepAliveConnection(port: harness.client.port)
        #expect(try other.post(Envelopes.identify(), authorization: nil).status == 401)
    }

    @Test("Wrong password, wrong user, NTLMv1, a Type 3 without a challenge → 401")
    func refusals() async throws {
        let harness = try await SimulatorHarness.start()
        defer { Task { await harness.stop() } }
        let request = Envelopes.enumerate(LibvirtWQL.all)
        for (client, v1) in [(NTLMTestClient(user: "administrator", password: "wrong", domain: "LAB"), false),
                             (NTLMTestClient(user: "guest", password: "secret", domain: "LAB"), false),
                             (NTLMTestClient(user: "administrator", password: "secret", domain: "LAB"), true)] {
            let connection = try KeepAliveConnection(port: harness.client.port)
            let type2 = try challenge(in: try connection.post("", authorization: token("NTLM", client.negotiate())), scheme: "NTLM")
            let denied = try connection.post(request, authorization: token("NTLM", try client.authenticate(challengeMessage: type2, ntlmV1: v1)))
            #expect(denied.status == 401, "\(client.user)/\(client.password) v1=\(v1)")
            #expect(denied.header("WWW-Authenticate") == ["Negotiate", "Basic realm=\"WSMAN\""])
            #expect(try connection.post(request, authorization: nil).status == 401)
        }
        // A Type 3 answering a challenge issued on another connection.
        let good = NTLMTestClient(user: "administrator", password: "secret", domain: "")
        let first = try KeepAliveConnection(port: harness.client.port)
        let type2 = try challenge(in: try first.post("", authorization: token("NTLM", good.negotiate())), scheme: "NTLM")
        let second = try KeepAliveConnection(port: harness.client.port)
        #expect(try second.post(request, authorization: token("NTLM", try good.authenticate(challengeMessage: type2))).status == 401)
        // The challenge is single-use: after the failed replay, the first connection still works with its own.
        #expect(try first.post(request, authorization: token("NTLM", try good.authenticate(challengeMessage: type2))).status == 200)
        #expect(try first.post(request, authorization: token("NTLM", try good.authenticate(challengeMessage: type2))).status == 401)
        // Garbage tokens.
        #expect(try second.post(request, authorization: "NTLM !!!").status == 401)
        #expect(try second.post(request, authorization: "Negotiate " + Data([0x60, 0x28, 0x06, 0x06]).base64EncodedString()).status == 401)
    }

    @Test("Raw NTLMSSP inside Authorization: Negotiate → challenge as Negotiate, then 200")
    func negotiateScheme() async throws {
        let harness = try await SimulatorHarness.start()
        defer { Task { await harness.stop() } }
        let connection = try KeepAliveConnection(port: harness.client.port)
        let client = NTLMTestClient(user: "ADMINISTRATOR", password: "secret", domain: "lab.local")
        let type2 = try challenge(in: try connection.post("", authorization: token("Negotiate", client.negotiate())), scheme: "Negotiate")
        let served = try connection.post(Envelopes.identify(), authorization: token("Negotiate", try client.authenticate(challengeMessage: type2)))
        #expect(served.status == 200)
        #expect(served.text.contains("IdentifyResponse"))
    }

    @Test("Windows' defaults: Basic refused and not offered, SOAP in the clear over http refused after NTLM (500)")
    func windowsListenerDefaults() async throws {
        let model = HyperVModel(inventory: try SimulatorHarness.demoInventory())
        let simulator = HyperVSimulator(model: model, configuration: HyperVSimulatorConfiguration(
            credentials: BasicCredentials(user: "administrator", password: "secret")))
        let port = try await simulator.start(host: "127.0.0.1", port: 0)
        defer { Task { await simulator.stop() } }
        let connection = try KeepAliveConnection(port: port)
        let basic = "Basic " + Data("administrator:secret".utf8).base64EncodedString()
        let refused = try connection.post(Envelopes.identify(), authorization: basic)
        #expect(refused.status == 401)
        #expect(refused.header("WWW-Authenticate") == ["Negotiate"])
        // NTLM authenticates; the plain SOAP that follows is refused, as AllowUnencrypted = false refuses it.
        let client = NTLMTestClient(user: "administrator", password: "secret", domain: "")
        let type2 = try challenge(in: try connection.post("", authorization: token("NTLM", client.negotiate())), scheme: "NTLM")
        let plain = try connection.post(Envelopes.identify(), authorization: token("NTLM", try client.authenticate(challengeMessage: type2)))
        #expect(plain.status == 500)
        #expect(plain.text.contains("w:AccessDenied") && plain.text.contains("AllowUnencrypted"))
    }

    @Test("NTLM can be switched off, leaving Basic")
    func basicOnly() async throws {
        let model = HyperVModel(inventory: try SimulatorHarness.demoInventory())
        let simulator = HyperVSimulator(model: model, configuration: HyperVSimulatorConfiguration(
            credentials: BasicCredentials(user: "administrator", password: "secret", schemes: .basic), listener: .lenient))
        let port = try await simulator.start(host: "127.0.0.1", port: 0)
        defer { Task { await simulator.stop() } }
        let connection = try KeepAliveConnection(port: port)
        let client = NTLMTestClient(user: "administrator", password: "secret", domain: "")
        #expect(try connection.post("", authorization: token("NTLM", client.negotiate())).header("WWW-Authenticate")
            == ["Negotiate", "Basic realm=\"WSMAN\""])
        #expect(try RawHTTPClient(port: port).post(Envelopes.identify()).status == 200)
    }
}

private let curlPath = "/usr/bin/curl"

@Suite("NTLMv2 with libcurl (curl --ntlm) as the peer", .enabled(if: FileManager.default.isExecutableFile(atPath: curlPath)))
struct NTLMCurlTests {
    /// Runs curl; returns (HTTP status, body).
    private func curl(port: Int, user: String, envelope: String) throws -> (status: Int, body: String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ntlm-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("envelope.xml"), output = directory.appendingPathComponent("body")
        try Data(envelope.utf8).write(to: input)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: curlPath)
        process.arguments = ["--silent", "--show-error", "--max-time", "10", "--noproxy", "*", "--ntlm", "-u", user,
                             "-H", "Content-Type: application/soap+xml;charset=UTF-8", "--data", "@\(input.path)",
                             "-o", output.path, "-w", "%{http_code}", "http://127.0.0.1:\(port)/wsman"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let code = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let body = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
        return (Int(String(decoding: code, as: UTF8.self)) ?? -1, body)
    }

    @Test("curl --ntlm: Identify and Enumerate → 200; wrong password → 401; DOMAIN\\user → 200")
    func curlNTLM() async throws {
        let harness = try await SimulatorHarness.start()
        defer { Task { await harness.stop() } }
        let port = harness.client.port

        let identify = try curl(port: port, user: "administrator:secret", envelope: Envelopes.identify())
        #expect(identify.status == 200)
        #expect(identify.body.contains("<wsmid:ProductVendor>Microsoft Corporation</wsmid:ProductVendor>"))

        let enumerate = try curl(port: port, user: "administrator:secret", envelope: Envelopes.enumerate(LibvirtWQL.all, optimize: 100))
        #expect(enumerate.status == 200)
        let items = try XMLParser.parse(Array(enumerate.body.utf8)).path("Body", "EnumerateResponse", "Items")?.children ?? []
        #expect(items.count == 6)

        let wrong = try curl(port: port, user: "administrator:wrong", envelope: Envelopes.identify())
        #expect(wrong.status == 401)
        #expect(wrong.body.isEmpty)

        let domainUser = try curl(port: port, user: "LAB\\Administrator:secret", envelope: Envelopes.enumerate(LibvirtWQL.all, optimize: 100))
        #expect(domainUser.status == 200)
        #expect(domainUser.body.contains("EnumerateResponse"))

        let wrongDomainUser = try curl(port: port, user: "LAB\\Administrator:wrong", envelope: Envelopes.identify())
        #expect(wrongDomainUser.status == 401)
        let otherUser = try curl(port: port, user: "guest:secret", envelope: Envelopes.identify())
        #expect(otherUser.status == 401)
    }
}
