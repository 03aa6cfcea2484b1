import Foundation
import Testing
import WSMan

/// RFC 5929 `tls-server-end-point`: the hash follows the certificate's signature algorithm
/// (SHA-384/512 kept, MD5 and SHA-1 raised to SHA-256), over the DER of the certificate. The
/// expected digests were computed by openssl (`openssl x509 -outform der | sha384sum`).
@Suite("TLS channel binding (tls-server-end-point)")
struct TLSChannelBindingTests {
    /// An ECDSA P-256 certificate signed with ecdsa-with-SHA384.
    static let pem = """
        -----BEGIN CERTIFICATE-----
        MIIBfzCCASWgAwIBAgIUK4OLLmShBRymSIRwLYqKPeeKa7AwCgYIKoZIzj0EAwMw
        FTETMBEGA1UEAwwKd2lucm0udGVzdDAeFw0yNjEyMDUwNjA2MDlaFw0zNjEyMDIw
        NjA2MDlaMBUxEzARBgNVBAMMCndpbnJtLnRlc3QwWTATBgcqhkjOPQIBBggqhkjO
        PQMBBwNCAASod3pYa6qW6Cu/ICEsNgxMROoNVgeUGlFggoFAp9Bun3nyQfsKasnl
        cZRm/78ggP7Owy4b/bCm9PxV2pQDa1Olo1MwUTAdBgNVHQ4EFgQUZbz1YrAtmsiN
        SOgvGsp2wA4llZAwHwYDVR0jBBgwFoAUZbz1YrAtmsiNSOgvGsp2wA4llZAwDwYD
        VR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAwNIADBFAiEA3gGo8cZb8revK10h8wls
        O4AG+TYZKoF5f6XPvZEsPEoCIECiwmDLCZvwyiJOaGfeemSU5g5pIIzvFqY+cs5E
        LhN/
        -----END CERTIFICATE-----

        """
    static let sha384 = "e8989c58b7257062fc2d0838a1bca52bb0293620a7e4034a12d9476e26c7fd81177d903b77e9074827b9371da28989cb"
    static let sha256 = "1d4be1ffe621c8cb1cff19a6465379fdc2167c60fab2fd1803ae1ebae4e895c7"

    static func hex(_ bytes: some Sequence<UInt8>) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    @Test func theApplicationDataIsThePrefixAndTheHashOfTheDER() throws {
        let der = try #require(TLSChannelBinding.der(fromPEM: Self.pem))
        let data = TLSChannelBinding.applicationData(certificateDER: der, signatureAlgorithm: "ecdsa-with-SHA384")
        let prefix = Array("tls-server-end-point:".utf8)
        #expect(Array(data.prefix(prefix.count)) == prefix)
        #expect(Self.hex(data.dropFirst(prefix.count)) == Self.sha384)
        // The same certificate described as SHA-1-signed is bound with SHA-256 (RFC 5929 §4.1).
        let upgraded = TLSChannelBinding.applicationData(certificateDER: der, signatureAlgorithm: "sha1WithRSAEncryption")
        #expect(Self.hex(upgraded.dropFirst(prefix.count)) == Self.sha256)
    }

    @Test("The hash for each signature algorithm", arguments: [
        ("sha256WithRSAEncryption", TLSChannelBinding.Hash.sha256), ("sha384WithRSAEncryption", .sha384),
        ("sha512WithRSAEncryption", .sha512), ("ecdsa-with-SHA384", .sha384), ("ecdsa-with-SHA512", .sha512),
        ("ecdsa-with-SHA256", .sha256), ("md5WithRSAEncryption", .sha256), ("sha1WithRSAEncryption", .sha256),
        ("ecdsa-with-SHA1", .sha256), ("ED25519", .sha256), ("", .sha256),
    ])
    func hashChoice(algorithm: String, hash: TLSChannelBinding.Hash) {
        #expect(TLSChannelBinding.Hash(signatureAlgorithm: algorithm) == hash)
    }

    @Test func notACertificateIsNil() {
        #expect(TLSChannelBinding.der(fromPEM: "-----BEGIN CERTIFICATE-----\n!!!\n-----END CERTIFICATE-----") == nil)
        #expect(TLSChannelBinding.der(fromPEM: "") == nil)
    }
}
