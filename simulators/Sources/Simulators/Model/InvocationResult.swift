/// The outcome of a simulated WMI method call.
public struct InvocationResult: Sendable, Equatable {
    /// `ReturnValue`: 0 done, 4096 job started, 4097 invalid state transition, …
    public var returnValue: Int
    /// The new `Msvm_ConcreteJob.InstanceID` when `returnValue` is 4096.
    public var jobID: String?

    /// Creates a result.
    public init(returnValue: Int, jobID: String?) {
        self.returnValue = returnValue
        self.jobID = jobID
    }
}
