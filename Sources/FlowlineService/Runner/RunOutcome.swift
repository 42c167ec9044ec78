import FlowlineCore

/// How a run ended, with everything the execution record needs.
public struct RunOutcome: Sendable {
    public enum Status: Sendable, Equatable {
        case successful
        case failed
        case canceled
    }

    public var status: Status
    public var progress: RunProgress
    /// Why the run failed, or a note on a successful one (rejected records, the byte cap).
    public var message: String?
    /// The first rejected records, for the user; all of them went to the error location if any.
    public var rejectedSamples: [RejectedRecord]
    /// Set when the byte cap stopped the run: where the next run of the same window resumes.
    public var resumeToken: String?
    public var stoppedAtCap: Bool
    public var locations: [String]

    public init(status: Status, progress: RunProgress, message: String? = nil, rejectedSamples: [RejectedRecord] = [],
                resumeToken: String? = nil, stoppedAtCap: Bool = false, locations: [String] = []) {
        self.status = status
        self.progress = progress
        self.message = message
        self.rejectedSamples = rejectedSamples
        self.resumeToken = resumeToken
        self.stoppedAtCap = stoppedAtCap
        self.locations = locations
    }
}
