import BrokerCore
import WSMan

/// Where and how to reach a Hyper-V host, from its URI: transport http or https (default
/// https, as libvirt), ports 5985/5986, path `/wsman`, certificates verified unless
/// `no_verify=1`, and Basic sent over plain http only when `auth=basic` says so.
struct HyperVEndpoint {
    let url: String
    let authentication: CurlTransport.Authentication
    let verifyPeer: Bool

    init(_ uri: BackendURI) throws(BackendError) {
        let transport = uri.param("transport")?.lowercased() ?? "https"
        guard transport == "http" || transport == "https" else {
            throw BackendError(.invalidArgument, "query parameter 'transport' has unexpected value '\(transport)' (should be http|https)")
        }
        guard let host = uri.host, !host.isEmpty else { throw BackendError(.invalidArgument, "a hyperv URI needs a host") }
        let port = uri.port != 0 ? uri.port : (transport == "https" ? 5986 : 5985)
        let hostPart = host.contains(":") ? "[\(host)]" : host
        url = "\(transport)://\(hostPart):\(port)/wsman"
        verifyPeer = uri.param("no_verify") != "1"
        switch uri.param("auth")?.lowercased() {
        case "basic"?: authentication = .basic
        case "ntlm"?: authentication = .ntlm
        case "negotiate"?, "kerberos"?: authentication = .negotiate
        case nil: authentication = transport == "https" ? .any : .secure
        case let other?:
            throw BackendError(.invalidArgument, "query parameter 'auth' has unexpected value '\(other)' (should be basic|ntlm|negotiate)")
        }
    }
}
