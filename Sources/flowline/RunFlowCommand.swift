import ArgumentParser
import Foundation
import FlowlineAPI
import FlowlineService

/// Flowline's own `run-flow`: one run of any flow now, in the foreground, so cron or a CI job
/// can drive nightly loads without a server. A scheduled incremental flow pulls its next window.
struct RunFlowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run-flow",
        abstract: "Run one execution of a flow now, in the foreground, whatever its trigger (Flowline extension).")

    @Option(name: .customLong("flow-name"), help: "The flow to run.")
    var flowName: String

    func run() async throws {
        let service = try LocalService.open()
        do {
            let execution = try await ProgressLine.shared.whileWaiting("run-flow \(flowName)") {
                try await service.execute(flowName: flowName)
            }
            Output.printResponse(AppFlowService.executionShape(execution).json(.iso8601))
            if execution.status != .successful { throw ExitCode(1) }
        } catch let error as AppFlowError {
            FileHandle.standardError.write(Data("\nAn error occurred (\(error.code.rawValue)) when running flow \(flowName): \(error.message)\n".utf8))
            throw ExitCode(CLIError.serviceExitCode)
        }
    }
}
