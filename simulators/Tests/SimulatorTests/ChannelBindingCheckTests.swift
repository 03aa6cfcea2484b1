import Foundation
@testable import Simulators
import Testing

/// The NTLM acceptor's channel-binding check (`MsvAvChannelBindings`, MS-NLMP 2.2.2.1) per
/// `CbtHardeningLevel`, on AUTHENTICATE messages computed by the test client.
@Suite("Channel binding: the NTLM acceptor per CbtHardeningLevel")
struct ChannelBindingCheckTests {
    static let applicationData = Array("tls-server-end-point:".utf8) + [UInt8](repeating: 7, count: 32)

    @Test("Strict wants the listener's binding; Relaxed refuses a wrong one and takes none; None ignores it", arguments: [
        (CbtHardeningLevel.strict, "right", true), (.strict, "none", false), (.strict, "zeros", false), (.strict, "wrong", false),
        (.relaxed, "right", true), (.relaxed, "none", true), (.relaxed, "zeros", true), (.relaxed, "wrong", false),
        (.none, "wrong", true), (.none, "none", true),
    ])
    func ntlm(level: CbtHardeningLevel, sent: String, accepted: Bool) throws {
        let bindings: [UInt8]? = switch sent {
        case "right": TLSServerEndPoint.ntlmHash(applicationData: Self.applicationData)
        case "wrong": TLSServerEndPoint.ntlmHash(applicationData: Self.applicationData + [1])
        case "zeros": [UInt8](repeating: 0, count: 16)  // what clients without bindings send
        default: nil
        }
        let credentials = BasicCredentials(user: "administrator", password: "secret")
        let identity = NTLMServerIdentity(dnsHostName: "hv01.lab.local")
        let client = NTLMTestClient(user: "administrator", password: "secret", domain: "LAB")
        var server = NTLMServerContext()
        var random = SystemRandomNumberGenerator()
        let first = server.step(token: client.negotiate(), credentials: credentials, identity: identity, cbt: level,
                                channelBinding: Self.applicationData, random: &random)
        guard case .challenge(let challenge) = first else { throw TestFailure("no challenge: \(first)") }
        let token = try client.authenticate(challengeMessage: challenge, channelBindings: bindings)
        let last = server.step(token: token, credentials: credentials, identity: identity, cbt: level,
                               channelBinding: Self.applicationData, random: &random)
        if accepted {
            #expect(last == .accepted(user: "LAB\\administrator"), "\(level) \(sent): \(last)")
            #expect(server.channelBound == (sent == "right"))
        } else {
            guard case .rejected(let reason) = last else { throw TestFailure("\(level) \(sent) accepted") }
            #expect(reason.contains("channel binding (CbtHardeningLevel = \(level.rawValue))"), "\(reason)")
        }
    }

    @Test func levelsAreReadCaseInsensitively() {
        #expect(CbtHardeningLevel(setting: "strict") == .strict && CbtHardeningLevel(setting: "RELAXED") == .relaxed)
        #expect(CbtHardeningLevel(setting: "None") == CbtHardeningLevel.none && CbtHardeningLevel(setting: "lax") == nil)
    }
}
