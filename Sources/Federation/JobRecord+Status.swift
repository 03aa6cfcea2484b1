import BrokerAPI
import BrokerCore

extension JobRecord {
    /// Takes in what the backend says of its job.
    mutating func apply(_ status: JobStatus) {
        switch status.phase {
        case .running: state = .running
        case .completed: state = .completed
        case .failed: state = .failed
        case .cancelled: state = .cancelled
        }
        percent = min(100, max(0, status.percentComplete))
        if let message = status.message { self.message = message }
        if let jobID = status.jobID { backendJobID = jobID }
        if let resulting = status.resultingState { resultingState = resulting }
        if let made = status.domainUUID { uuid = made }
    }

    /// Ends the job with an error: `unknown` when the error says the outcome is unknown.
    mutating func fail(_ error: BackendError) {
        state = error.code == .outcomeUnknown ? .unknown : .failed
        code = error.code.rawValue
        message = error.message
    }
}
