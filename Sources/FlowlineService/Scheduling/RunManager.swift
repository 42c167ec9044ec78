import Foundation
import FlowlineAPI
import FlowlineStore
import Logging

/// Performs prepared runs in the background, at most `maxConcurrentRuns` at once, and reports
/// each start and end (and a flow's deactivation) to `onEvent`.
///
/// The server owns one and calls `run()` from a service of its group; `start-flow` reaches it
/// as the `RunLauncher` of the service's configuration. `beginShutdown()` stops
/// intake: queued runs that never began are recorded `Canceled`, and runs still going after the
/// grace period are asked to cancel (the runner sees `CancelStarted` between batches).
public final class RunManager: @unchecked Sendable {
    // @unchecked: `state` is only touched while `lock` is held; everything else is immutable.

    struct Job: Sendable {
        var prepared: AppFlowService.PreparedRun
        var trigger: RunTrigger
    }

    private struct State {
        var accepting = true
        var inFlight: Set<String> = []
    }

    public let service: AppFlowService
    public let maxConcurrentRuns: Int
    public let shutdownGrace: Duration
    /// Where runs and their bookkeeping execute (blocking store, file and libpq calls); nil: the
    /// default executor.
    public let executor: (any TaskExecutor)?
    private let onEvent: @Sendable (RunEvent) async -> Void
    private let logger: Logger
    private let jobs: AsyncStream<Job>
    private let intake: AsyncStream<Job>.Continuation
    private let lock = NSLock()
    private var state = State()

    public init(service: AppFlowService, maxConcurrentRuns: Int, shutdownGrace: Duration = .seconds(30),
                executor: (any TaskExecutor)? = nil, logger: Logger = Logger(label: "flowline.runs"),
                onEvent: @escaping @Sendable (RunEvent) async -> Void) {
        self.service = service
        self.maxConcurrentRuns = max(1, maxConcurrentRuns)
        self.shutdownGrace = shutdownGrace
        self.executor = executor
        self.onEvent = onEvent
        self.logger = logger
        (jobs, intake) = AsyncStream.makeStream(of: Job.self)
    }

    /// Queues a prepared run (already recorded `InProgress`).
    public func submit(_ prepared: AppFlowService.PreparedRun, trigger: RunTrigger) throws(AppFlowError) {
        let accepted = lock.withLock { state.accepting }
        guard accepted else {
            markCanceled(prepared.execution, reason: "the server was shutting down when the run was requested")
            throw .internalServer("The server is shutting down; the run was not started")
        }
        intake.yield(Job(prepared: prepared, trigger: trigger))
    }

    /// Prepares a run of `flowName` and queues it; returns its execution id.
    public func start(flowName: String, trigger: RunTrigger) throws(AppFlowError) -> String {
        let prepared = try service.prepareRun(flowName: flowName)
        try submit(prepared, trigger: trigger)
        return prepared.executionId
    }

    /// Executions being performed right now.
    public var inFlightCount: Int { lock.withLock { state.inFlight.count } }

    /// Stops taking runs; `run()` then drains and returns.
    public func beginShutdown() {
        lock.withLock { state.accepting = false }
        intake.finish()
    }

    /// How long runs asked to cancel (after the grace period) may take to stop at their next batch
    /// before their tasks are cancelled outright.
    public static let cancelDeadline: Duration = .seconds(10)

    private enum Finished: Sendable { case run, graceOver, deadline }

    /// Performs queued runs until `beginShutdown()`, then drains: runs in flight may finish within
    /// `shutdownGrace`; after it they are asked to cancel (`CancelStarted`: the runner discards
    /// what it staged at its next batch and ends `Canceled`), and any still going
    /// `cancelDeadline` later are interrupted by task cancellation and recorded `Canceled`.
    /// Returns once every run has ended and recorded its end.
    public func run() async {
        // The drain's store writes (marking runs canceled) block too: keep them on the executor.
        await withTaskExecutorPreference(executor) { await drive() }
    }

    private func drive() async {
        await withTaskGroup(of: Finished.self) { group in
            var active = 0
            for await job in jobs {
                if !lock.withLock({ state.accepting }) {
                    markCanceled(job.prepared.execution, reason: "the server stopped before the run began")
                    continue
                }
                while active >= maxConcurrentRuns {
                    _ = await group.next()
                    active -= 1
                }
                lock.withLock { _ = state.inFlight.insert(job.prepared.executionId) }
                group.addTask(executorPreference: executor) { await self.execute(job); return .run }
                active += 1
            }
            guard active > 0 else { return }
            logger.notice("Waiting for runs in flight before stopping", metadata: ["runs": "\(inFlightCount)", "grace": "\(shutdownGrace)"])
            let grace = shutdownGrace
            group.addTask { try? await Task.sleep(for: grace); return .graceOver }
            while active > 0, let finished = await group.next() {
                switch finished {
                case .run:
                    active -= 1
                case .graceOver:
                    cancelInFlight()
                    group.addTask { try? await Task.sleep(for: Self.cancelDeadline); return .deadline }
                case .deadline:
                    logger.warning("Runs did not stop when asked: interrupting them", metadata: ["runs": "\(active)"])
                    group.cancelAll()
                }
            }
            group.cancelAll()   // the timers still sleeping
        }
    }

