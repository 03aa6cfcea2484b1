import BrokerCore
import Foundation

/// A VMM job as the action and `Get-SCJob` scripts report it: `{"job": {"ID", "Name",
/// "Status", "Progress": "40 %", "ErrorInfo"}}`.
struct SCVMMJob: Sendable, Equatable {
    /// The job's GUID.
    let id: String
    /// The job's name (`Start virtual machine` …).
    let name: String
    /// `Running`, `Completed`, `Failed`, `Canceled`, `SucceedWithInfo` …
    let status: String
    /// Percent complete, from `Progress`.
    let percent: Int
    /// The job's error text; empty when none.
    let errorInfo: String

    /// Decodes a script's stdout.
    init(json: [UInt8]) throws(BackendError) {
        guard let root = try? JSONSerialization.jsonObject(with: Data(json), options: [.fragmentsAllowed]) as? [String: Any] else {
            throw BackendError(.internal, "SCVMM answered a job query with malformed JSON (\(json.count) bytes)")
        }
        guard let job = root["job"] as? [String: Any], let id = job["ID"] as? String, !id.isEmpty else {
            throw BackendError(.internal, "SCVMM did not report a job")
        }
        self.id = id
        name = job["Name"] as? String ?? ""
        status = (job["Status"] as? String) ?? (job["Status"] as? NSNumber)?.stringValue ?? "Unknown"
        errorInfo = job["ErrorInfo"] as? String ?? ""
        percent = Self.percent(job["Progress"])
    }

    /// Whether the job is still going.
    var isRunning: Bool { ["running", "notstarted", "starting"].contains(status.lowercased()) }

    /// Whether the job ended well.
    var succeeded: Bool { ["completed", "succeedwithinfo"].contains(status.lowercased()) }

    /// `"40 %"`, `"40%"` or `40` as 40, clamped to 0…100.
    static func percent(_ value: Any?) -> Int {
        let number: Int? = switch value {
        case let text as String: Int(text.prefix { $0.isNumber })
        case let number as NSNumber: number.intValue
        default: nil
        }
        return min(100, max(0, number ?? 0))
    }
}
