import BrokerCore
import WinRMSupport
import WSMan
import Testing
@testable import HyperVPlugin

@Suite("Hyper-V plugin: mapping and joins")
struct HyperVPluginUnitTests {
    @Test func enabledStatesMapHonestlyIncludingV2() {
        #expect(HyperVStateMapping.state(2) == .running)
        #expect(HyperVStateMapping.state(3) == .shutoff)
        #expect(HyperVStateMapping.state(6) == .saved)
        #expect(HyperVStateMapping.state(9) == .paused)
        #expect(HyperVStateMapping.state(32768) == .paused)
        #expect(HyperVStateMapping.state(32769) == .saved)
        #expect(HyperVStateMapping.state(32770) == .starting)
        #expect(HyperVStateMapping.state(32774) == .shuttingDown)
        #expect(HyperVStateMapping.state(32773) == .stopping)
        #expect(HyperVStateMapping.state(0) == .unknown)
        #expect(HyperVStateMapping.raw(9) == "EnabledState=9")
        #expect(HyperVStateMapping.requestedState(for: .suspend) == 9)
        #expect(HyperVStateMapping.requestedState(for: .save) == 6)
        #expect(HyperVStateMapping.requestedState(for: .shutdown) == nil)
    }

    @Test func theFourEnumerationsJoinByGUID() {
        let guid = "1A2B3C4D-0000-4000-8000-00000000ABCD"
        let inventory = HyperVInventory(
            systems: [["Name": guid, "ElementName": "sql-01", "EnabledState": "2", "ProcessID": "4242"],
                      ["Name": "22222222-0000-4000-8000-000000000002", "ElementName": "off-01", "EnabledState": "3", "ProcessID": "7"]],
            settings: [["InstanceID": "Microsoft:\(guid)", "BIOSGUID": "{B105B105-0000-4000-8000-000000000001}"],
                       ["InstanceID": "Microsoft:SNAPSHOT-GUID", "BIOSGUID": "{FFFFFFFF-0000-4000-8000-000000000001}"]],
            processors: [["InstanceID": "Microsoft:\(guid)\\B637F346-6A0E-4DEC-AF52-BD70CB80A21D\\0", "VirtualQuantity": "4"],
                         ["InstanceID": "Microsoft:Definition\\Maximum", "VirtualQuantity": "240"]],
            memory: [["InstanceID": "Microsoft:\(guid)\\4764334d-e001-4176-82ee-5594ec9b530e", "VirtualQuantity": "8192", "Limit": "16384"]],
            host: "hv01.lab.local")
        #expect(inventory.domains.count == 2)
        let sql = inventory.domains[0]
        #expect(sql.uuid == guid.lowercased())
        #expect(sql.id == 4242)
        #expect(sql.vcpus == 4)
        #expect(sql.memoryKiB == 8192 * 1024)
        #expect(sql.maxMemoryKiB == 16384 * 1024)
        #expect(sql.biosGuid == "b105b105-0000-4000-8000-000000000001")
        #expect(sql.host == "hv01.lab.local" && sql.platform == "Hyper-V")
        let off = inventory.domains[1]
        #expect(off.state == .shutoff && off.id == nil && off.vcpus == 0)
    }

    @Test func endpointsFollowLibvirtsRulesAndRefuseBasicOverPlainHTTP() throws {
        let secure = try WinRMEndpoint(BackendURI(parsing: "hyperv://hv01.example.com/"))
        #expect(secure.url == "https://hv01.example.com:5986/wsman")
        #expect(secure.verifyPeer)
        let plain = try WinRMEndpoint(BackendURI(parsing: "hyperv://127.0.0.1/?transport=http"))
        #expect(plain.url == "http://127.0.0.1:5985/wsman")
        #expect(plain.authentication == nil && plain.seals && plain.servicePrincipal == "HTTP/127.0.0.1", "plain http: Negotiate, sealed")
        #expect(!secure.seals)
        let basic = try WinRMEndpoint(BackendURI(parsing: "hyperv://127.0.0.1:15985/?transport=http&auth=basic&no_verify=1"))
        #expect(basic.url == "http://127.0.0.1:15985/wsman" && !basic.verifyPeer)
        #expect(basic.authentication == .basic)
        let kerberos = try WinRMEndpoint(BackendURI(parsing: "hyperv://127.0.0.9/?transport=http&auth=kerberos&spn=HTTP/hv01.lab.local"))
        #expect(kerberos.authentication == .kerberos && kerberos.servicePrincipal == "HTTP/hv01.lab.local" && kerberos.seals)
        let clear = try WinRMEndpoint(BackendURI(parsing: "hyperv://h/?transport=http&auth=ntlm&encryption=never"))
        #expect(!clear.seals)
        #expect(throws: BackendError.self) { try WinRMEndpoint(BackendURI(parsing: "hyperv://h/?auth=basic&encryption=always")) }
        #expect(throws: BackendError.self) { try WinRMEndpoint(BackendURI(parsing: "hyperv://h/?encryption=sometimes")) }
        #expect(throws: BackendError.self) { try WinRMEndpoint(BackendURI(parsing: "hyperv://h/?transport=ftp")) }
        #expect(throws: BackendError.self) { try WinRMEndpoint(BackendURI(parsing: "hyperv://h/?auth=digest")) }
        // Channel binding over https: on unless turned off by name.
        #expect(secure.channelBinding)
        #expect(try !WinRMEndpoint(BackendURI(parsing: "hyperv://h/?auth=ntlm&channel_binding=off")).channelBinding)
        #expect(try WinRMEndpoint(BackendURI(parsing: "hyperv://h/?auth=ntlm&channel_binding=ON")).channelBinding)
        let unknown = #expect(throws: BackendError.self) { try WinRMEndpoint(BackendURI(parsing: "hyperv://h/?channel_binding=maybe")) }
        #expect(unknown?.code == .invalidArgument && unknown?.message.contains("channel_binding") == true, "\(String(describing: unknown))")
    }

