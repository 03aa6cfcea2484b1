import Foundation
import Testing
import BrokerCore

// Expected values in this file were produced by libvirt 9.0.0 itself: a small C program
// linked against /usr/lib/x86_64-linux-gnu/libvirt.so.0 called the (privately exported)
// virURIParse / virURIFormat / virURIFormatParams on each input and printed the fields.
// Where BackendURI deliberately differs from libvirt, the test says so and gives libvirt's
// actual output in a comment.

/// One input with the fields libvirt 9.0's virURIParse reported for it.
struct BackendURIOracleCase: Sendable, CustomTestStringConvertible {
    var input: String
    var scheme: String
    var user: String?
    var host: String?
    var port: Int
    var path: String?
    var query: String?
    var fragment: String?
    var params: [BackendURI.Param]
    /// BackendURI.canonical; equal to libvirt's virURIFormat output (with the query replaced
    /// by virURIFormatParams, as libvirt's remote driver does) unless a comment says otherwise.
    var canonical: String

    init(_ input: String, scheme: String, user: String?, host: String?, port: Int, path: String?,
         query: String?, fragment: String?, params: [(String, String)], canonical: String) {
        self.input = input
        self.scheme = scheme
        self.user = user
        self.host = host
        self.port = port
        self.path = path
        self.query = query
        self.fragment = fragment
        self.params = params.map { BackendURI.Param(name: $0.0, value: $0.1) }
        self.canonical = canonical
    }

    var testDescription: String { input }
}

