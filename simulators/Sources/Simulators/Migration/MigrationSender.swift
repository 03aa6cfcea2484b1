import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Sends a VM to a peer simulator over loopback HTTP: `POST /virtfed-sim/migration` with the
/// `VMTransfer` as JSON; 200 means the peer took it, anything else carries its reason.
enum MigrationSender {
    /// Hands `transfer` to `peer`; the error text is what the source's job reports.
    static func send(_ transfer: VMTransfer, to peer: MigrationPeer) async -> String? {
        let host = peer.host.contains(":") ? "[\(peer.host)]" : peer.host
        guard let url = URL(string: "http://\(host):\(peer.port)\(MigrationPeer.path)"), let body = try? JSONEncoder().encode(transfer) else {
            return "the migration request could not be built"
        }
        var request = URLRequest(url: url, timeoutInterval: 10)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = body
        do {
            let (data, response) = try await URLSession.shared.data(for: request)
            guard let http = response as? HTTPURLResponse else { return "the destination host gave no HTTP answer" }
            return http.statusCode == 200 ? nil : String(decoding: data, as: UTF8.self)
        } catch {
            return "No connection could be made because the target machine actively refused it. (0x8007274D)"
        }
    }
}
