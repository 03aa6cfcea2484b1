import Foundation
import GSSAPI
import Testing

/// MIT GSS-API against a real KDC on loopback (scripts/kdc, started once for the suite): the
/// Kerberos and SPNEGO handshakes between an initiator with a password and an acceptor with
/// its keytab, and WinRM's sealing both ways — large messages, tampering, wrong passwords.
@Suite("GSS-API with a real KDC", .serialized)
struct GSSAPITests {
    /// The suite's KDC: realm VF.TEST, user alice, HTTP/localhost in a keytab.
    final class Realm: Sendable {
        let directory: String
        static let password = "Gss-\(UUID().uuidString.prefix(12))"
        static let shared = Realm()

        private init() {
            directory = "/tmp/vf-kdc-\(UUID().uuidString.prefix(8))"
            let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("scripts/kdc").path
            // The child inherits the password through the environment, never an argument.
            setenv("KDC_PASSWORD", Self.password, 1)
            for _ in 0..<5 where system("'\(script)' start '\(directory)' \(Int.random(in: 16_500..<16_900)) alice >/dev/null") != 0 {}
            unsetenv("KDC_PASSWORD")
            setenv("KRB5_CONFIG", "\(directory)/krb5.conf", 1)
            setenv("KRB5_KTNAME", "\(directory)/http.keytab", 1)
            setenv("KRB5CCNAME", "MEMORY:virtfed-tests", 1)
            atexit { _ = system("for f in /tmp/vf-kdc-*/kdc.pid; do kill $(cat $f) 2>/dev/null; done") }
        }
    }

    /// An established initiator and acceptor pair, each with its channel bindings (if any).
    func established(_ mechanism: GSSMechanism, clientBinding: [UInt8]? = nil, serverBinding: [UInt8]? = nil) throws -> (client: GSSContext, server: GSSContext) {
        _ = Realm.shared
        let credential = try GSSCredential(user: "alice@VF.TEST", password: Realm.password, mechanism: mechanism)
        let client = try GSSContext(initiatorFor: "HTTP@localhost", mechanism: mechanism, credential: credential, channelBinding: clientBinding)
        let server = GSSContext(acceptor: try GSSCredential(acceptor: mechanism), channelBinding: serverBinding)
        var token = try client.step(nil)
        var rounds = 0
        while !(client.isComplete && server.isComplete), rounds < 6 {
            rounds += 1
            if let sent = token, !server.isComplete { token = try server.step(sent) }
            if let reply = token, !client.isComplete { token = try client.step(reply) } else { token = nil }
        }
        #expect(client.isComplete && server.isComplete && client.isKerberos && server.isKerberos)
        return (client, server)
    }

    @Test(arguments: [GSSMechanism.kerberos, .spnego])
    func theHandshakeEstablishesAndSealedMessagesRoundTrip(mechanism: GSSMechanism) throws {
        let (client, server) = try established(mechanism)
        let small = Array("<s:Envelope>hello</s:Envelope>".utf8)
        let large = (0..<(500 * 1024)).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        for message in [small, large, []] {
            let (header, body) = try client.wrapWinRM(message)
            #expect(!header.isEmpty && body != message || message.isEmpty)
            #expect(try server.unwrapWinRM(header: header, body: body) == message)
            let back = try server.wrapWinRM(message)
            #expect(try client.unwrapWinRM(header: back.header, body: back.body) == message)
            // Opened where it lies inside a larger body (as an HTTP answer frames it): the body
            // becomes the message; one byte changed and it does not verify.
            let framing = Array("--Encrypted Boundary\r\n".utf8)
            let spoilt = try client.wrapWinRM(message)
            var tampered = framing + spoilt.header + spoilt.body + framing
            tampered[framing.count + spoilt.header.count + spoilt.body.count - 1] ^= 0x01
            #expect(throws: GSSError.self) {
                try server.unwrapWinRM(&tampered, token: framing.count..<(tampered.count - framing.count), headerLength: spoilt.header.count)
            }
            let (header2, body2) = try client.wrapWinRM(message)
            var framed = framing + header2 + body2 + framing
            try server.unwrapWinRM(&framed, token: framing.count..<(framed.count - framing.count), headerLength: header2.count)
            #expect(framed == message)
        }
    }

    @Test("Channel bindings: matching ones are reported bound, none are accepted unbound, different ones are refused",
          arguments: [GSSMechanism.kerberos, .spnego])
    func channelBindings(mechanism: GSSMechanism) throws {
        let certificate = Array("tls-server-end-point:".utf8) + [UInt8](repeating: 0xA5, count: 32)
        let (_, bound) = try established(mechanism, clientBinding: certificate, serverBinding: certificate)
        #expect(bound.isChannelBound)
        let (_, unbound) = try established(mechanism, clientBinding: nil, serverBinding: certificate)
        #expect(!unbound.isChannelBound)
        let (_, unchecked) = try established(mechanism, clientBinding: certificate, serverBinding: nil)
        #expect(!unchecked.isChannelBound)
        let other = Array("tls-server-end-point:".utf8) + [UInt8](repeating: 0x5A, count: 32)
        #expect(throws: GSSError.self) { try established(mechanism, clientBinding: other, serverBinding: certificate) }
    }

    @Test func aTamperedMessageDoesNotVerify() throws {
        let (client, server) = try established(.kerberos)
        var (header, body) = try client.wrapWinRM(Array("power off everything".utf8))
        body[body.count / 2] ^= 0x01
        #expect(throws: GSSError.self) { try server.unwrapWinRM(header: header, body: body) }
        header[header.count - 1] ^= 0x01
        #expect(throws: GSSError.self) { try server.unwrapWinRM(header: header, body: body) }
    }

    @Test func aWrongPasswordIsRefusedAndNeverRepeated() throws {
        _ = Realm.shared
        let wrong = "Not-\(Realm.password)"
        let error = #expect(throws: GSSError.self) { try GSSCredential(user: "alice@VF.TEST", password: wrong, mechanism: .kerberos) }
        #expect(error?.message.contains(wrong) == false && error?.message.contains("alice") == true, "\(String(describing: error))")
        let unknown = #expect(throws: GSSError.self) {
            let credential = try GSSCredential(user: "alice@VF.TEST", password: Realm.password, mechanism: .kerberos)
            _ = try GSSContext(initiatorFor: "HTTP@nosuchhost", mechanism: .kerberos, credential: credential).step(nil)
        }
        #expect(unknown?.message.contains("authentication failed") == true, "\(String(describing: unknown))")
    }

    @Test func sealingBeforeTheHandshakeIsRefused() throws {
        _ = Realm.shared
        let context = try GSSContext(initiatorFor: "HTTP@localhost", mechanism: .kerberos, credential: nil)
        #expect(throws: GSSError("the security context is not established")) { try context.wrapWinRM([1, 2, 3]) }
    }
}
