import Foundation
import Testing

/// Every action on hv01's VMs (config/hv01.json; SCVMM's demo manages the same ones), each
/// with the state it leads to.
let hv01ActionTour: [(String, String, String)] = [
    ("suspend", "web-01", "paused"), ("resume", "web-01", "running"), ("reboot", "web-01", "running"),
    ("reset", "web-01", "running"), ("save", "web-01", "saved"), ("start", "web-01", "running"),
    ("destroy", "web-01", "shutoff"), ("start", "build-agent", "running"), ("shutdown", "sql-01", "shutoff"),
]

/// Runs each `(verb, vm, expected state)` through `virtfed --config path VERB VM --json` and
/// checks that the job completed at 100 % leaving the VM in the expected state (by `route`,
/// when given), and that `domstate` agrees afterwards. Returns each job's id.
@discardableResult
func expectActions(_ steps: [(String, String, String)], config path: String, environment: [String: String], route: String? = nil,
                   sourceLocation: SourceLocation = #_sourceLocation) throws -> [String] {
    var jobIDs: [String] = []
    for (verb, vm, expected) in steps {
        let result = try virtfed("--config", path, verb, vm, "--json", environment: environment)
        #expect(result.status == 0, "\(verb) \(vm): \(result)", sourceLocation: sourceLocation)
        let object = try #require(try result.json() as? [String: Any], sourceLocation: sourceLocation)
        if let route { #expect(object["route"] as? String == route, "\(verb) \(vm)", sourceLocation: sourceLocation) }
        let job = try #require(object["job"] as? [String: Any], sourceLocation: sourceLocation)
        #expect(job["state"] as? String == "completed" && job["percent"] as? Int == 100, "\(verb)", sourceLocation: sourceLocation)
        #expect(job["resulting_state"] as? String == expected, "\(verb) \(vm)", sourceLocation: sourceLocation)
        jobIDs.append(job["backend_job_id"] as? String ?? "")
        let state = try virtfed("--config", path, "domstate", vm, environment: environment)
        #expect(state.stdout.hasPrefix(expected == "shutoff" ? "shut off" : expected), "\(verb) \(vm): \(state)", sourceLocation: sourceLocation)
    }
    return jobIDs
}