    private func execute(_ job: Job) async {
        let prepared = job.prepared, flow = prepared.flow
        defer { lock.withLock { _ = state.inFlight.remove(prepared.executionId) } }
        logger.info("Run started", metadata: ["flow": "\(flow.name)", "execution": "\(prepared.executionId)",
                                              "trigger": "\(job.trigger.rawValue)"])
        await onEvent(RunEvent(kind: .start, flowName: flow.name, flowArn: flow.arn, time: Date(),
                               execution: prepared.execution, trigger: job.trigger))
        var finished: ExecutionRecord
        do {
            finished = try await service.perform(prepared)
        } catch {
            var failed = prepared.execution
            failed.status = .error
            failed.executionMessage = "Recording the end of the run failed: \(error.message)"
            failed.lastUpdatedAt = Date()
            finished = failed
        }
        if !lock.withLock({ state.accepting }), finished.status == .error || finished.status == .canceled {
            finished = recordStoppedByShutdown(finished)
        }
        lock.withLock { _ = state.inFlight.remove(prepared.executionId) }
        logger.info("Run ended", metadata: ["flow": "\(flow.name)", "execution": "\(finished.executionId)",
                                            "status": "\(finished.status.rawValue)", "records": "\(finished.recordsProcessed)"])
        await onEvent(RunEvent(kind: .end, flowName: flow.name, flowArn: flow.arn, time: Date(), execution: finished,
                               trigger: job.trigger,
                               durationSeconds: finished.lastUpdatedAt.timeIntervalSince(finished.startedAt)))
        if finished.status == .error {
            await deactivateIfFailingRepeatedly(flowName: flow.name, trigger: job.trigger)
        }
    }

    /// AppFlow suspends a scheduled flow after `flowErrorDeactivationThreshold` failed runs in a row.
    private func deactivateIfFailingRepeatedly(flowName: String, trigger: RunTrigger) async {
        do {
            guard let flow = try service.read({ tx in try tx.flow(named: flowName) }),
                  flow.flowStatus == AppFlow.FlowStatus.active.rawValue,
                  let threshold = try AppFlowService.definition(of: flow).triggerConfig.triggerProperties?
                      .Scheduled?.flowErrorDeactivationThreshold, threshold > 0 else { return }
            // Only runs since the flow was last activated or edited count: a reactivated flow starts afresh.
            let recent = try service.read { tx in try tx.listExecutions(flowName: flowName, maxResults: threshold).items }
                .filter { $0.startedAt >= flow.lastUpdatedAt }
            guard recent.count >= threshold, recent.allSatisfy({ $0.status == .error }) else { return }
            let message = "Flow deactivated after \(threshold) consecutive failed runs; the last said: \(recent.first?.executionMessage ?? "no message")"
            try service.write { tx in
                try tx.setFlowStatus(named: flowName, status: AppFlow.FlowStatus.suspended.rawValue, lastUpdatedAt: Date(),
                                     message: message)
            }
            logger.warning("Flow deactivated", metadata: ["flow": "\(flowName)", "threshold": "\(threshold)"])
            await onEvent(RunEvent(kind: .deactivated, flowName: flowName, flowArn: flow.arn, time: Date(),
                                   execution: recent.first, trigger: trigger, message: message))
        } catch {
            logger.error("Checking the flow's failures failed", metadata: ["flow": "\(flowName)", "error": "\(error)"])
        }
    }

    private func cancelInFlight() {
        let ids = lock.withLock { state.inFlight }
        logger.warning("Shutdown grace period over: canceling runs in flight", metadata: ["runs": "\(ids.count)"])
        for id in ids {
            _ = try? service.write { tx in
                guard var execution = try tx.execution(id: id), execution.status == .inProgress else { return }
                execution.status = .cancelStarted
                execution.executionMessage = "The server was stopping"
                execution.lastUpdatedAt = Date()
                try tx.updateExecution(execution)
            }
        }
    }

    /// A run that ended Canceled or Error while the server was stopping: when it was asked to
    /// cancel (grace period over) or interrupted, it is recorded `Canceled` with the reason. Its
    /// writers aborted, so nothing it wrote was published.
    private func recordStoppedByShutdown(_ execution: ExecutionRecord) -> ExecutionRecord {
        let askedToCancel = execution.status == .canceled || Task.isCancelled
        guard askedToCancel else { return execution }
        var stopped = execution
        stopped.status = .canceled
        stopped.executionMessage = "Canceled: the server was stopping and the run did not finish within the shutdown grace period; nothing it wrote was published"
        stopped.lastUpdatedAt = Date()
        let record = stopped
        do {
            try service.write { tx in try tx.updateExecution(record) }
            return record
        } catch {
            logger.error("Recording a run canceled by shutdown failed", metadata: ["execution": "\(execution.executionId)", "error": "\(error)"])
            return execution
        }
    }

    func cancelUnstarted(_ execution: ExecutionRecord, reason: String) {
        markCanceled(execution, reason: reason)
    }

    private func markCanceled(_ execution: ExecutionRecord, reason: String) {
        var canceled = execution
        canceled.status = .canceled
        canceled.executionMessage = "Not run: \(reason)"
        canceled.runnerProcessId = nil
        canceled.lastUpdatedAt = Date()
        let record = canceled
        _ = try? service.write { tx in try tx.updateExecution(record) }
    }
}