private let backendURIOracleCases: [BackendURIOracleCase] = [
        BackendURIOracleCase("test:///default", scheme: "test", user: nil, host: nil, port: 0, path: "/default", query: nil, fragment: nil,
                   params: [], canonical: "test:///default"),
        BackendURIOracleCase("test:///abs/path/host.xml", scheme: "test", user: nil, host: nil, port: 0, path: "/abs/path/host.xml", query: nil, fragment: nil,
                   params: [], canonical: "test:///abs/path/host.xml"),
        BackendURIOracleCase("qemu:///system", scheme: "qemu", user: nil, host: nil, port: 0, path: "/system", query: nil, fragment: nil,
                   params: [], canonical: "qemu:///system"),
        BackendURIOracleCase("qemu:///session", scheme: "qemu", user: nil, host: nil, port: 0, path: "/session", query: nil, fragment: nil,
                   params: [], canonical: "qemu:///session"),
        BackendURIOracleCase("qemu+ssh://root@kvm1.example.com/system", scheme: "qemu+ssh", user: "root", host: "kvm1.example.com", port: 0, path: "/system", query: nil, fragment: nil,
                   params: [], canonical: "qemu+ssh://root@kvm1.example.com/system"),
        BackendURIOracleCase("test+unix:///default?socket=/tmp/x/run/libvirt-sock", scheme: "test+unix", user: nil, host: nil, port: 0, path: "/default", query: "socket=/tmp/x/run/libvirt-sock", fragment: nil,
                   params: [("socket", "/tmp/x/run/libvirt-sock")], canonical: "test+unix:///default?socket=%2Ftmp%2Fx%2Frun%2Flibvirt-sock"),
        BackendURIOracleCase("hyperv://h:5986/?transport=https", scheme: "hyperv", user: nil, host: "h", port: 5986, path: "/", query: "transport=https", fragment: nil,
                   params: [("transport", "https")], canonical: "hyperv://h:5986/?transport=https"),
        BackendURIOracleCase("hyperv://host/?transport=http", scheme: "hyperv", user: nil, host: "host", port: 0, path: "/", query: "transport=http", fragment: nil,
                   params: [("transport", "http")], canonical: "hyperv://host/?transport=http"),
        BackendURIOracleCase("scvmm://vmm01.example.com/?transport=https", scheme: "scvmm", user: nil, host: "vmm01.example.com", port: 0, path: "/", query: "transport=https", fragment: nil,
                   params: [("transport", "https")], canonical: "scvmm://vmm01.example.com/?transport=https"),
        BackendURIOracleCase("esx://u@h/?no_verify=1", scheme: "esx", user: "u", host: "h", port: 0, path: "/", query: "no_verify=1", fragment: nil,
                   params: [("no_verify", "1")], canonical: "esx://u@h/?no_verify=1"),
        BackendURIOracleCase("qemu+tls://kvm1.example.com:16514/system?pkipath=/etc/pki/libvirt&no_verify=1", scheme: "qemu+tls", user: nil, host: "kvm1.example.com", port: 16514, path: "/system", query: "pkipath=/etc/pki/libvirt&no_verify=1", fragment: nil,
                   params: [("pkipath", "/etc/pki/libvirt"), ("no_verify", "1")], canonical: "qemu+tls://kvm1.example.com:16514/system?pkipath=%2Fetc%2Fpki%2Flibvirt&no_verify=1"),
        BackendURIOracleCase("qemu+ssh://root@kvm1.example.com:2222/system?keyfile=/root/.ssh/id_ed25519&known_hosts_verify=ignore", scheme: "qemu+ssh", user: "root", host: "kvm1.example.com", port: 2222, path: "/system", query: "keyfile=/root/.ssh/id_ed25519&known_hosts_verify=ignore", fragment: nil,
                   params: [("keyfile", "/root/.ssh/id_ed25519"), ("known_hosts_verify", "ignore")], canonical: "qemu+ssh://root@kvm1.example.com:2222/system?keyfile=%2Froot%2F.ssh%2Fid_ed25519&known_hosts_verify=ignore"),
        BackendURIOracleCase("qemu://[::1]/system", scheme: "qemu", user: nil, host: "::1", port: 0, path: "/system", query: nil, fragment: nil,
                   params: [], canonical: "qemu://[::1]/system"),
        BackendURIOracleCase("qemu://[::1]:16509/system", scheme: "qemu", user: nil, host: "::1", port: 16509, path: "/system", query: nil, fragment: nil,
                   params: [], canonical: "qemu://[::1]:16509/system"),
        BackendURIOracleCase("qemu+tcp://[2001:db8::1]:16509/system?no_verify=1", scheme: "qemu+tcp", user: nil, host: "2001:db8::1", port: 16509, path: "/system", query: "no_verify=1", fragment: nil,
                   params: [("no_verify", "1")], canonical: "qemu+tcp://[2001:db8::1]:16509/system?no_verify=1"),
        BackendURIOracleCase("qemu://[fe80::1%25eth0]:22/", scheme: "qemu", user: nil, host: "fe80::1%eth0", port: 22, path: "/", query: nil, fragment: nil,
                   params: [], canonical: "qemu://[fe80::1%eth0]:22/"),
        BackendURIOracleCase("qemu://%5B%3A%3A1%5D/", scheme: "qemu", user: nil, host: "::1", port: 0, path: "/", query: nil, fragment: nil,
                   params: [], canonical: "qemu://[::1]/"),
        BackendURIOracleCase("qemu://a%3Ab/", scheme: "qemu", user: nil, host: "a:b", port: 0, path: "/", query: nil, fragment: nil,
                   params: [], canonical: "qemu://[a:b]/"),
        BackendURIOracleCase("qemu://[abc]/", scheme: "qemu", user: nil, host: "[abc]", port: 0, path: "/", query: nil, fragment: nil,
                   params: [], canonical: "qemu://[abc]/"),
        BackendURIOracleCase("qemu://127.0.0.1:16509/system", scheme: "qemu", user: nil, host: "127.0.0.1", port: 16509, path: "/system", query: nil, fragment: nil,
                   params: [], canonical: "qemu://127.0.0.1:16509/system"),
        BackendURIOracleCase("qemu://host.example.com./", scheme: "qemu", user: nil, host: "host.example.com.", port: 0, path: "/", query: nil, fragment: nil,
                   params: [], canonical: "qemu://host.example.com./"),
        BackendURIOracleCase("qemu://h:016509/", scheme: "qemu", user: nil, host: "h", port: 16509, path: "/", query: nil, fragment: nil,
                   params: [], canonical: "qemu://h:16509/"),
        BackendURIOracleCase("qemu://h:0/", scheme: "qemu", user: nil, host: "h", port: 0, path: "/", query: nil, fragment: nil,
                   params: [], canonical: "qemu://h/"),
        BackendURIOracleCase("qemu://:16509/", scheme: "qemu", user: nil, host: nil, port: 0, path: "/", query: nil, fragment: nil,
                   params: [], canonical: "qemu:///"),
        BackendURIOracleCase("qemu://h:99999/", scheme: "qemu", user: nil, host: "h", port: 99999, path: "/", query: nil, fragment: nil,
                   params: [], canonical: "qemu://h:99999/"),
        BackendURIOracleCase("qemu://h:2147483647/", scheme: "qemu", user: nil, host: "h", port: 2147483647, path: "/", query: nil, fragment: nil,
                   params: [], canonical: "qemu://h:2147483647/"),
        BackendURIOracleCase("QEMU:///system", scheme: "QEMU", user: nil, host: nil, port: 0, path: "/system", query: nil, fragment: nil,
                   params: [], canonical: "QEMU:///system"),
        BackendURIOracleCase("Qemu+SSH://Root@KVM1/system", scheme: "Qemu+SSH", user: "Root", host: "KVM1", port: 0, path: "/system", query: nil, fragment: nil,
                   params: [], canonical: "Qemu+SSH://Root@KVM1/system"),
        BackendURIOracleCase("qemu:/system", scheme: "qemu", user: nil, host: nil, port: 0, path: "/system", query: nil, fragment: nil,
                   params: [], canonical: "qemu:///system"),
        // libvirt (query rebuilt by virURIFormatParams) writes "qemu://system"
        BackendURIOracleCase("qemu:system", scheme: "qemu", user: nil, host: nil, port: 0, path: "system", query: nil, fragment: nil,
                   params: [], canonical: "qemu:system"),
        BackendURIOracleCase("qemu:", scheme: "qemu", user: nil, host: nil, port: 0, path: nil, query: nil, fragment: nil,
                   params: [], canonical: "qemu://"),
        BackendURIOracleCase("qemu://", scheme: "qemu", user: nil, host: nil, port: 0, path: nil, query: nil, fragment: nil,
                   params: [], canonical: "qemu://"),
        BackendURIOracleCase("qemu://host", scheme: "qemu", user: nil, host: "host", port: 0, path: nil, query: nil, fragment: nil,
                   params: [], canonical: "qemu://host"),
        BackendURIOracleCase("qemu+ssh+x://h/", scheme: "qemu+ssh+x", user: nil, host: "h", port: 0, path: "/", query: nil, fragment: nil,
                   params: [], canonical: "qemu+ssh+x://h/"),
        BackendURIOracleCase("qemu+://h/", scheme: "qemu+", user: nil, host: "h", port: 0, path: "/", query: nil, fragment: nil,
                   params: [], canonical: "qemu+://h/"),
        BackendURIOracleCase("qemu://r%6Fot@host/", scheme: "qemu", user: "root", host: "host", port: 0, path: "/", query: nil, fragment: nil,
                   params: [], canonical: "qemu://root@host/"),
        BackendURIOracleCase("qemu://a%20b%40c@host/", scheme: "qemu", user: "a b@c", host: "host", port: 0, path: "/", query: nil, fragment: nil,
                   params: [], canonical: "qemu://a%20b%40c@host/"),
        BackendURIOracleCase("qemu://a;b&c=d+e$,!*'()~@host/", scheme: "qemu", user: "a;b&c=d+e$,!*'()~", host: "host", port: 0, path: "/", query: nil, fragment: nil,
                   params: [], canonical: "qemu://a;b&c=d+e$,!*'()~@host/"),
        BackendURIOracleCase("qemu://root@/system", scheme: "qemu", user: "root", host: nil, port: 0, path: "/system", query: nil, fragment: nil,
                   params: [], canonical: "qemu://root@/system"),
        // libvirt (query rebuilt by virURIFormatParams) writes "qemu://h/x/"
        BackendURIOracleCase("qemu://h%2Fx/", scheme: "qemu", user: nil, host: "h/x", port: 0, path: "/", query: nil, fragment: nil,
                   params: [], canonical: "qemu://h%2Fx/"),
        BackendURIOracleCase("qemu://h/a:b?x=1", scheme: "qemu", user: nil, host: "h", port: 0, path: "/a:b", query: "x=1", fragment: nil,
                   params: [("x", "1")], canonical: "qemu://h/a%3Ab?x=1"),
        BackendURIOracleCase("test:///d%C3%A9", scheme: "test", user: nil, host: nil, port: 0, path: "/dé", query: nil, fragment: nil,
                   params: [], canonical: "test:///d%C3%A9"),
        BackendURIOracleCase("test:///a%2Fb", scheme: "test", user: nil, host: nil, port: 0, path: "/a/b", query: nil, fragment: nil,
                   params: [], canonical: "test:///a/b"),
        BackendURIOracleCase("test:///default?a=1&a=2&b=3", scheme: "test", user: nil, host: nil, port: 0, path: "/default", query: "a=1&a=2&b=3", fragment: nil,
                   params: [("a", "1"), ("a", "2"), ("b", "3")], canonical: "test:///default?a=1&a=2&b=3"),
        BackendURIOracleCase("test:///default?a=1;b=2", scheme: "test", user: nil, host: nil, port: 0, path: "/default", query: "a=1;b=2", fragment: nil,
                   params: [("a", "1"), ("b", "2")], canonical: "test:///default?a=1&b=2"),
        BackendURIOracleCase("test:///default?a=1;b=2&c=3", scheme: "test", user: nil, host: nil, port: 0, path: "/default", query: "a=1;b=2&c=3", fragment: nil,
                   params: [("a", "1;b=2"), ("c", "3")], canonical: "test:///default?a=1%3Bb%3D2&c=3"),
        BackendURIOracleCase("test:///default?a=1&b=2;c=3", scheme: "test", user: nil, host: nil, port: 0, path: "/default", query: "a=1&b=2;c=3", fragment: nil,
                   params: [("a", "1"), ("b", "2"), ("c", "3")], canonical: "test:///default?a=1&b=2&c=3"),
        BackendURIOracleCase("test:///default?&&a=1", scheme: "test", user: nil, host: nil, port: 0, path: "/default", query: "&&a=1", fragment: nil,
                   params: [("a", "1")], canonical: "test:///default?a=1"),
        BackendURIOracleCase("test:///default?;;a=1;;", scheme: "test", user: nil, host: nil, port: 0, path: "/default", query: ";;a=1;;", fragment: nil,
                   params: [("a", "1")], canonical: "test:///default?a=1"),
        BackendURIOracleCase("test:///default?&&", scheme: "test", user: nil, host: nil, port: 0, path: "/default", query: "&&", fragment: nil,
                   params: [], canonical: "test:///default"),
        BackendURIOracleCase("test:///default?", scheme: "test", user: nil, host: nil, port: 0, path: "/default", query: "", fragment: nil,
                   params: [], canonical: "test:///default"),
        BackendURIOracleCase("test:///default?=x&a=1", scheme: "test", user: nil, host: nil, port: 0, path: "/default", query: "=x&a=1", fragment: nil,
                   params: [("a", "1")], canonical: "test:///default?a=1"),
        BackendURIOracleCase("test:///default?foo", scheme: "test", user: nil, host: nil, port: 0, path: "/default", query: "foo", fragment: nil,
                   params: [("foo", "")], canonical: "test:///default?foo="),
        BackendURIOracleCase("test:///default?foo&bar=", scheme: "test", user: nil, host: nil, port: 0, path: "/default", query: "foo&bar=", fragment: nil,
                   params: [("foo", ""), ("bar", "")], canonical: "test:///default?foo=&bar="),
        BackendURIOracleCase("test:///default?a=%2F%20+b", scheme: "test", user: nil, host: nil, port: 0, path: "/default", query: "a=%2F%20+b", fragment: nil,
                   params: [("a", "/ +b")], canonical: "test:///default?a=%2F%20%2Bb"),
        // libvirt (query rebuilt by virURIFormatParams) writes "test:///default?a&b=c%3Dd"
        BackendURIOracleCase("test:///default?a%26b=c%3Dd", scheme: "test", user: nil, host: nil, port: 0, path: "/default", query: "a%26b=c%3Dd", fragment: nil,
                   params: [("a&b", "c=d")], canonical: "test:///default?a%26b=c%3Dd"),
        BackendURIOracleCase("test:///default?n=%C3%A9", scheme: "test", user: nil, host: nil, port: 0, path: "/default", query: "n=%C3%A9", fragment: nil,
                   params: [("n", "é")], canonical: "test:///default?n=%C3%A9"),
        BackendURIOracleCase("test:///default?A=1&a=2", scheme: "test", user: nil, host: nil, port: 0, path: "/default", query: "A=1&a=2", fragment: nil,
                   params: [("A", "1"), ("a", "2")], canonical: "test:///default?A=1&a=2"),
        BackendURIOracleCase("test:///default?a=b=c", scheme: "test", user: nil, host: nil, port: 0, path: "/default", query: "a=b=c", fragment: nil,
                   params: [("a", "b=c")], canonical: "test:///default?a=b%3Dc"),
        // libvirt (query rebuilt by virURIFormatParams) writes "test:///default?q?r=s%2Ft"
        BackendURIOracleCase("test:///default?q?r=s/t", scheme: "test", user: nil, host: nil, port: 0, path: "/default", query: "q?r=s/t", fragment: nil,
                   params: [("q?r", "s/t")], canonical: "test:///default?q%3Fr=s%2Ft"),
        BackendURIOracleCase("test:///default#frag", scheme: "test", user: nil, host: nil, port: 0, path: "/default", query: nil, fragment: "frag",
                   params: [], canonical: "test:///default#frag"),
        BackendURIOracleCase("test:///default?a=1#frag%20x", scheme: "test", user: nil, host: nil, port: 0, path: "/default", query: "a=1", fragment: "frag x",
                   params: [("a", "1")], canonical: "test:///default?a=1#frag%20x"),
        BackendURIOracleCase("test:///default#", scheme: "test", user: nil, host: nil, port: 0, path: "/default", query: nil, fragment: "",
                   params: [], canonical: "test:///default#"),
        BackendURIOracleCase("qemu://h/p#[1]", scheme: "qemu", user: nil, host: "h", port: 0, path: "/p", query: nil, fragment: "[1]",
                   params: [], canonical: "qemu://h/p#[1]"),
        BackendURIOracleCase("qemu://h/p#x/y?z:a@b", scheme: "qemu", user: nil, host: "h", port: 0, path: "/p", query: nil, fragment: "x/y?z:a@b",
                   params: [], canonical: "qemu://h/p#x/y?z:a@b"),

]

