import Foundation
import Testing
import WSMan

/// `CurlTransport` against a tiny WinRM-like peer on loopback (Python, started per test).
@Suite("libcurl transport to a loopback peer", .serialized)
final class CurlTransportTests {
    static let peerScript = #"""
        import base64, http.server
        IDENTIFY = (b'<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" '
                    b'xmlns:wsmid="http://schemas.dmtf.org/wbem/wsman/identity/1/wsmanidentity.xsd"><s:Header/><s:Body>'
                    b'<wsmid:IdentifyResponse><wsmid:ProductVendor>Microsoft Corporation</wsmid:ProductVendor>'
                    b'<wsmid:ProductVersion>%s</wsmid:ProductVersion></wsmid:IdentifyResponse></s:Body></s:Envelope>')
        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            def log_message(self, *args):
                pass
            def answer(self, status, body, headers=()):
                self.send_response(status)
                for name, value in headers:
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if self.headers.get("Authorization") != "Basic " + base64.b64encode(b"administrator:s3cret").decode():
                    self.answer(401, b"", [("WWW-Authenticate", 'Basic realm="WSMAN"')])
                elif self.path != "/wsman" or self.headers.get("Content-Type") != "application/soap+xml;charset=UTF-8":
                    self.answer(415, b"")
                elif b"<wsmid:Identify " not in body:
                    self.answer(400, b"")
                else:
                    self.answer(200, IDENTIFY % str(len(body)).encode())
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        print(server.server_address[1], flush=True)
        server.serve_forever()
        """#

    let peer = Process()
    let port: Int

    init() throws {
        let output = Pipe()
        peer.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        peer.arguments = ["-c", Self.peerScript]
        peer.standardOutput = output
        try peer.run()
        var line = Data()
        while let byte = try output.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data("\n".utf8) { line += byte }
        port = Int(String(decoding: line, as: UTF8.self)) ?? 0
    }

    deinit {
        // SIGKILL: the test runner's threads block SIGTERM, and children inherit that mask.
        kill(peer.processIdentifier, SIGKILL)
        peer.waitUntilExit()
    }

    @Test func identifyOverHTTPWithBasicAuthAndErrors() async throws {
        #expect(port > 0)
        let endpoint = "http://127.0.0.1:\(port)/wsman"
        let transport = try CurlTransport(endpoint: endpoint, username: "administrator", password: "s3cret", authentication: .basic)
        let client = WSManClient(transport: transport, endpoint: endpoint)
        for _ in 0..<2 {
            let identity = try await client.identify()
            #expect(identity.wmiProperties["ProductVendor"] == "Microsoft Corporation")
            #expect(identity.wmiProperties["ProductVersion"] == String(WSManEnvelope.identify().bytes.count))
        }
        #expect(client.roundTrips == 2)

        let wrong = try CurlTransport(endpoint: endpoint, username: "administrator", password: "guess", authentication: .basic)
        let refused = await failure { () async throws(WSManError) in try await WSManClient(transport: wrong, endpoint: endpoint).identify() }
        #expect(refused == .unauthorized && refused?.backendError.code == .authFailed)

        let wrongPath = try CurlTransport(endpoint: "http://127.0.0.1:\(port)/other", username: "administrator", password: "s3cret")
        let status = await failure { () async throws(WSManError) in try await WSManClient(transport: wrongPath, endpoint: endpoint).identify() }
        #expect(status == .httpStatus(415))

        let closed = try CurlTransport(endpoint: "http://127.0.0.1:1/wsman", username: "administrator", password: "s3cret")
        let unreachable = await failure { () async throws(WSManError) in try await WSManClient(transport: closed, endpoint: endpoint).identify() }
        guard case .unavailable = unreachable else { Issue.record("expected unavailable, got \(String(describing: unreachable))"); return }
        #expect(unreachable?.backendError.code == .backendUnavailable)
    }
}
