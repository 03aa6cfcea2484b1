/// What to do about a GSS-API failure, in words an operator can act on, added to the library's
/// own message (which names the problem but not the fix).
enum GSSAdvice {
    /// `message` with advice for the failures a WinRM client meets most.
    static func explained(_ message: String, service: String) -> String {
        let lowered = message.lowercased()
        let spn = service.replacingOccurrences(of: "@", with: "/")
        let advice: String? =
            if lowered.contains("not found in kerberos database") && lowered.contains("client") {
                "the KDC does not know this user: check the username (user@REALM)"
            } else if lowered.contains("not found in kerberos database") {
                "the KDC has no principal \(spn): give the listener's SPN with spn=HTTP/host.fqdn (Kerberos needs the host's name, not its address)"
            } else if lowered.contains("clock skew") {
                "this host's clock differs from the KDC's (or the Windows host's) by more than Kerberos allows (5 minutes by default, krb5.conf clockskew): synchronize the clocks (NTP; w32tm on Windows)"
            } else if lowered.contains("ticket expired") || lowered.contains("credential has expired") || lowered.contains("credentials have expired") {
                "the ticket has expired: renew it (kinit, k5start) or give a password"
            } else if lowered.contains("preauthentication failed") || lowered.contains("password incorrect") {
                "the password was refused"
            } else if lowered.contains("no credentials") || lowered.contains("no kerberos credentials") || lowered.contains("credentials cache") {
                "no credentials: set a password (password_file/password_env) or a ticket cache (KRB5CCNAME)"
            } else if lowered.contains("cannot find kdc") || lowered.contains("cannot contact any kdc") {
                "no KDC answered for the realm: check KRB5_CONFIG and the realm's kdc entries"
            } else {
                nil
            }
        return advice.map { "\(message) — \($0)" } ?? message
    }
}
