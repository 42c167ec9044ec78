import Foundation
import FlowlineAPI

/// When a scheduled flow fires: its expression read in its time zone, shifted by `scheduleOffset`,
/// and kept between `scheduleStartTime` and `scheduleEndTime`.
public struct FlowSchedule: Sendable {
    public enum Kind: Sendable {
        case rate(seconds: Int64)
        case cron(CronSchedule)
    }

    public let kind: Kind
    public let timeZone: TimeZone
    public let start: Date?
    public let end: Date?
    public let offset: TimeInterval

    public init(kind: Kind, timeZone: TimeZone = TimeZone(identifier: "UTC")!, start: Date? = nil,
                end: Date? = nil, offset: TimeInterval = 0) {
        self.kind = kind
        self.timeZone = timeZone
        self.start = start
        self.end = end
        self.offset = offset
    }

    public init(_ properties: AppFlow.ScheduledTriggerProperties) throws(AppFlowError) {
        let kind: Kind
        do {
            switch try ScheduleExpression(properties.scheduleExpression) {
            case .rate(let seconds): kind = .rate(seconds: seconds)
            case .cron(let fields): kind = .cron(try CronSchedule(fields: fields))
            }
        } catch {
            throw .validation("Invalid scheduleExpression '\(properties.scheduleExpression)': \(error)")
        }
        var zone = TimeZone(identifier: "UTC")!
        if let name = properties.timezone, !name.isEmpty {
            guard let named = TimeZone(identifier: name) else { throw .validation("Unknown timezone '\(name)'") }
            zone = named
        }
        self.init(kind: kind, timeZone: zone, start: properties.scheduleStartTime, end: properties.scheduleEndTime,
                  offset: TimeInterval(properties.scheduleOffset ?? 0))
    }

    /// The first fire time strictly after `after`, or nil when the schedule has ended.
    /// A rate counts whole intervals from `scheduleStartTime`, or from `anchor` (when the
    /// scheduler first saw the flow active) if there is none.
    public func nextFire(after: Date, anchor: Date) -> Date? {
        // Work in unshifted time, then add the offset back.
        var from = after.addingTimeInterval(-offset)
        if let start, start.addingTimeInterval(-1) > from { from = start.addingTimeInterval(-1) }
        let base: Date?
        switch kind {
        case .rate(let seconds):
            let origin = start ?? anchor
            let interval = Double(seconds)
            let elapsed = from.timeIntervalSince(origin)
            let steps = elapsed < 0 ? 0 : (elapsed / interval).rounded(.down) + 1
            base = origin.addingTimeInterval(steps * interval)
        case .cron(let cron):
            base = cron.next(after: from, in: timeZone)
        }
        guard let fire = base?.addingTimeInterval(offset) else { return nil }
        if let end, fire > end { return nil }
        return fire
    }
}
