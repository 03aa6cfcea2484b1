import Foundation
import GSSAPI

/// One connection's SPNEGO/Kerberos handshake as a Windows listener accepts it, through MIT
/// GSS-API: Kerberos with the keytab in `KRB5_KTNAME` (the simulator's `--keytab`), NTLM inside
/// SPNEGO with gss-ntlmssp and the simulator's credentials (`GSSAcceptorSetup`). Raw NTLMSSP
/// tokens (pywinrm's) keep going to `NTLMServerContext`. Over https the client's channel
/// bindings are checked per `CbtHardeningLevel`: MIT's Kerberos and gss-ntlmssp (1.2) refuse
/// wrong ones, accept none, and report matching ones (`isChannelBound`), so Strict refuses a
/// client whose context is not channel-bound. (Older gss-ntlmssp refuses missing bindings too:
/// under Relaxed an NTLM AUTHENTICATE without them is passed no bindings, as Windows accepts it.)
struct GSSServerContext {
    enum Step {
        /// More tokens are needed: send this one in a 401.
        case challenge([UInt8])
        /// Authenticated; the last token (mutual authentication), if any, goes with the answer.
        case accepted([UInt8]?)
        case rejected(String)
    }

    private(set) var context: GSSContext?

    /// Whether the handshake completed on this connection.
    var isEstablished: Bool { context?.isComplete == true }

    /// One token. Over https, `cbt` is the listener's level and `channelBinding` the
    /// application data of its certificate (nil: none can match); over http, `cbt` is `.none`.
    mutating func step(_ token: [UInt8], cbt: CbtHardeningLevel = .none, channelBinding: [UInt8]? = nil) -> Step {
        if context == nil || context?.isComplete == true {
            guard let credential = GSSAcceptorSetup.credential else { return .rejected("no acceptor credentials (SPNEGO, Kerberos)") }
            context = GSSContext(acceptor: credential)
        }
        // What MIT and gss-ntlmssp check against: the certificate's, or (no certificate known)
        // a value no client can have sent.
        let expected = channelBinding ?? Array("tls-server-end-point:unknown".utf8)
        let ntlm = NTLMAuthenticateMessage(embeddedIn: token)
        switch cbt {
        case .none: context?.channelBinding = nil
        case .relaxed: context?.channelBinding = ntlm != nil && ntlm?.channelBindingHash == nil ? nil : expected
        case .strict: context?.channelBinding = expected
        }
        do {
            let output = try context?.step(token)
            if context?.isComplete == true {
                if cbt == .strict, context?.isChannelBound != true {
                    context = nil
                    return .rejected(cbt.refusal(sent: false, matching: false) ?? "no channel binding")
                }
                return .accepted(output)
            }
            guard let output else { return .rejected("the handshake stalled") }
            return .challenge(output)
        } catch {
            context = nil
            return .rejected(error.message)
        }
    }
}

/// The simulator process's GSS acceptor: a gss-ntlmssp user file with the listener's
/// credentials (`NTLM_USER_FILE`, private to this process and removed at exit) and the
/// acceptor credential, made once.
public enum GSSAcceptorSetup {
    private static let state = Locked<GSSCredential?>(nil)

    /// Prepares the acceptor for `user` (`DOMAIN\user` or `user`) and `password`, and, when
    /// given, Kerberos with `keytab`. Call before serving.
    public static func configure(user: String, password: String, keytab: String?) {
        let parts = user.split(separator: "\\", maxSplits: 1).map(String.init)
        let (domain, name) = parts.count == 2 ? (parts[0], parts[1]) : ("", user)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("virtfed-sim-ntlm-\(getpid())").path
        let line = "\(domain):\(name):\(password)\n"
        FileManager.default.createFile(atPath: file, contents: Data(line.utf8), attributes: [.posixPermissions: 0o600])
        setenv("NTLM_USER_FILE", file, 1)
        if let keytab { setenv("KRB5_KTNAME", keytab, 1) }
        atexit { unlink(FileManager.default.temporaryDirectory.appendingPathComponent("virtfed-sim-ntlm-\(getpid())").path) }
        state.withLock { $0 = try? GSSCredential(acceptor: nil) }
    }

    /// The acceptor credential, when configured.
    static var credential: GSSCredential? { state.withLock { $0 } }
}
