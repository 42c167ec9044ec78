import ArgumentParser
import Foundation
import FlowlineAPI
import FlowlineService

/// Runs one AppFlow operation for a generated command and prints what the AWS CLI would.
enum OperationCommand {
    static func invoke(_ name: String, _ request: JSONValue, common: CommonOptions) async throws {
        guard let operation = AppFlow.Operation(rawValue: name) else {
            throw CLIError.usage("unknown operation \(name)")
        }
        if let endpoint = common.endpointURL {
            try await RemoteService.invoke(operation, request, endpoint: endpoint)
            return
        }
        let service = try LocalService.open()
        do {
            let response = try await ProgressLine.shared.whileWaiting(operation.rawValue) {
                try await service.handle(operation, request)
            }
            Output.printResponse(response.json(.iso8601))
            if operation == .startFlow {
                try await exitIfRunFailed(service: service, response: response.json(.iso8601))
            }
        } catch let error as AppFlowError {
            Output.printServiceError(error, operation: operation)
            throw ExitCode(CLIError.serviceExitCode)
        }
    }

    /// `start-flow` in the CLI runs the flow in the foreground; a failed run fails the command.
    private static func exitIfRunFailed(service: AppFlowService, response: JSONValue) async throws {
        guard case .string(let executionId)? = response["executionId"], case .string(let arn)? = response["flowArn"],
              let flowName = arn.split(separator: "/").last.map(String.init) else { return }
        let execution = try await service.executionRecord(flowName: flowName, executionId: executionId)
        guard let execution, execution.status != .successful else { return }
        FileHandle.standardError.write(Data("flowline: run \(executionId) ended \(execution.status.rawValue): \(execution.executionMessage ?? "")\n".utf8))
        throw ExitCode(1)
    }
}

enum Output {
    /// Pretty JSON with 4-space indents, as the AWS CLI prints; an empty response prints nothing.
    static func printResponse(_ json: JSONValue) {
        if case .object(let members) = json, members.isEmpty { return }
        print(JSONPrinter.pretty(json))
    }

    static func printServiceError(_ error: AppFlowError, operation: AppFlow.Operation) {
        let line = "\nAn error occurred (\(error.code.rawValue)) when calling the \(operation.rawValue) operation: \(error.message)\n"
        FileHandle.standardError.write(Data(line.utf8))
    }
}
