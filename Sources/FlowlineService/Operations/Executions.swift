import Foundation
import FlowlineAPI
import FlowlineStore

extension AppFlowService {
    func startFlow(_ request: AppFlow.StartFlowRequest) async throws(AppFlowError) -> AppFlow.StartFlowResponse {
        if let token = request.clientToken,
           let earlier: AppFlow.StartFlowResponse = try idempotentResponse(.startFlow, token) {
            return earlier
        }
        guard let flow = try read({ tx in try tx.flow(named: request.flowName) }) else {
            throw .notFound("Flow \(request.flowName) does not exist")
        }
        let response: AppFlow.StartFlowResponse
        if flow.triggerType == AppFlow.TriggerType.onDemand.rawValue {
            // The launcher the transport configured performs the run now (CLI) or queues it (server).
            let prepared = try prepareRun(flowName: flow.name)
            try await configuration.runLauncher.launch(prepared, trigger: .onDemand, service: self)
            response = AppFlow.StartFlowResponse(flowArn: flow.arn, flowStatus: .active, executionId: prepared.executionId)
        } else {
            // Scheduled and event flows are activated; their runs come from the scheduler or events.
            try write { tx in try tx.setFlowStatus(named: flow.name, status: AppFlow.FlowStatus.active.rawValue, lastUpdatedAt: now) }
            response = AppFlow.StartFlowResponse(flowArn: flow.arn, flowStatus: .active)
        }
        if let token = request.clientToken {
            try write { tx in
                try tx.insertIdempotencyRecord(IdempotencyRecord(operation: AppFlow.Operation.startFlow.rawValue, clientToken: token,
                                                                 response: Self.document(response), createdAt: now))
            }
        }
        return response
    }

    func stopFlow(_ request: AppFlow.StopFlowRequest) throws(AppFlowError) -> AppFlow.StopFlowResponse {
        guard let flow = try read({ tx in try tx.flow(named: request.flowName) }) else {
            throw .notFound("Flow \(request.flowName) does not exist")
        }
        guard flow.triggerType != AppFlow.TriggerType.onDemand.rawValue else {
            throw .unsupportedOperation("Stop is not supported for on-demand flow \(flow.name); only scheduled and event-triggered flows can be stopped")
        }
        try write { tx in try tx.setFlowStatus(named: flow.name, status: AppFlow.FlowStatus.suspended.rawValue, lastUpdatedAt: now) }
        return AppFlow.StopFlowResponse(flowArn: flow.arn, flowStatus: .suspended)
    }

    func describeFlowExecutionRecords(_ request: AppFlow.DescribeFlowExecutionRecordsRequest) throws(AppFlowError) -> AppFlow.DescribeFlowExecutionRecordsResponse {
        guard try read({ tx in try tx.flow(named: request.flowName) }) != nil else {
            throw .notFound("Flow \(request.flowName) does not exist")
        }
        try reconcileInterruptedRuns(flowName: request.flowName)
        let page = try read { tx in
            try tx.listExecutions(flowName: request.flowName, maxResults: request.maxResults ?? 20, nextToken: request.nextToken)
        }
        return AppFlow.DescribeFlowExecutionRecordsResponse(flowExecutions: page.items.map(Self.executionShape), nextToken: page.nextToken)
    }

    func cancelFlowExecutions(_ request: AppFlow.CancelFlowExecutionsRequest) throws(AppFlowError) -> AppFlow.CancelFlowExecutionsResponse {
        guard try read({ tx in try tx.flow(named: request.flowName) }) != nil else {
            throw .notFound("Flow \(request.flowName) does not exist")
        }
        try reconcileInterruptedRuns(flowName: request.flowName)
        let invalid = try write { tx in
            let running = try tx.inProgressExecutions(flowName: request.flowName)
            let wanted = request.executionIds ?? running.map(\.executionId)
            var invalid: [String] = []
            for id in wanted {
                guard var execution = running.first(where: { $0.executionId == id }), execution.status == .inProgress else {
                    invalid.append(id)
                    continue
                }
                // The runner sees CancelStarted between batches, discards what it staged and ends Canceled.
                execution.status = .cancelStarted
                execution.lastUpdatedAt = now
                try tx.updateExecution(execution)
            }
            return invalid
        }
        return AppFlow.CancelFlowExecutionsResponse(invalidExecutions: invalid)
    }

    public static func executionShape(_ e: ExecutionRecord) -> AppFlow.ExecutionRecord {
        AppFlow.ExecutionRecord(
            executionId: e.executionId, executionStatus: AppFlow.ExecutionStatus(rawValue: e.status.rawValue),
            executionResult: AppFlow.ExecutionResult(
                errorInfo: AppFlow.ErrorInfo(putFailuresCount: e.putFailuresCount, executionMessage: e.executionMessage),
                bytesProcessed: e.bytesProcessed, bytesWritten: e.bytesWritten, recordsProcessed: e.recordsProcessed),
            startedAt: e.startedAt, lastUpdatedAt: e.lastUpdatedAt,
            dataPullStartTime: e.dataPullStartTime, dataPullEndTime: e.dataPullEndTime)
    }
}

extension AppFlowService {
    /// One execution of a flow, for callers that need more than the API's response (the CLI's exit status).
    public func executionRecord(flowName: String, executionId: String) async throws(AppFlowError) -> ExecutionRecord? {
        try read { tx in try tx.execution(id: executionId) }.flatMap { $0.flowName == flowName ? $0 : nil }
    }
}
