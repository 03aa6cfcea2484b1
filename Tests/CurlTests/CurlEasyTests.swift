import Curl
import Foundation
import Testing

/// libcurl through its one owner, against a real HTTP peer on loopback.
@Suite("libcurl transport", .serialized)
final class CurlEasyTests {
    let peer = Process()
    let port: Int

    init() throws {
        let output = Pipe()
        peer.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        peer.arguments = [URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("http_peer.py").path]
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

    func request(_ path: String, _ body: String = "", configure: (inout CurlRequest) -> Void = { _ in }) -> CurlRequest {
        var request = CurlRequest(url: "http://127.0.0.1:\(port)\(path)", body: Array(body.utf8),
                                  headers: ["Content-Type: application/soap+xml;charset=UTF-8"])
        configure(&request)
        return request
    }

    @Test func postsAndReusesTheHandle() throws {
        let easy = try CurlEasy()
        for index in 0..<3 {
            let response = try easy.perform(request("/echo", "<Envelope n='\(index)'/>"))
            #expect(response.status == 200)
            #expect(String(decoding: response.body, as: UTF8.self) == "application/soap+xml;charset=UTF-8|<Envelope n='\(index)'/>")
        }
    }

    @Test func basicAuthenticationAndTheChallenge() throws {
        let easy = try CurlEasy()
        #expect(try easy.perform(request("/auth")).status == 401)
        let authed = try easy.perform(request("/auth") { $0.username = "u"; $0.password = "p"; $0.authentication = .basic })
        #expect(authed.status == 200 && authed.body == Array("welcome".utf8))
        let wrong = try easy.perform(request("/auth") { $0.username = "u"; $0.password = "x"; $0.authentication = .basic })
        #expect(wrong.status == 401)
    }

    @Test func anOversizeAnswerIsCutOff() throws {
        #expect(throws: CurlError(.tooLarge, "answer larger than 65536 bytes")) {
            try CurlEasy().perform(self.request("/big") { $0.maxResponseBytes = 65536 })
        }
        #expect(try CurlEasy().perform(request("/big")).body.count == 1 << 20)
    }

    @Test func refusedAndSilentPeersAreTypedErrors() throws {
        #expect(throws: CurlError.self) { try CurlEasy().perform(CurlRequest(url: "http://127.0.0.1:1/wsman", body: [])) }
        do {
            _ = try CurlEasy().perform(request("/slow") { $0.timeoutMilliseconds = 300 })
            Issue.record("a silent peer must time out")
        } catch {
            #expect(error.kind == .timedOut)
        }
        do {
            _ = try CurlEasy().perform(CurlRequest(url: "http://127.0.0.1:1/wsman", body: []))
        } catch {
            #expect(error.kind == .couldNotConnect)
        }
    }
}