// MARK: - Parsing and formatting, against libvirt

@Suite("BackendURI")
struct BackendURITests {
    @Test("parses like virURIParse", arguments: backendURIOracleCases)
    func parsesLikeLibvirt(_ c: BackendURIOracleCase) throws {
        let u = try BackendURI(parsing: c.input)
        #expect(u.scheme == c.scheme)
        #expect(u.user == c.user)
        #expect(u.host == c.host)
        #expect(u.port == c.port)
        #expect(u.path == c.path)
        #expect(u.query == c.query)
        #expect(u.fragment == c.fragment)
        #expect(u.params == c.params)
    }

    @Test("formats like virURIFormat", arguments: backendURIOracleCases)
    func formatsLikeLibvirt(_ c: BackendURIOracleCase) throws {
        let u = try BackendURI(parsing: c.input)
        #expect(u.canonical == c.canonical)
        #expect(u.description == c.canonical)
    }

    @Test("canonical round-trips", arguments: backendURIOracleCases)
    func canonicalRoundTrips(_ c: BackendURIOracleCase) throws {
        let u = try BackendURI(parsing: c.input)
        let again = try BackendURI(parsing: u.canonical)
        #expect(again == u)
        #expect(again.hashValue == u.hashValue)
        #expect(again.canonical == u.canonical)
        #expect(again.params == u.params)
    }

