import Foundation
import FlowlineAPI
import FlowlineConnectors
import FlowlineCore
import FlowlineStore

/// One execution of a flow, from its execution record to its final status.
extension AppFlowService {
    /// Default look-back of a flow's first incremental run (AppFlow: 30 days).
    static let firstIncrementalLookback: TimeInterval = 30 * 86_400

    /// A run recorded as `InProgress` and not yet performed.
    public struct PreparedRun: Sendable {
        public let flow: FlowRecord
        let definition: AppFlow.UpdateFlowRequest
        let window: PlannedWindow?
        public let execution: ExecutionRecord
        public var executionId: String { execution.executionId }
    }

    /// Runs the flow once now, in this process, and returns its finished execution record.
    public func execute(flowName: String) async throws(AppFlowError) -> ExecutionRecord {
        let prepared = try prepareRun(flowName: flowName)
        return try await perform(prepared)
    }

    /// Records a new execution of the flow as `InProgress`, refusing if one is already running.
    /// A server hands the result to a background task; the CLI performs it at once.
    public func prepareRun(flowName: String) throws(AppFlowError) -> PreparedRun {
        try reconcileInterruptedRuns(flowName: flowName)
        guard let flow = try read({ tx in try tx.flow(named: flowName) }) else {
            throw .notFound("Flow \(flowName) does not exist")
        }
        let definition = try Self.definition(of: flow)
        let started = now
        let window = try incrementalWindow(flow: flow, definition: definition, startedAt: started)
        let execution = ExecutionRecord(
            executionId: UUID().uuidString.lowercased(), flowName: flowName, status: .inProgress,
            startedAt: started, lastUpdatedAt: started,
            dataPullStartTime: window.map { Date(timeIntervalSince1970: Double($0.window.from) / 1e6) },
            dataPullEndTime: window.map { Date(timeIntervalSince1970: Double($0.window.to) / 1e6) },
            runnerProcessId: ProcessInfo.processInfo.processIdentifier, runnerHost: RunnerIdentity.host)
        try write { tx in
            if let running = try tx.inProgressExecutions(flowName: flowName).first {
                throw AppFlowError.conflict("Flow \(flowName) is already running (execution \(running.executionId)); runs of one flow never overlap")
            }
            try tx.insertExecution(execution)
        }
        return PreparedRun(flow: flow, definition: definition, window: window, execution: execution)
    }

    /// Moves the data of a prepared run and records how it ended.
    public func perform(_ prepared: PreparedRun) async throws(AppFlowError) -> ExecutionRecord {
        let flowName = prepared.flow.name, window = prepared.window
        var execution = prepared.execution
        let outcome = await run(flow: prepared.flow, definition: prepared.definition, execution: execution, window: window)
        if outcome.status == .successful, !outcome.stoppedAtCap {
            discardChangeEvents(flowName: flowName, executionId: execution.executionId)   // the destinations committed
        }
        return try finish(execution: &execution, outcome: outcome, window: window, flowName: flowName)
    }

    /// Records how a run ended. The watermark moves in the same transaction as the final status,
    /// and only once the destinations have committed, so a failed run is pulled again next time.
    private func finish(execution: inout ExecutionRecord, outcome: RunOutcome, window: PlannedWindow?,
                        flowName: String) throws(AppFlowError) -> ExecutionRecord {
        execution.status = switch outcome.status {
        case .successful: .successful
        case .failed: .error
        case .canceled: .canceled
        }
        execution.lastUpdatedAt = now
        execution.recordsProcessed = outcome.progress.recordsWritten
        execution.bytesProcessed = outcome.progress.bytesRead
        execution.bytesWritten = outcome.progress.bytesWritten
        execution.putFailuresCount = outcome.progress.recordsRejected
        execution.executionMessage = outcome.message
        execution.resumeToken = outcome.stoppedAtCap ? outcome.resumeToken : nil
        execution.runnerProcessId = nil
        execution.watermark = window?.window.to
        let finished = execution
        try write { tx in
            try tx.updateExecution(finished)
            if finished.status == .successful, let window, !outcome.stoppedAtCap {
                try tx.setWatermark(WatermarkRecord(flowName: flowName, watermark: window.window.to,
                                                    executionId: finished.executionId, updatedAt: finished.lastUpdatedAt))
            }
        }
        return finished
    }

