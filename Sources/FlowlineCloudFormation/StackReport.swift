import Foundation

/// What one resource of a deploy or delete became.
public struct ResourceChange: Sendable, Equatable {
    public enum Action: String, Sendable {
        case created = "CREATE_COMPLETE"
        case updated = "UPDATE_COMPLETE"
        case unchanged = "NO_CHANGE"
        case deleted = "DELETE_COMPLETE"
        case retained = "DELETE_SKIPPED"
        case deleteFailed = "DELETE_FAILED"
        /// A resource type Flowline does not deploy.
        case skipped = "SKIPPED"
    }

    public var logicalId: String
    public var resourceType: String
    public var physicalId: String?
    public var action: Action
    public var detail: String?
}

/// The outcome of `StackDeployer.deploy`.
public struct DeployReport: Sendable {
    public var stackName: String
    public var stackId: String
    /// True when the stack was new.
    public var created: Bool
    public var changes: [ResourceChange]
    /// The template's Outputs, resolved.
    public var outputs: [(name: String, value: String)]

    /// Nothing was created, updated or deleted.
    public var noChanges: Bool {
        changes.allSatisfy { $0.action == .unchanged || $0.action == .skipped }
    }
}

/// One row of `describe-stack-resources`.
public struct StackResourceSummary: Sendable, Equatable {
    public var stackName: String
    public var stackId: String
    public var logicalResourceId: String
    public var physicalResourceId: String
    public var resourceType: String
    public var resourceStatus: String
    public var timestamp: Date
}
