import CGSSAPI
import Glibc

/// The one owner of a `gss_cred_id_t`: a user's credential for one mechanism, acquired with a
/// password (`gss_acquire_cred_with_password`: Kerberos asks the KDC, NTLM keeps the hash), or
/// the caller's own (the ticket cache `KRB5CCNAME`, or a client keytab `KRB5_CLIENT_KTNAME`).
public final class GSSCredential: @unchecked Sendable {
    let handle: gss_cred_id_t?

    /// A credential for `user` (`user@REALM`, `DOMAIN\user`, or a bare name) with `password`.
    /// The password is handed to the library and kept nowhere here.
    public init(user: String, password: String, mechanism: GSSMechanism) throws(GSSError) {
        var minor: OM_uint32 = 0
        var name: gss_name_t?
        var nameBuffer = gss_buffer_desc()
        var major: OM_uint32 = user.withCString { text in
            nameBuffer.value = UnsafeMutableRawPointer(mutating: text)
            nameBuffer.length = strlen(text)
            return gss_import_name(&minor, &nameBuffer, virtfed_gss_nt_user_name(), &name)
        }
        guard virtfed_gss_error(major) == 0 else { throw GSSError("cannot read the user name", major: major, minor: minor) }
        defer { gss_release_name(&minor, &name) }
        var mechanisms = gss_OID_set_desc(count: 1, elements: mechanism.oid)
        var credential: gss_cred_id_t?
        major = password.withCString { text in
            var secret = gss_buffer_desc(length: strlen(text), value: UnsafeMutableRawPointer(mutating: text))
            return gss_acquire_cred_with_password(&minor, name, &secret, GSS_C_INDEFINITE, &mechanisms, GSS_C_INITIATE, &credential, nil, nil)
        }
        guard virtfed_gss_error(major) == 0 else { throw GSSError("cannot get credentials for \(user)", major: major, minor: minor) }
        handle = credential
    }

    /// A credential from a client keytab (a service account: no password anywhere), for `user`
    /// or, with nil, the keytab's first principal; its tickets live in a memory cache of its own.
    public init(clientKeytab path: String, user: String?, mechanism: GSSMechanism) throws(GSSError) {
        var minor: OM_uint32 = 0
        var name: gss_name_t?
        if let user {
            let major = user.withCString { text in
                var buffer = gss_buffer_desc(length: strlen(text), value: UnsafeMutableRawPointer(mutating: text))
                return gss_import_name(&minor, &buffer, virtfed_gss_nt_user_name(), &name)
            }
            guard virtfed_gss_error(major) == 0 else { throw GSSError("cannot read the user name", major: major, minor: minor) }
        }
        defer { if name != nil { gss_release_name(&minor, &name) } }
        var mechanisms = gss_OID_set_desc(count: 1, elements: mechanism.oid)
        var credential: gss_cred_id_t?
        let cache = "MEMORY:virtfed-\(UInt64.random(in: 1...UInt64.max))"
        let major = "client_keytab".withCString { keytabKey in
            path.withCString { keytab in
                "ccache".withCString { cacheKey in
                    cache.withCString { cacheName in
                        var elements = [gss_key_value_element_desc(key: keytabKey, value: keytab),
                                        gss_key_value_element_desc(key: cacheKey, value: cacheName)]
                        return elements.withUnsafeMutableBufferPointer { buffer in
                            var store = gss_key_value_set_desc(count: 2, elements: buffer.baseAddress)
                            return gss_acquire_cred_from(&minor, name, GSS_C_INDEFINITE, &mechanisms, GSS_C_INITIATE, &store, &credential, nil, nil)
                        }
                    }
                }
            }
        }
        guard virtfed_gss_error(major) == 0 else { throw GSSError("no credentials from the client keytab \(path)", major: major, minor: minor) }
        handle = credential
    }

    /// The caller's default credential for `mechanism` (a ticket cache or client keytab).
    public init(defaultFor mechanism: GSSMechanism) throws(GSSError) {
        var minor: OM_uint32 = 0
        var mechanisms = gss_OID_set_desc(count: 1, elements: mechanism.oid)
        var credential: gss_cred_id_t?
        let major = gss_acquire_cred(&minor, nil, GSS_C_INDEFINITE, &mechanisms, GSS_C_INITIATE, &credential, nil, nil)
        guard virtfed_gss_error(major) == 0 else {
            throw GSSError("no \(mechanism.rawValue) credentials in the ticket cache or client keytab", major: major, minor: minor)
        }
        handle = credential
    }

    /// An acceptor's credential from the keytab (`KRB5_KTNAME`), for servers and tests: for
    /// `mechanism`, or with nil for every mechanism the library has (raw Kerberos and SPNEGO alike).
    public init(acceptor mechanism: GSSMechanism?) throws(GSSError) {
        var minor: OM_uint32 = 0
        var mechanisms = gss_OID_set_desc(count: 1, elements: (mechanism ?? .spnego).oid)
        var credential: gss_cred_id_t?
        let major = mechanism == nil
            ? gss_acquire_cred(&minor, nil, GSS_C_INDEFINITE, nil, GSS_C_ACCEPT, &credential, nil, nil)
            : gss_acquire_cred(&minor, nil, GSS_C_INDEFINITE, &mechanisms, GSS_C_ACCEPT, &credential, nil, nil)
        guard virtfed_gss_error(major) == 0 else { throw GSSError("no acceptor credentials in the keytab", major: major, minor: minor) }
        handle = credential
    }

    deinit {
        var minor: OM_uint32 = 0
        var handle = self.handle
        if handle != nil { gss_release_cred(&minor, &handle) }
    }
}
