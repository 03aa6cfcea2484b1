import Foundation

/// Throwaway certificates for WinRM certificate authentication, made with `openssl` into a
/// scratch directory at test time (no key is ever committed): a client CA, a client certificate
/// as a Windows certmapping wants it (the user's UPN in subjectAltName otherName
/// 1.3.6.1.4.1.311.20.2.3, the Client Authentication EKU), one without the UPN, and one with the
/// UPN from another CA. The listener's own certificate comes from `ChannelBindingTests.certificate`.
struct ClientCertificates {
    /// A certificate and its key, by path.
    struct Pair {
        let cert: String
        let key: String
    }

    let directory: URL
    /// The CA that certmappings name (`virtfed-sim --client-ca`).
    let ca: String
    /// UPN `upn`, clientAuth EKU, issued by `ca`.
    let good: Pair
    /// clientAuth EKU but no UPN, issued by `ca`.
    let withoutUPN: Pair
    /// UPN and EKU, issued by a CA no mapping names.
    let otherCA: Pair
    /// The UPN in `good` and `otherCA`.
    let upn: String

    init(in directory: URL, upn: String = "fed-admin@localhost") throws {
        self.directory = directory
        self.upn = upn
        ca = try Self.authority(in: directory, name: "client-ca").cert
        let other = try Self.authority(in: directory, name: "other-ca").cert
        let sanUPN = "subjectAltName=otherName:1.3.6.1.4.1.311.20.2.3;UTF8:\(upn)"
        good = try Self.issue(in: directory, name: "client", issuer: ca, extensions: ["extendedKeyUsage=clientAuth", sanUPN])
        withoutUPN = try Self.issue(in: directory, name: "no-upn", issuer: ca,
                                    extensions: ["extendedKeyUsage=clientAuth", "subjectAltName=email:fed-admin@example.com"])
        otherCA = try Self.issue(in: directory, name: "other", issuer: other, extensions: ["extendedKeyUsage=clientAuth", sanUPN])
    }

    /// A self-signed CA (`openssl req -x509`: basicConstraints CA:TRUE from the default config).
    private static func authority(in directory: URL, name: String) throws -> Pair {
        let pair = Pair(cert: directory.appendingPathComponent("\(name).pem").path, key: directory.appendingPathComponent("\(name)-key.pem").path)
        try openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=VF test \(name)",
                     "-keyout", pair.key, "-out", pair.cert])
        return pair
    }

    /// A leaf for CN=fed-admin signed by `issuer` (whose key is `<issuer>-key.pem`), with `extensions`.
    private static func issue(in directory: URL, name: String, issuer: String, extensions: [String]) throws -> Pair {
        let pair = Pair(cert: directory.appendingPathComponent("\(name).pem").path, key: directory.appendingPathComponent("\(name)-key.pem").path)
        let request = directory.appendingPathComponent("\(name).csr").path, extfile = directory.appendingPathComponent("\(name).ext").path
        try (["basicConstraints=CA:FALSE", "keyUsage=digitalSignature,keyEncipherment"] + extensions).joined(separator: "\n")
            .write(toFile: extfile, atomically: true, encoding: .utf8)
        try openssl(["req", "-new", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=fed-admin", "-keyout", pair.key, "-out", request])
        try openssl(["x509", "-req", "-in", request, "-CA", issuer, "-CAkey", issuer.replacingOccurrences(of: ".pem", with: "-key.pem"),
                     "-CAcreateserial", "-days", "2", "-extfile", extfile, "-out", pair.cert])
        return pair
    }

    private static func openssl(_ arguments: [String]) throws {
        let made = try runCommand("/usr/bin/openssl", arguments)
        guard made.status == 0 else { throw FleetError(message: "openssl \(arguments.first ?? "") failed: \(made)") }
    }
}