    @Test("driver and transport come from the scheme", arguments: [
        ("qemu+ssh://root@kvm1.example.com/system", "qemu+ssh", "qemu", "ssh" as String?),
        ("Qemu+SSH://Root@KVM1/system", "Qemu+SSH", "qemu", "SSH"),
        ("QEMU:///system", "QEMU", "qemu", nil),
        ("test:///default", "test", "test", nil),
        ("test+unix:///default?socket=/tmp/x/run/libvirt-sock", "test+unix", "test", "unix"),
        ("qemu+ssh+x://h/", "qemu+ssh+x", "qemu", "ssh+x"),
        ("qemu+://h/", "qemu+", "qemu", ""),
        ("hyperv://h:5986/?transport=https", "hyperv", "hyperv", nil),
        ("scvmm://vmm01.example.com/?transport=https", "scvmm", "scvmm", nil),
    ])
    func driverAndTransport(input: String, scheme: String, driver: String, transport: String?) throws {
        let u = try BackendURI(parsing: input)
        #expect(u.scheme == scheme)
        #expect(u.driver == driver)
        #expect(u.transport == transport)
    }

    // MARK: Query parameters

    @Test func repeatedParamsKeepOrderAndLastWins() throws {
        let u = try BackendURI(parsing: "test:///default?A=1&a=2&b=3&a=4")
        #expect(u.params.map(\.name) == ["A", "a", "b", "a"])
        #expect(u.params.map(\.value) == ["1", "2", "3", "4"])
        #expect(u.param("a") == "4")
        #expect(u.param("A") == "4")
        #expect(u.param("B") == "3")
        #expect(u.param("c") == nil)
        #expect(u.params(named: "a") == ["1", "2", "4"])
        #expect(u.params(named: "a").first == "1")  // what libvirt's virURIGetParam returns
        #expect(u.params(named: "missing") == [])
    }