    private func run(flow: FlowRecord, definition: AppFlow.UpdateFlowRequest, execution: ExecutionRecord,
                     window: PlannedWindow?) async -> RunOutcome {
        do {
            let source = try await makeRunSource(definition.sourceFlowConfig, tasks: definition.tasks, flow: flow, executionId: execution.executionId)
            let schema = try await source.schema()
            let plan = try TaskPlan.compile(definition.tasks.map(FlowTasks.spec), sourceSchema: schema)
            let destinations = try definition.destinationFlowConfigList.map { (config) throws(AppFlowError) in
                try makeDestination(config, schemaVersion: flow.schemaVersion)
            }
            let context = WriteContext(flowName: flow.name, executionId: execution.executionId,
                                       startedAt: Int64(execution.startedAt.timeIntervalSince1970 * 1e6),
                                       schema: plan.outputSchema, partitionKeys: plan.partitionKeys,
                                       window: window?.window)
            var settings = configuration.runSettings
            settings.failOnFirstError = definition.destinationFlowConfigList.contains {
                $0.destinationConnectorProperties.Redshift?.errorHandlingConfig?.failOnFirstDestinationError == true
            }
            let store = self.store, id = execution.executionId, progress = self.progress
            let runner = FlowRunner(
                source: source, plan: plan, destinations: destinations, window: window?.window,
                resumeToken: window?.resumeToken, settings: settings, context: context,
                isCanceled: { (try? store.read { tx in try tx.execution(id: id)?.status }) == .cancelStarted },
                onProgress: { p in progress?(id, p) })
            var outcome = await runner.run()
            // Records a destination left out of a committed load count as put failures too.
            let refused = Self.redshiftRejections(destinations)
            outcome.progress.recordsRejected += refused.count
            if let note = refused.note { outcome.message = [outcome.message, note].compactMap { $0 }.joined(separator: ". ") }
            return outcome
        } catch {
            return RunOutcome(status: .failed, progress: RunProgress(), message: "\(error)")
        }
    }

    struct PlannedWindow {
        var window: IncrementalWindow
        var resumeToken: String?
    }

    /// The window an incremental run pulls: from the last committed watermark (or 30 days back,
    /// or `firstExecutionFrom`) up to now; or, after a run stopped at the byte cap, that run's
    /// window again from where it stopped.
    private func incrementalWindow(flow: FlowRecord, definition: AppFlow.UpdateFlowRequest,
                                   startedAt: Date) throws(AppFlowError) -> PlannedWindow? {
        guard let scheduled = definition.triggerConfig.triggerProperties?.Scheduled, scheduled.dataPullMode == .incremental,
              let field = definition.sourceFlowConfig.incrementalPullConfig?.datetimeTypeFieldName else { return nil }
        let (watermark, last) = try read { tx in
            (try tx.watermark(flowName: flow.name), try tx.listExecutions(flowName: flow.name, maxResults: 1).items.first)
        }
        if let last, last.status == .successful, let token = last.resumeToken,
           let from = last.dataPullStartTime, let to = last.dataPullEndTime {
            return PlannedWindow(window: IncrementalWindow(field: field, from: Self.micros(from), to: Self.micros(to)), resumeToken: token)
        }
        let from = watermark?.watermark
            ?? scheduled.firstExecutionFrom.map(Self.micros)
            ?? Self.micros(startedAt.addingTimeInterval(-Self.firstIncrementalLookback))
        return PlannedWindow(window: IncrementalWindow(field: field, from: from, to: Self.micros(startedAt)), resumeToken: nil)
    }

    static func micros(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1e6).rounded()) }
}

/// Who runs a flow, so a later command can tell whether that process is still alive.
enum RunnerIdentity {
    static let host: String = ProcessInfo.processInfo.hostName

    static func isAlive(pid: Int32, host: String?) -> Bool {
        guard host == nil || host == Self.host else { return true }   // another machine's run: trust it
        return kill(pid, 0) == 0 || errno == EPERM
    }
}
