import Foundation

/// What the server's scheduler remembers about one scheduled flow between ticks and restarts.
public struct ScheduleStateRecord: Sendable, Equatable {
    public var flowName: String
    /// When the scheduler first saw the flow active: a `rate(...)` without `scheduleStartTime` counts from here.
    public var anchorAt: Date
    /// The last time the scheduler started a run of the flow.
    public var lastFiredAt: Date?
    public var updatedAt: Date

    public init(flowName: String, anchorAt: Date, lastFiredAt: Date? = nil, updatedAt: Date) {
        self.flowName = flowName
        self.anchorAt = anchorAt
        self.lastFiredAt = lastFiredAt
        self.updatedAt = updatedAt
    }
}

extension ReadTransaction {
    public func scheduleState(flowName: String) throws -> ScheduleStateRecord? {
        try query("SELECT anchor_at, last_fired_at, updated_at FROM flow_schedules WHERE flow_name = ?",
                  [.text(flowName)]).first.map { row in
            ScheduleStateRecord(flowName: flowName, anchorAt: try row.date("anchor_at"),
                                lastFiredAt: try row.optionalDate("last_fired_at"), updatedAt: try row.date("updated_at"))
        }
    }

    /// Names of the flows with the given trigger type and status, in name order.
    public func flowNames(triggerType: String, status: String) throws -> [String] {
        try query("SELECT name FROM flows WHERE trigger_type = ? AND flow_status = ? ORDER BY name",
                  [.text(triggerType), .text(status)]).map { try $0.text("name") }
    }
}

extension WriteTransaction {
    /// Inserts or replaces the flow's schedule state.
    public func setScheduleState(_ state: ScheduleStateRecord) throws {
        guard try flow(named: state.flowName) != nil else {
            throw StoreError.notFound(.flow, key: state.flowName)
        }
        try run("""
            INSERT INTO flow_schedules (flow_name, anchor_at, last_fired_at, updated_at) VALUES (?, ?, ?, ?)
            ON CONFLICT (flow_name) DO UPDATE SET anchor_at = excluded.anchor_at,
                last_fired_at = excluded.last_fired_at, updated_at = excluded.updated_at
            """, [.text(state.flowName), .timestamp(state.anchorAt), .timestamp(state.lastFiredAt), .timestamp(state.updatedAt)])
    }
}
