import Foundation
import FlowlineAPI
import FlowlineStore

/// What started a run.
public enum RunTrigger: String, Sendable {
    case onDemand = "ONDEMAND"
    case scheduled = "SCHEDULED"
    case event = "EVENT"
}

/// A notification about a flow, shaped like the EventBridge events AppFlow publishes
/// (`source` `aws.appflow`, a `detail-type`, and a `detail` object of kebab-case strings).
public struct RunEvent: Sendable {
    public enum Kind: String, Sendable {
        case start = "AppFlow Start Flow Run Report"
        case end = "AppFlow End Flow Run Report"
        case deactivated = "AppFlow Flow Deactivated"
    }

    public var kind: Kind
    public var flowName: String
    public var flowArn: String
    public var time: Date
    public var execution: ExecutionRecord?
    public var trigger: RunTrigger
    public var message: String?
    /// Set on end events: how long the run took, for metrics.
    public var durationSeconds: Double?

    public init(kind: Kind, flowName: String, flowArn: String, time: Date, execution: ExecutionRecord?,
                trigger: RunTrigger, message: String? = nil, durationSeconds: Double? = nil) {
        self.kind = kind
        self.flowName = flowName
        self.flowArn = flowArn
        self.time = time
        self.execution = execution
        self.trigger = trigger
        self.message = message
        self.durationSeconds = durationSeconds
    }

    /// AppFlow's wording of a run's status in its reports.
    public var statusText: String {
        switch kind {
        case .deactivated: return "Deactivated"
        case .start: return "Execution Started"
        case .end:
            switch execution?.status {
            case .successful: return "Execution Successful"
            case .canceled, .cancelStarted: return "Execution Canceled"
            default: return "Execution Failed"
            }
        }
    }

    /// The EventBridge-shaped document.
    public func json(account: AppFlowAccount) -> JSONValue {
        var detail: JSONValue.Members = [
            ("flow-name", .string(flowName)), ("flow-arn", .string(flowArn)), ("status", .string(statusText)),
            ("trigger-type", .string(trigger.rawValue)),
        ]
        if let e = execution {
            detail.append(("execution-id", .string(e.executionId)))
            detail.append(("start-time", .string(Self.time(e.startedAt))))
            if kind == .end {
                detail.append(("end-time", .string(Self.time(e.lastUpdatedAt))))
                detail.append(("num-of-records-processed", .string(String(e.recordsProcessed))))
                detail.append(("num-of-record-failures", .string(String(e.putFailuresCount))))
                detail.append(("data-processed", .string(String(e.bytesProcessed))))
                detail.append(("data-written", .string(String(e.bytesWritten))))
            }
            if let m = e.executionMessage, kind == .end { detail.append(("error-message", .string(m))) }
        }
        if let message { detail.append(("message", .string(message))) }
        return .object([
            ("version", .string("0")), ("id", .string(UUID().uuidString.lowercased())),
            ("detail-type", .string(kind.rawValue)), ("source", .string("aws.appflow")),
            ("account", .string(account.accountId)), ("time", .string(Self.time(time))),
            ("region", .string(account.region)), ("resources", .array([.string(flowArn)])),
            ("detail", .object(detail)),
        ])
    }

    static func time(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.string(from: date)
    }
}
