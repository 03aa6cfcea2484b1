import CCurl

/// The one owner of a libcurl easy handle. Kept for the life of a session so that the
/// connection (and its TLS and NTLM state) is reused. Every call blocks: run it on a thread
/// of the session's own, never on the cooperative pool.
public final class CurlEasy: @unchecked Sendable {
    private let handle: UnsafeMutableRawPointer
    private static let initialized: Bool = curl_global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK

    /// Creates a handle.
    public init() throws(CurlError) {
        _ = Self.initialized
        guard let handle = curl_easy_init() else { throw CurlError(.other, "cannot create a libcurl handle") }
        self.handle = handle
    }

    deinit { curl_easy_cleanup(handle) }

    /// New connections the last request needed (0: it went over the one kept).
    public private(set) var newConnections = 0

    /// The leaf certificate of the connection the last request went over, when that request
    /// had `collectsPeerCertificate` (libcurl reads it at the TLS handshake; a request on the
    /// kept connection leaves the one read then); nil over http.
    public private(set) var peerCertificate: CurlPeerCertificate?

    /// Sends one POST and returns the answer, whatever its status.
    public func perform(_ request: CurlRequest) throws(CurlError) -> CurlResponse {
        let sink = ResponseSink(limit: request.maxResponseBytes)
        var headerList: UnsafeMutablePointer<curl_slist>?
        for header in request.headers { headerList = curl_slist_append(headerList, header) }
        defer { curl_slist_free_all(headerList) }

        return try request.body.withUnsafeBufferPointer { (body) throws(CurlError) -> CurlResponse in
            set(CURLOPT_URL, request.url)
            set(CURLOPT_POST, 1)
            _ = virtfed_curl_setopt_pointer(handle, CURLOPT_POSTFIELDS, UnsafeMutableRawPointer(mutating: body.baseAddress))
            set(CURLOPT_POSTFIELDSIZE, body.count)
            _ = virtfed_curl_setopt_pointer(handle, CURLOPT_HTTPHEADER, headerList.map { UnsafeMutableRawPointer($0) })
            set(CURLOPT_NOSIGNAL, 1)
            set(CURLOPT_CONNECTTIMEOUT_MS, request.connectTimeoutMilliseconds)
            set(CURLOPT_TIMEOUT_MS, request.timeoutMilliseconds)
            set(CURLOPT_FRESH_CONNECT, request.freshConnection ? 1 : 0)
            set(CURLOPT_CERTINFO, request.collectsPeerCertificate ? 1 : 0)
            set(CURLOPT_SSL_VERIFYPEER, request.verifyPeer ? 1 : 0)
            set(CURLOPT_SSL_VERIFYHOST, request.verifyPeer ? 2 : 0)
            if let caFile = request.caFile { set(CURLOPT_CAINFO, caFile) }
            if let certificate = request.clientCertificateFile {
                set(CURLOPT_SSLCERTTYPE, "PEM")
                set(CURLOPT_SSLCERT, certificate)
            }
            if let key = request.clientKeyFile {
                set(CURLOPT_SSLKEYTYPE, "PEM")
                set(CURLOPT_SSLKEY, key)
            }
            if let username = request.username { set(CURLOPT_USERNAME, username) }
            if let password = request.password { set(CURLOPT_PASSWORD, password) }
            set(CURLOPT_HTTPAUTH, Self.mask(request.authentication))
            _ = virtfed_curl_setopt_write_function(handle, { data, size, count, context in
                guard let data, let context else { return 0 }
                let sink = Unmanaged<ResponseSink>.fromOpaque(context).takeUnretainedValue()
                return sink.append(UnsafeRawBufferPointer(start: data, count: size * count)) ? size * count : 0
            })
            _ = virtfed_curl_setopt_header_function(handle, { data, size, count, context in
                guard let data, let context else { return 0 }
                let sink = Unmanaged<ResponseSink>.fromOpaque(context).takeUnretainedValue()
                sink.header(UnsafeRawBufferPointer(start: data, count: size * count))
                return size * count
            })
            let result = withExtendedLifetime(sink) { () -> CURLcode in
                _ = virtfed_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, Unmanaged.passUnretained(sink).toOpaque())
                _ = virtfed_curl_setopt_pointer(handle, CURLOPT_HEADERDATA, Unmanaged.passUnretained(sink).toOpaque())
                return curl_easy_perform(handle)
            }
            // The body buffer and header list go away now: nothing may keep pointing at them.
            _ = virtfed_curl_setopt_pointer(handle, CURLOPT_POSTFIELDS, nil)
            _ = virtfed_curl_setopt_pointer(handle, CURLOPT_HTTPHEADER, nil)
            if sink.overflowed {
                throw CurlError(.tooLarge, "answer larger than \(request.maxResponseBytes) bytes")
            }
            guard result == CURLE_OK else {
                let message = String(cString: curl_easy_strerror(result))
                switch result {
                case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST: throw CurlError(.couldNotConnect, message)
                case CURLE_OPERATION_TIMEDOUT: throw CurlError(.timedOut, message)
                case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CACERT_BADFILE: throw CurlError(.tls, message)
                case CURLE_SSL_CERTPROBLEM, CURLE_SSL_CLIENTCERT: throw CurlError(.clientCertificate, message)
                default: throw CurlError(.other, message)
                }
            }
            var status = 0
            _ = virtfed_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
            var connects = 0
            _ = virtfed_curl_getinfo_long(handle, CURLINFO_NUM_CONNECTS, &connects)
            newConnections = connects
            if request.collectsPeerCertificate {
                if let leaf = leafCertificate() {
                    peerCertificate = leaf
                } else if connects > 0 {
                    peerCertificate = nil
                }
            }
            return CurlResponse(status: status, body: sink.bytes, headers: sink.headers)
        }
    }

    /// The leaf of the chain libcurl kept for the last transfer (`CURLINFO_CERTINFO`), if any.
    private func leafCertificate() -> CurlPeerCertificate? {
        var info: UnsafeMutablePointer<curl_certinfo>?
        guard virtfed_curl_getinfo_certinfo(handle, &info) == CURLE_OK, let info, info.pointee.num_of_certs > 0,
              let chain = info.pointee.certinfo else { return nil }
        var fields: [String] = []
        var node = chain[0]
        while let current = node {
            if let data = current.pointee.data { fields.append(String(cString: data)) }
            node = current.pointee.next
        }
        return CurlPeerCertificate(fields: fields)
    }

    private func set(_ option: CURLoption, _ value: Int) {
        _ = virtfed_curl_setopt_long(handle, option, value)
    }

    private func set(_ option: CURLoption, _ value: String) {
        _ = virtfed_curl_setopt_string(handle, option, value)
    }

    private static func mask(_ authentication: CurlRequest.Authentication) -> Int {
        switch authentication {
        case .basic: virtfed_curlauth_basic
        case .ntlm: virtfed_curlauth_ntlm
        case .negotiate: virtfed_curlauth_negotiate
        case .any: virtfed_curlauth_ntlm | virtfed_curlauth_negotiate | virtfed_curlauth_basic
        case .secure: virtfed_curlauth_ntlm | virtfed_curlauth_negotiate
        case .none: virtfed_curlauth_none
        }
    }
}

