import Foundation
import FlowlineAPI
import FlowlineStore
import Logging

/// Starts runs of `Active` scheduled flows when their schedule says so.
///
/// Each tick reads the active scheduled flows and each one's remembered state (`flow_schedules`):
/// the next fire time is computed after the last one the scheduler fired. When it is due the
/// flow is started once and the fire time recorded as now, so after downtime a flow catches up
/// with at most one run, never a burst. A flow that was re-activated or edited since the state was
/// written starts counting afresh.
public final class FlowScheduler: Sendable {
    public let runs: RunManager
    public let clock: SchedulerClock
    public let tickInterval: Duration
    /// Where ticks run (they read and write the store); nil: the default executor.
    public let executor: (any TaskExecutor)?
    private let logger: Logger

    public init(runs: RunManager, clock: SchedulerClock = SchedulerClock(), tickInterval: Duration = .seconds(1),
                executor: (any TaskExecutor)? = nil, logger: Logger = Logger(label: "flowline.scheduler")) {
        self.runs = runs
        self.clock = clock
        self.tickInterval = tickInterval
        self.executor = executor
        self.logger = logger
    }

    var service: AppFlowService { runs.service }

    /// Ticks until the task is cancelled.
    public func run() async {
        await withTaskExecutorPreference(executor) {
            while !Task.isCancelled {
                _ = tick(now: clock.now)
                guard (try? await Task.sleep(for: tickInterval)) != nil else { return }
            }
        }
    }

    /// One pass over the active scheduled flows; returns the names of the flows it started.
    @discardableResult
    public func tick(now: Date) -> [String] {
        let names: [String]
        do {
            names = try service.read { tx in
                try tx.flowNames(triggerType: AppFlow.TriggerType.scheduled.rawValue, status: AppFlow.FlowStatus.active.rawValue)
            }
        } catch {
            logger.error("Listing scheduled flows failed", metadata: ["error": "\(error)"])
            return []
        }
        return names.filter { fireIfDue(flowName: $0, now: now) }
    }

    private func fireIfDue(flowName: String, now: Date) -> Bool {
        do {
            guard let flow = try service.read({ tx in try tx.flow(named: flowName) }),
                  let properties = try AppFlowService.definition(of: flow).triggerConfig.triggerProperties?.Scheduled else {
                return false
            }
            let schedule = try FlowSchedule(properties)
            var state = try service.read { tx in try tx.scheduleState(flowName: flowName) }
            if state == nil || state!.updatedAt < flow.lastUpdatedAt {
                let fresh = ScheduleStateRecord(flowName: flowName, anchorAt: now, lastFiredAt: nil, updatedAt: now)
                try service.write { tx in try tx.setScheduleState(fresh) }
                state = fresh
            }
            guard let current = state,
                  let due = schedule.nextFire(after: current.lastFiredAt ?? current.anchorAt, anchor: current.anchorAt),
                  due <= now else { return false }
            var fired = current
            fired.lastFiredAt = now
            fired.updatedAt = now
            let record = fired
            try service.write { tx in try tx.setScheduleState(record) }
            do {
                let id = try runs.start(flowName: flowName, trigger: .scheduled)
                logger.info("Scheduled run started", metadata: ["flow": "\(flowName)", "execution": "\(id)",
                                                                 "due": "\(RunEvent.time(due))"])
                return true
            } catch where error.code == .conflict {
                // The previous run is still going: AppFlow skips this fire rather than queueing it.
                logger.notice("Scheduled run skipped: the previous run is still going", metadata: ["flow": "\(flowName)"])
                return false
            }
        } catch {
            logger.error("Scheduling the flow failed", metadata: ["flow": "\(flowName)", "error": "\(error)"])
            return false
        }
    }
}
