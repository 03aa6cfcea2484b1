import CGSSAPI
import Glibc

/// The GSS-API mechanisms WinRM speaks: SPNEGO (HTTP `Negotiate`, Kerberos when it can, NTLM
/// otherwise), Kerberos itself, and NTLM (through gss-ntlmssp, sent raw under `Negotiate` as
/// Windows and pywinrm do).
public enum GSSMechanism: String, Sendable, CaseIterable {
    case spnego, kerberos, ntlm

    /// The mechanism's OID.
    var oid: gss_OID {
        switch self {
        case .spnego: virtfed_gss_mech_spnego()
        case .kerberos: virtfed_gss_mech_krb5()
        case .ntlm: virtfed_gss_mech_ntlm()
        }
    }

    /// Whether `oid` is Kerberos's.
    static func isKerberos(_ oid: gss_OID?) -> Bool {
        guard let oid else { return false }
        let krb5 = virtfed_gss_mech_krb5()!
        return oid.pointee.length == krb5.pointee.length
            && memcmp(oid.pointee.elements, krb5.pointee.elements, Int(oid.pointee.length)) == 0
    }
}
