import Foundation
import FlowlineAPI
import FlowlineConnectors
import FlowlineStore

extension AppFlowService {
    /// Marks runs whose process died as interrupted, and finishes or discards the files they staged.
    ///
    /// A run killed before its destinations committed left only staging files: they are removed
    /// and the run is marked Error. One killed after the S3 commit manifest was written had
    /// committed: its files are published and it is marked Successful.
    func reconcileInterruptedRuns(flowName: String) throws(AppFlowError) {
        let running = try read { tx in try tx.inProgressExecutions(flowName: flowName) }
        for var execution in running {
            guard let pid = execution.runnerProcessId, !RunnerIdentity.isAlive(pid: pid, host: execution.runnerHost) else { continue }
            // A Redshift load that committed is in the warehouse's load ledger (written with the
            // data); when the warehouse cannot be asked, leave the run as it is rather than guess.
            let ledger = warehouseLedgerVerdict(flowName: flowName, executionId: execution.executionId)
            if case .unknown = ledger { continue }
            var published: Bool
            var refusal: String?
            do {
                published = try StagedObjects.recover(root: configuration.s3Root, executionId: execution.executionId)
            } catch let error as S3PathError {
                // A manifest that would move files outside the staging folder or the buckets: nothing moved.
                published = false
                refusal = error.description
            } catch {
                throw .internalServer("Recovering the files of interrupted execution \(execution.executionId) failed: \(error)")
            }
            execution.runnerProcessId = nil
            execution.lastUpdatedAt = now
            if case .committed(let entries) = ledger {
                published = true
                execution.status = .successful
                execution.recordsProcessed = entries.reduce(0) { $0 + $1.recordsCopied }
                execution.bytesWritten = entries.reduce(0) { $0 + $1.bytesSent }
                execution.putFailuresCount = entries.reduce(0) { $0 + $1.recordsRejected }
                execution.executionMessage = "The run's process stopped right after the warehouse committed; reconciled from flowline.load_ledger (\(entries.map(\.targetTable).joined(separator: ", ")))"
            } else if published {
                execution.status = .successful
                execution.executionMessage = "The run's process stopped right after committing; its files were published on recovery (record counts unknown)"
            } else {
                execution.status = execution.status == .cancelStarted ? .canceled : .error
                execution.executionMessage = "The run was interrupted (process \(pid) ended before it finished); nothing it wrote was published"
                    + (refusal.map { " (\($0))" } ?? "")
            }
            let updated = execution
            try write { tx in
                try tx.updateExecution(updated)
                if published, let end = updated.dataPullEndTime {
                    try tx.setWatermark(WatermarkRecord(flowName: flowName, watermark: Self.micros(end),
                                                        executionId: updated.executionId, updatedAt: updated.lastUpdatedAt))
                }
            }
        }
    }
}