    @Test func certificateAuthenticationIsHTTPSOnlyAndTakesTheCertificateAndKeyFromSettings() throws {
        let endpoint = try WinRMEndpoint(BackendURI(parsing: "hyperv://hv01.example.com/?auth=certificate"))
        #expect(endpoint.authentication == .certificate && endpoint.url == "https://hv01.example.com:5986/wsman" && !endpoint.seals)
        let never = try WinRMEndpoint(BackendURI(parsing: "scvmm://vmm.example.com/?transport=https&auth=CERTIFICATE&encryption=never"))
        #expect(never.authentication == .certificate && !never.seals)
        let overHTTP = #expect(throws: BackendError.self) { try WinRMEndpoint(BackendURI(parsing: "hyperv://h/?transport=http&auth=certificate")) }
        #expect(overHTTP?.code == .invalidArgument && overHTTP?.message.contains("auth=certificate needs transport=https") == true)
        let sealed = #expect(throws: BackendError.self) { try WinRMEndpoint(BackendURI(parsing: "hyperv://h/?auth=certificate&encryption=always")) }
        #expect(sealed?.code == .invalidArgument && sealed?.message.contains("no session key") == true)

        // client_cert and client_key: both with auth=certificate, neither without it; paths only.
        let both = BackendOptions(["client_cert": .string("/etc/virtfed/hv.pem"), "client_key": .string("/etc/virtfed/hv-key.pem")])
        #expect(try endpoint.clientCertificate(both) == WinRMClientCertificate(certificateFile: "/etc/virtfed/hv.pem", keyFile: "/etc/virtfed/hv-key.pem"))
        let half = BackendOptions(["client_cert": .string("/etc/virtfed/hv.pem")])
        let missing = #expect(throws: WSManError.self) { try endpoint.clientCertificate(half) }
        #expect(missing?.backendError.code == .invalidArgument && missing?.description.contains("client_key") == true, "\(String(describing: missing))")
        let ntlm = try WinRMEndpoint(BackendURI(parsing: "hyperv://h/?auth=ntlm"))
        #expect(try ntlm.clientCertificate(BackendOptions()) == nil)
        let stray = #expect(throws: WSManError.self) { try ntlm.clientCertificate(both) }
        #expect(stray?.description.contains("are for auth=certificate") == true)
        // A client is made without a network round (libcurl reads the files at the handshake).
        _ = try endpoint.client(uri: BackendURI(parsing: "hyperv://hv01.example.com/?auth=certificate"), credentials: nil, options: both)
        let noCertificate = #expect(throws: WSManError.self) {
            try endpoint.client(uri: BackendURI(parsing: "hyperv://hv01.example.com/?auth=certificate"), credentials: nil, options: BackendOptions())
        }
        #expect(noCertificate?.backendError.code == .invalidArgument)
        // Built by hand over http, the endpoint still refuses to make a client.
        let handMade = WinRMEndpoint(https: false, host: "h", authentication: .certificate, verifyPeer: true)
        #expect(throws: WSManError.self) { try handMade.client(username: nil, password: nil, caFile: nil, clientCertificate: WinRMClientCertificate(certificateFile: "/c.pem", keyFile: "/k.pem")) }
        #expect(HyperVPlugin.settings.map(\.key).contains("client_cert") && HyperVPlugin.settings.map(\.key).contains("client_key"))
    }

    @Test func returnValuesAndWQLEscaping() {
        #expect(HyperVErrorMapping.returnValue(4097, method: "RequestStateChange").code == .invalidState)
        #expect(HyperVErrorMapping.returnValue(32769, method: "RequestStateChange").code == .permissionDenied)
        #expect(HyperVSession.escaped(#"it's a \ test"#) == #"it\'s a \\ test"#)
        #expect(HyperVHostInfo.cleanModel("Intel(R) Xeon(R) Gold 6230 CPU @ 2.10GHz") == "Intel Xeon Gold 6230 CPU")
    }
}
