import Broker
import Testing

@Suite("[daemon] metrics: loopback addresses only")
struct MetricsListenAddressTests {
    @Test("loopback addresses are accepted", arguments: [
        ("127.0.0.1:9177", "127.0.0.1", 9177), ("127.1.2.3:0", "127.1.2.3", 0), ("[::1]:9177", "::1", 9177), ("localhost:80", "127.0.0.1", 80),
    ])
    func accepted(_ text: String, _ host: String, _ port: Int) throws {
        let address = try MetricsListenAddress(parsing: text)
        #expect(address.host == host)
        #expect(address.port == port)
    }

    @Test("anything else is refused with a reason", arguments: [
        // Parsed and refused, never dialed.
        "0.0.0.0:9177", "10.0.0.1:9177", "[::]:9177", "example.com:9177", "127.0.0.1", "127.0.0.1:99999", "127.0.0.1:-1", // # ok-address
        "127.0.0.1:+5", ":9177", "127.0.0.256:1", "[::1]9177", "::1:9177",
    ])
    func refused(_ text: String) {
        #expect(throws: MetricsListenAddress.Invalid.self) { try MetricsListenAddress(parsing: text) }
    }

    @Test("the refusal of a non-loopback address says why")
    func reason() {
        #expect { try MetricsListenAddress(parsing: "0.0.0.0:9177") } throws: { error in // # ok-address: refused, never dialed
            "\(error)".contains("not a loopback address")
        }
    }
}
