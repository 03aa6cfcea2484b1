import BrokerCore
import Foundation
import InMemoryPlugin
import Testing
@testable import Broker

@Suite("Configuration loading and validation")
struct ConfigurationLoaderTests {
    let loader = ConfigurationLoader(registry: PluginRegistry([InMemoryPlugin([:])]), environment: ["VF_SECRET": "s3cret"])

    func problems(_ text: String) -> [ConfigurationError] {
        do {
            _ = try loader.parse(text, file: "/etc/virtfed/test.toml")
            return []
        } catch {
            return error.problems
        }
    }

    @Test func validFileParsesEverything() throws {
        let text = """
            [daemon]
            socket = "/run/v.sock"
            metrics = "127.0.0.1:9177"

            [broker]
            prefer = "manager"

            [[backends]]
            name = "a"
            uri = "mem://a/?x=1"
            username = "svc"
            password_env = "VF_SECRET"
            timeout_ms = 250

            [[backends]]
            name = "b.2_x-y"
            uri = "mem://b/"
            """
        let config = try loader.parse(text, file: "/etc/virtfed/test.toml")
        #expect(config.daemon.socket == "/run/v.sock")
        #expect(config.daemon.metrics == "127.0.0.1:9177")
        #expect(config.preferredRoute == .manager)
        #expect(config.backends.map(\.name) == ["a", "b.2_x-y"])
        #expect(config.backends[0].timeoutMilliseconds == 250)
        #expect(config.backends[0].credentials?.username == "svc")
        #expect(config.backends[0].credentials?.password == "s3cret")
        #expect(config.backends[0].uri.param("x") == "1")
        #expect(config.backends[1].timeoutMilliseconds == 5000)
        #expect(config.backends[1].line == 15)
        // Credentials never print their secret.
        #expect(!"\(config.backends[0].credentials!)".contains("s3cret"))
    }

    @Test func unknownKeyNamesLineAndKey() {
        let found = problems("""
            [[backends]]
            name = "a"
            uri = "mem://a/"
            colour = "blue"
            """)
        #expect(found.count == 1)
        #expect(found[0].line == 4)
        #expect(found[0].key == "backends[0].colour")
        #expect(found[0].description.hasPrefix("/etc/virtfed/test.toml:4: backends[0].colour: unknown key"))
    }

    @Test func duplicateAndBadNames() {
        let found = problems("""
            [[backends]]
            name = "a"
            uri = "mem://a/"

            [[backends]]
            name = "a"
            uri = "mem://b/"

            [[backends]]
            name = "Bad Name"
            uri = "mem://c/"
            """)
        #expect(found.map(\.line) == [6, 10])
        #expect(found[0].message.contains("duplicate backend name 'a' (first defined at line 1)"))
        #expect(found[1].key == "backends[2].name")
        #expect(found[1].message.contains("bad name 'Bad Name'"))
    }

    @Test func badURIAndUnknownSchemeNameTheKnownOnes() {
        let found = problems("""
            [[backends]]
            name = "a"
            uri = "mem://a:notaport/"

            [[backends]]
            name = "b"
            uri = "vmware://h/"
            """)
        #expect(found.count == 2)
        #expect(found[0].line == 3 && found[0].key == "backends[0].uri")
        #expect(found[1].line == 7 && found[1].key == "backends[1].uri")
        #expect(found[1].message.contains("no plugin owns the URI scheme 'vmware'; known schemes: mem"))
    }

    @Test func unreadablePasswordFileAndUnsetVariable() {
        let found = problems("""
            [[backends]]
            name = "a"
            uri = "mem://a/"
            password_file = "/nonexistent/secret"

            [[backends]]
            name = "b"
            uri = "mem://b/"
            password_env = "VF_UNSET"
            """)
        #expect(found.map(\.line) == [4, 9])
        #expect(found[0].message == "password file /nonexistent/secret: No such file or directory")
        #expect(found[1].message == "environment variable VF_UNSET is not set")
    }

    @Test func passwordFileIsReadRelativeToTheConfigAndTrimmed() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vf-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try "hunter2\n".write(to: dir.appendingPathComponent("pw"), atomically: true, encoding: .utf8)
        let config = try loader.parse("""
            [[backends]]
            name = "a"
            uri = "mem://a{config_dir}/x"
            password_file = "pw"
            """, file: dir.appendingPathComponent("v.toml").path)
        #expect(config.backends[0].credentials?.password == "hunter2")
        #expect(config.backends[0].uri.path == dir.standardizedFileURL.path + "/x")
    }

    @Test func aPasswordFileOthersCanReadIsWarnedAboutAndStillUsed() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vf-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let text = """
            [[backends]]
            name = "a"
            uri = "mem://a/"
            password_file = "pw"
            """
        let file = dir.appendingPathComponent("v.toml").path
        let secret = dir.appendingPathComponent("pw").path
        try "hunter2\n".write(toFile: secret, atomically: true, encoding: .utf8)
        for (mode, reader) in [(0o644, "everyone"), (0o640, "its group")] {
            chmod(secret, mode_t(mode))
            let config = try loader.parse(text, file: file)
            #expect(config.backends[0].credentials?.password == "hunter2")
            #expect(config.warnings.map(\.description) == [
                "\(file):4: backends[0].password_file: password file \(secret) is readable by \(reader) (mode \(String(mode, radix: 8))); chmod 600 it"])
            #expect(!config.warnings.description.contains("hunter2"))
        }
        chmod(secret, 0o600)
        #expect(try loader.parse(text, file: file).warnings.isEmpty)
    }

    @Test func syntaxErrorCarriesTheParsersLine() {
        let found = problems("""
            [[backends]]
            name = "a"
            uri = "mem://a/
            """)
        #expect(found.count == 1)
        #expect(found[0].line == 3)
    }

    @Test func missingRequiredKeysAndWrongTypes() {
        let found = problems("""
            [[backends]]
            timeout_ms = "soon"
            """)
        #expect(Set(found.compactMap(\.key)) == ["backends[0].name", "backends[0].uri", "backends[0].timeout_ms"])
    }
}
