import Foundation

/// The scheduler's idea of now: the wall clock, optionally running `speed` times faster from the
/// moment the server started. Speed exists for tests and demos (`flowline serve --scheduler-speed 60`
/// makes a scheduled minute pass every real second); production runs at 1.
public struct SchedulerClock: Sendable {
    public let speed: Double
    let origin: Date

    public init(speed: Double = 1, origin: Date = Date()) {
        self.speed = max(speed, 1)
        self.origin = origin
    }

    public var now: Date {
        let real = Date()
        guard speed != 1 else { return real }
        return origin.addingTimeInterval(real.timeIntervalSince(origin) * speed)
    }
}