/// Collects an answer's body up to a limit.
private final class ResponseSink {
    let limit: Int
    var bytes: [UInt8] = []
    var overflowed = false
    /// The header lines of the latest answer (an interim 100 or an earlier 401 resets them).
    var headers: [String] = []

    init(limit: Int) {
        self.limit = limit
    }

    func header(_ line: UnsafeRawBufferPointer) {
        let text = String(decoding: line, as: UTF8.self).trimmed
        if text.hasPrefix("HTTP/") { headers = [] } else if !text.isEmpty, headers.count < 200 { headers.append(text) }
        // The body's announced size, reserved at once (within the limit) rather than grown to.
        if text.lowercased().hasPrefix("content-length:"), let length = Int(String(text.dropFirst("content-length:".count)).trimmed), length > 0 {
            bytes.reserveCapacity(min(length, limit))
        }
    }

    func append(_ chunk: UnsafeRawBufferPointer) -> Bool {
        guard bytes.count + chunk.count <= limit else {
            overflowed = true
            return false
        }
        bytes.append(contentsOf: chunk)
        return true
    }
}

extension String {
    /// Without leading and trailing white space (line ends included).
    var trimmed: String { String(String(drop(while: \.isWhitespace).reversed()).drop(while: \.isWhitespace).reversed()) }
}
