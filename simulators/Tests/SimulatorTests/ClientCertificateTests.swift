import Foundation
@testable import Simulators
import SwiftASN1
import Testing
import X509

/// Certificate authentication's certmapping checks (`ClientCertificateAuthenticator`), on
/// certificates openssl makes per test: the issuer a mapping names, the Client Authentication
/// EKU, the UPN otherName, and the mapping's subject pattern.
@Suite("Certificate authentication: the certmapping checks")
struct ClientCertificateTests {
    /// A scratch directory with a CA (`ca.pem`) and leaves issued on demand.
    final class Authority {
        let directory: URL
        let ca: Certificate
        private let name: String

        init(name: String = "ca") throws {
            let directory = URL(fileURLWithPath: "/tmp/vf-simcert-\(UUID().uuidString.prefix(8))")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let cert = directory.appendingPathComponent("\(name).pem").path, key = directory.appendingPathComponent("\(name)-key.pem").path
            try Self.openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=\(name)", "-keyout", key, "-out", cert],
                             in: directory)
            ca = try ClientCertificateAuthenticator.certificate(pemFile: cert)
            self.directory = directory
            self.name = name
        }

        deinit { try? FileManager.default.removeItem(at: directory) }

        private func path(_ file: String) -> String { directory.appendingPathComponent(file).path }

        /// A leaf's DER, with these extension lines.
        func issue(_ extensions: [String]) throws -> [UInt8] {
            let tag = UUID().uuidString.prefix(6)
            try (["basicConstraints=CA:FALSE"] + extensions).joined(separator: "\n").write(toFile: path("\(tag).ext"), atomically: true, encoding: .utf8)
            try Self.openssl(["req", "-new", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=leaf", "-keyout", path("\(tag)-key.pem"),
                              "-out", path("\(tag).csr")], in: directory)
            try Self.openssl(["x509", "-req", "-in", path("\(tag).csr"), "-CA", path("\(name).pem"), "-CAkey", path("\(name)-key.pem"),
                              "-CAcreateserial", "-days", "2", "-extfile", path("\(tag).ext"), "-out", path("\(tag).pem")], in: directory)
            let text = try String(contentsOfFile: path("\(tag).pem"), encoding: .utf8)
            return try PEMDocument(pemString: text).derBytes
        }

        private static func openssl(_ arguments: [String], in directory: URL) throws {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
            process.arguments = arguments
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else { throw SimulatorError("openssl \(arguments.first ?? "") failed") }
        }
    }

    static let upn = "subjectAltName=otherName:1.3.6.1.4.1.311.20.2.3;UTF8:fed-admin@localhost"

    @Test("A certificate with the UPN and clientAuth from the mapped CA is the mapped user; each missing piece is refused, saying which")
    func checks() async throws {
        let authority = try Authority()
        let other = try Authority(name: "other")
        let mapping = try #require(WinRMCertMapping(issuer: authority.ca, subject: "fed-admin@localhost", userName: "fed-admin"))
        let authenticator = ClientCertificateAuthenticator(mappings: [mapping])

        let good = try authority.issue(["extendedKeyUsage=clientAuth", Self.upn])
        #expect(await authenticator.check(chain: [good]) == .accepted(user: "fed-admin", upn: "fed-admin@localhost"))
        #expect(ClientCertificateAuthenticator.userPrincipalName(of: try Certificate(derEncoded: good)) == "fed-admin@localhost")

        let cases: [(der: [UInt8], why: String)] = [
            (try other.issue(["extendedKeyUsage=clientAuth", Self.upn]), "does not chain to an issuer that a certmapping names"),
            (try authority.issue(["extendedKeyUsage=serverAuth", Self.upn]), "lacks the Client Authentication enhanced key usage"),
            (try authority.issue(["extendedKeyUsage=clientAuth", "subjectAltName=DNS:client.example.com"]), "has no user principal name"),
            (try authority.issue(["extendedKeyUsage=clientAuth", "subjectAltName=otherName:1.3.6.1.4.1.311.20.2.3;UTF8:eve@localhost"]),
             "No certmapping matches the client certificate's subject eve@localhost"),
        ]
        for (der, why) in cases {
            let outcome = await authenticator.check(chain: [der])
            guard case .refused(let reason) = outcome else {
                Issue.record("accepted, expected \(why)")
                continue
            }
            #expect(reason.contains(why), "\(reason)")
        }
        #expect(await authenticator.check(chain: [[0x30, 0x00]]) == .refused("The client certificate cannot be parsed."))
    }

    @Test("Subject patterns as certmapping has them: exact (case-insensitive), one leading or trailing *, * alone; others are invalid")
    func subjectPatterns() throws {
        let authority = try Authority()
        func mapping(_ subject: String) -> WinRMCertMapping? { WinRMCertMapping(issuer: authority.ca, subject: subject, userName: "u") }
        #expect(mapping("Fed-Admin@LOCALHOST")?.matches(upn: "fed-admin@localhost", issuedBy: authority.ca) == true)
        #expect(mapping("*@localhost")?.matches(upn: "anyone@localhost", issuedBy: authority.ca) == true)
        #expect(mapping("fed-*")?.matches(upn: "fed-admin@localhost", issuedBy: authority.ca) == true)
        #expect(mapping("*")?.matches(upn: "x@y", issuedBy: authority.ca) == true)
        #expect(mapping("*@localhost")?.matches(upn: "anyone@example.com", issuedBy: authority.ca) == false)
        #expect(mapping("a*b") == nil && mapping("**") == nil && mapping("") == nil)
        let other = try Authority(name: "other")
        #expect(mapping("*")?.matches(upn: "x@y", issuedBy: other.ca) == false)
    }
}