    @Test func semicolonIsASeparatorOnlyWhenNoAmpersandRemains() throws {
        // virURIParseParams: strchr(query, '&'), and only if that fails strchr(query, ';').
        let a = try BackendURI(parsing: "test:///default?a=1;b=2&c=3")
        #expect(a.params == [.init(name: "a", value: "1;b=2"), .init(name: "c", value: "3")])
        let b = try BackendURI(parsing: "test:///default?a=1&b=2;c=3")
        #expect(b.params == [.init(name: "a", value: "1"), .init(name: "b", value: "2"),
                             .init(name: "c", value: "3")])
        let c = try BackendURI(parsing: "test:///default?;;a=1;;")
        #expect(c.params == [.init(name: "a", value: "1")])
    }

    @Test func emptyNamesAndEmptySegments() throws {
        let u = try BackendURI(parsing: "test:///default?&&=x&foo&bar=&&a=1")
        #expect(u.params == [.init(name: "foo", value: ""), .init(name: "bar", value: ""),
                             .init(name: "a", value: "1")])
        #expect(u.query == "&&=x&foo&bar=&&a=1")
        #expect(u.canonical == "test:///default?foo=&bar=&a=1")
    }

    @Test func paramsArePercentDecodedAndPlusIsNotASpace() throws {
        let u = try BackendURI(parsing: "test:///default?a=%2F%20+b&a%26b=c%3Dd&n=%C3%A9")
        #expect(u.param("a") == "/ +b")
        #expect(u.param("a&b") == "c=d")
        #expect(u.param("n") == "é")
        #expect(u.query == "a=%2F%20+b&a%26b=c%3Dd&n=%C3%A9")
        // libvirt writes the name raw ("a&b=c%3Dd"); it is escaped here so it reads back.
        #expect(u.canonical == "test:///default?a=%2F%20%2Bb&a%26b=c%3Dd&n=%C3%A9")
    }

    @Test func libvirtDriverStyleLookups() throws {
        let hv = try BackendURI(parsing: "hyperv://h:5986/?transport=https")
        #expect(hv.host == "h")
        #expect(hv.port == 5986)
        #expect(hv.param("transport") == "https")
        #expect(hv.param("TRANSPORT") == "https")
        let esx = try BackendURI(parsing: "esx://u@h/?no_verify=1")
        #expect(esx.user == "u")
        #expect(esx.param("No_Verify") == "1")
        let sock = try BackendURI(parsing: "test+unix:///default?socket=/tmp/x/run/libvirt-sock")
        #expect(sock.param("socket") == "/tmp/x/run/libvirt-sock")
        #expect(sock.host == nil)
        #expect(sock.path == "/default")
    }

    // MARK: Hosts and ports

    @Test func ipv6HostsLoseTheirBracketsAndGetThemBack() throws {
        let a = try BackendURI(parsing: "qemu://[::1]:16509/system")
        #expect(a.host == "::1")
        #expect(a.port == 16509)
        #expect(a.canonical == "qemu://[::1]:16509/system")
        let b = try BackendURI(parsing: "qemu+tcp://[2001:db8::1]/system")
        #expect(b.host == "2001:db8::1")
        #expect(b.port == 0)
        #expect(b.canonical == "qemu+tcp://[2001:db8::1]/system")
        let zone = try BackendURI(parsing: "qemu://[fe80::1%25eth0]:22/")
        #expect(zone.host == "fe80::1%eth0")
        #expect(zone.canonical == "qemu://[fe80::1%eth0]:22/")
    }

    @Test func portsFollowLibvirt() throws {
        #expect(try BackendURI(parsing: "qemu://h/").port == 0)
        #expect(try BackendURI(parsing: "qemu://h:0/").port == 0)
        #expect(try BackendURI(parsing: "qemu://h:0/").canonical == "qemu://h/")
        #expect(try BackendURI(parsing: "qemu://h:016509/").port == 16509)
        #expect(try BackendURI(parsing: "qemu://h:016509/").canonical == "qemu://h:16509/")
        // No host: the port is dropped (virURIParse sets 0).
        let noHost = try BackendURI(parsing: "qemu://:16509/")
        #expect(noHost.host == nil)
        #expect(noHost.port == 0)
        #expect(noHost.canonical == "qemu:///")
        // libvirt does not range-check ports; libxml2 stops at INT_MAX.
        #expect(try BackendURI(parsing: "qemu://h:99999/").port == 99999)
        #expect(try BackendURI(parsing: "qemu://h:2147483647/").port == 2_147_483_647)
    }

    // MARK: Users and passwords

    @Test func percentEscapedUsers() throws {
        let a = try BackendURI(parsing: "qemu://r%6Fot@host/")
        #expect(a.user == "root")
        #expect(a.canonical == "qemu://root@host/")
        let b = try BackendURI(parsing: "qemu://a%20b%40c@host/")
        #expect(b.user == "a b@c")
        #expect(b.canonical == "qemu://a%20b%40c@host/")
    }

    @Test func passwordsAreDropped() throws {
        // libvirt reports user "root:secret" and formats it back.
        let u = try BackendURI(parsing: "qemu+ssh://root:secret@kvm1.example.com/system")
        #expect(u.user == "root")
        #expect(u.host == "kvm1.example.com")
        #expect(u.path == "/system")
        #expect(u.canonical == "qemu+ssh://root@kvm1.example.com/system")
        #expect(u.redacted == "qemu+ssh://root@kvm1.example.com/system")
        #expect(!u.description.contains("secret"))
        #expect(!String(describing: u).contains("secret"))
        #expect(u == (try BackendURI(parsing: "qemu+ssh://root@kvm1.example.com/system")))
    }

    @Test func passwordWithoutUser() throws {
        // libvirt reports user ":secret".
        let u = try BackendURI(parsing: "qemu://:secret@host/system")
        #expect(u.user == nil)
        #expect(u.canonical == "qemu://host/system")
    }

    @Test func escapedColonBelongsToTheUserName() throws {
        // libvirt reports user "us:er:pw" and writes "qemu://us:er:pw@host/".
        let u = try BackendURI(parsing: "qemu://us%3Aer:pw@host/")
        #expect(u.user == "us:er")
        #expect(u.canonical == "qemu://us%3Aer@host/")
        #expect(try BackendURI(parsing: u.canonical) == u)
    }

    @Test func emptyUserinfoMeansNoUser() throws {
        // libxml2 2.9's length-0 bug makes libvirt report user "@host/system" here and write
        // "qemu://%40host%2Fsystem@host/system".
        let u = try BackendURI(parsing: "qemu://@host/system")
        #expect(u.user == nil)
        #expect(u.host == "host")
        #expect(u.canonical == "qemu://host/system")
    }

    @Test func userWithoutHost() throws {
        let u = try BackendURI(parsing: "qemu://root@/system")
        #expect(u.user == "root")
        #expect(u.host == nil)
        #expect(u.canonical == "qemu://root@/system")
    }

    // MARK: Redaction

    @Test func redactedDropsSecretLookingParams() throws {
        let u = try BackendURI(parsing:
            "qemu+ssh://u:pw@h/system?password=x&keyfile=/k&auth_token=t&Passwd=y&sshauth=privkey&pkipath=/p&client_secret=s")
        #expect(u.canonical ==
            "qemu+ssh://u@h/system?password=x&keyfile=%2Fk&auth_token=t&Passwd=y&sshauth=privkey&pkipath=%2Fp&client_secret=s")
        #expect(u.redacted == "qemu+ssh://u@h/system?keyfile=%2Fk&sshauth=privkey&pkipath=%2Fp")
        let plain = try BackendURI(parsing: "hyperv://h:5986/?transport=https")
        #expect(plain.redacted == plain.canonical)
    }

    // MARK: Forms without "//", odd schemes, paths, fragments

    @Test func formsWithoutAuthority() throws {
        let abs = try BackendURI(parsing: "qemu:/system")
        #expect(abs.path == "/system")
        #expect(abs.host == nil)
        #expect(abs.canonical == "qemu:///system")
        #expect(abs == (try BackendURI(parsing: "qemu:///system")))
        // libvirt writes "qemu://system", which would read back with host "system".
        let rootless = try BackendURI(parsing: "qemu:system")
        #expect(rootless.path == "system")
        #expect(rootless.host == nil)
        #expect(rootless.canonical == "qemu:system")
        let bare = try BackendURI(parsing: "qemu:")
        #expect(bare.path == nil)
        #expect(bare.host == nil)
        #expect(bare.canonical == "qemu://")
    }

    @Test func pathsAreDecodedAndReEscaped() throws {
        let a = try BackendURI(parsing: "qemu://h/a:b?x=1")
        #expect(a.path == "/a:b")
        #expect(a.canonical == "qemu://h/a%3Ab?x=1")
        let b = try BackendURI(parsing: "test:///a%2Fb")
        #expect(b.path == "/a/b")
        #expect(b.canonical == "test:///a/b")
        let c = try BackendURI(parsing: "test:///d%C3%A9")
        #expect(c.path == "/dé")
        #expect(c.canonical == "test:///d%C3%A9")
    }

    @Test func fragments() throws {
        let a = try BackendURI(parsing: "test:///default?a=1#frag%20x")
        #expect(a.fragment == "frag x")
        #expect(a.param("a") == "1")
        #expect(a.canonical == "test:///default?a=1#frag%20x")
        let empty = try BackendURI(parsing: "test:///default#")
        #expect(empty.fragment == "")
        #expect(empty.canonical == "test:///default#")
        let none = try BackendURI(parsing: "test:///default")
        #expect(none.fragment == nil)
        #expect(empty != none)
    }

    @Test func hostsThatNeedEscapingRoundTrip() throws {
        // libvirt writes the decoded host raw: "qemu://h/x/" (a different URI).
        let u = try BackendURI(parsing: "qemu://h%2Fx/")
        #expect(u.host == "h/x")
        #expect(u.path == "/")
        #expect(u.canonical == "qemu://h%2Fx/")
        let colon = try BackendURI(parsing: "qemu://a%3Ab/")
        #expect(colon.host == "a:b")
        #expect(colon.canonical == "qemu://[a:b]/")
        #expect(try BackendURI(parsing: colon.canonical) == colon)
    }

    // MARK: Equality ignores how the query was spelled

    @Test func equalityComparesDecodedParts() throws {
        let semi = try BackendURI(parsing: "test:///default?a=1;b=2")
        let amp = try BackendURI(parsing: "test:///default?a=1&b=2")
        #expect(semi.query == "a=1;b=2")
        #expect(amp.query == "a=1&b=2")
        #expect(semi == amp)
        #expect(semi.hashValue == amp.hashValue)
        #expect(Set([semi, amp]).count == 1)
        let bareQ = try BackendURI(parsing: "test:///default?")
        #expect(bareQ.query == "")
        #expect(bareQ.params == [])
        #expect(bareQ.canonical == "test:///default")  // libvirt keeps the "?": "test:///default?"
        #expect(bareQ == (try BackendURI(parsing: "test:///default")))
        #expect((try BackendURI(parsing: "QEMU:///system")) != (try BackendURI(parsing: "qemu:///system")))
        #expect((try BackendURI(parsing: "qemu://h/?a=1&b=2")) != (try BackendURI(parsing: "qemu://h/?b=2&a=1")))
    }

    // MARK: Deliberate differences from libvirt

    @Test func bareEqualsSegmentIsDropped() throws {
        // libvirt (xmlURIUnescapeString called with length 0) reports params
        // [("=&a=1", ""), ("a", "1")] for this input, and [("=", "")] for "?=".
        let u = try BackendURI(parsing: "test:///default?=&a=1")
        #expect(u.params == [.init(name: "a", value: "1")])
        #expect(try BackendURI(parsing: "test:///default?=").params == [])
    }

    @Test("percent-escapes decoding to NUL or invalid UTF-8 are rejected", arguments: [
        "test:///a%00b",              // libvirt: path "/a"
        "qemu://r%00t@h/",            // libvirt: user "r"
        "test:///default?v=%00",      // libvirt: param v = ""
        "test:///d%FF",               // libvirt: path "/d\xFF"
        "test:///default?n=%FF",      // libvirt: param n = "\xFF"
        "test:///default#%C3",        // libvirt: fragment "\xC3"
    ])
    func rejectsUndecodable(_ input: String) {
        #expect(throws: BackendError.self) { try BackendURI(parsing: input) }
    }

    @Test("relative references are rejected (libvirt accepts them with no scheme)", arguments: [
        "", "foo", "//host/path", "/system", "?a=1",
    ])
    func rejectsMissingScheme(_ input: String) {
        do {
            _ = try BackendURI(parsing: input)
            Issue.record("\(input) parsed")
        } catch {
            #expect(error.code == .invalidArgument)
            #expect(error.message.contains(input.isEmpty ? "empty" : "scheme"))
        }
    }

    // MARK: Invalid input (libvirt's virURIParse fails on every one of these)

    @Test("rejects what virURIParse rejects", arguments: [
        "qemu://[::1/",
        "qemu://::1]/",
        "qemu://h:2147483648/",
        "qemu://h:/",
        "qemu://h:abc/",
        "qemu://h:22:33/",
        "qemu://u@v@h/",
        "test:///default#a#b",
        "test:///default?a=%zz",
        "test:///default?a=%41&b=%4",
        "test:///de fault",
        "test:///default?x=é",
        "qemu://h/p?q=[1]",
        "1qemu:///system",
    ])
    func rejectsInvalid(_ input: String) {
        do {
            _ = try BackendURI(parsing: input)
            Issue.record("\(input) parsed")
        } catch {
            #expect(error.code == .invalidArgument)
            #expect(error.backend == nil)
            #expect(error.message.contains("invalid libvirt URI '\(input)'"))
        }
    }

    @Test func errorMessagesDetailTheProblem() {
        func message(_ s: String) -> String {
            do { _ = try BackendURI(parsing: s); return "" } catch { return error.message }
        }
        #expect(message("qemu://[::1/") == "invalid libvirt URI 'qemu://[::1/': unbalanced '[' in the host")
        #expect(message("qemu://h:2147483648/") == "invalid libvirt URI 'qemu://h:2147483648/': port out of range")
        #expect(message("qemu://h:abc/").hasSuffix("invalid port: a ':' after the host must be followed by digits"))
        #expect(message("test:///de fault").hasSuffix("unexpected byte 0x20 at offset 10"))
        #expect(message("") == "invalid libvirt URI '': the URI is empty")
    }

    @Test func errorMessagesMaskPasswords() {
        do {
            _ = try BackendURI(parsing: "qemu+ssh://root:hunter2@h:abc/system")
            Issue.record("parsed")
        } catch {
            #expect(error.code == .invalidArgument)
            #expect(!error.message.contains("hunter2"))
            #expect(error.message.contains("'qemu+ssh://root:***@h:abc/system'"))
        }
    }

    // MARK: Codable

    @Test func codableUsesTheCanonicalString() throws {
        let u = try BackendURI(parsing: "qemu+ssh://root:pw@[::1]:2222/system?keyfile=/k#f")
        let data = try JSONEncoder().encode([u])
        let text = String(decoding: data, as: UTF8.self)
        #expect(text == #"["qemu+ssh:\/\/root@[::1]:2222\/system?keyfile=%2Fk#f"]"#)
        let back = try JSONDecoder().decode([BackendURI].self, from: data)
        #expect(back == [u])
        #expect(back[0].host == "::1")
        #expect(back[0].param("keyfile") == "/k")
    }

    @Test func decodingRejectsInvalidURIs() {
        let data = Data(#"["qemu://h:abc/"]"#.utf8)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([BackendURI].self, from: data) }
    }
}
