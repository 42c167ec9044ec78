import Foundation
import FlowlineAPI

/// Where `start-flow` hands a run of an on-demand flow once it is recorded `InProgress`.
///
/// Given to the service in its `ServiceConfiguration`: the CLI keeps the default
/// `ForegroundRunLauncher` (the run happens before `start-flow` returns); `flowline serve` gives
/// its `RunManager` (the run is queued and `start-flow` answers at once).
public protocol RunLauncher: Sendable {
    /// Performs or queues the prepared run. `service` is the one that prepared it.
    func launch(_ run: AppFlowService.PreparedRun, trigger: RunTrigger, service: AppFlowService) async throws(AppFlowError)
}

/// Performs the run in the caller's task and returns when it has ended.
public struct ForegroundRunLauncher: RunLauncher {
    public init() {}

    public func launch(_ run: AppFlowService.PreparedRun, trigger: RunTrigger,
                       service: AppFlowService) async throws(AppFlowError) {
        _ = try await service.perform(run)
    }
}

extension RunManager: RunLauncher {
    /// Queues the run for the background; its end is reported through the manager's events.
    public func launch(_ run: AppFlowService.PreparedRun, trigger: RunTrigger,
                       service: AppFlowService) async throws(AppFlowError) {
        try submit(run, trigger: trigger)
    }
}
