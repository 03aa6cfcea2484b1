import CLibvirt

/// Answers libvirt's credential prompts (`virConnectAuth`) from configured values. The
/// callback is a plain C function; the answers reach it through `cbdata`.
final class LibvirtAuthAnswers {
    let username: String?
    let password: String?

    init(username: String?, password: String?) {
        self.username = username
        self.password = password
    }

    /// Runs `body` with a `virConnectAuth` whose callback answers from `self`.
    func withAuth<T>(_ body: (virConnectAuthPtr) -> T) -> T {
        var types: [Int32] = [
            Int32(VIR_CRED_AUTHNAME.rawValue), Int32(VIR_CRED_USERNAME.rawValue),
            Int32(VIR_CRED_PASSPHRASE.rawValue), Int32(VIR_CRED_NOECHOPROMPT.rawValue),
        ]
        let context = Unmanaged.passUnretained(self).toOpaque()
        return withExtendedLifetime(self) {
            types.withUnsafeMutableBufferPointer { buffer in
                var auth = virConnectAuth(
                    credtype: buffer.baseAddress, ncredtype: UInt32(buffer.count),
                    cb: LibvirtAuthAnswers.callback, cbdata: context
                )
                return body(&auth)
            }
        }
    }

    private static let callback: virConnectAuthCallbackPtr = { creds, count, cbdata in
        guard let creds, let cbdata else { return -1 }
        let answers = Unmanaged<LibvirtAuthAnswers>.fromOpaque(cbdata).takeUnretainedValue()
        for index in 0..<Int(count) {
            let answer: String?
            switch UInt32(creds[index].type) {
            case VIR_CRED_AUTHNAME.rawValue, VIR_CRED_USERNAME.rawValue:
                // The configured user, else the one libvirt offers (the URI's `user@`).
                answer = answers.username ?? creds[index].defresult.map { String(cString: $0) }
            case VIR_CRED_PASSPHRASE.rawValue, VIR_CRED_NOECHOPROMPT.rawValue: answer = answers.password
            default: answer = nil
            }
            // No configured answer: fail the prompt rather than hand libvirt an empty secret.
            guard let answer else { return -1 }
            creds[index].result = strdup(answer)
            creds[index].resultlen = UInt32(answer.utf8.count)
        }
        return 0
    }
}
