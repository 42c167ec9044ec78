import ArgumentParser
import Foundation
import FlowlineAPI
import FlowlineService

/// `flowline quickstart`: Flowline's main job end to end on the embedded default, no setup.
struct QuickstartCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quickstart",
        abstract: "Create sample CRM data in the local S3 root, a flow that loads it into Parquet, and run it.")

    func run() async throws {
        let config = ServiceConfiguration.fromEnvironment()
        let service = try LocalService.open()
        let keys = try Quickstart.writeSampleData(s3Root: config.s3Root.path)
        say("Sample data: \(keys.map { "s3://\(Quickstart.bucket)/\($0)" }.joined(separator: ", ")) in \(config.s3Root.path)")
        do {
            let request = Quickstart.createFlowRequest()
            let exists = try await service.handle(.listFlows, .object([])).json(.iso8601)
            let names: [String] = { if case .array(let flows)? = exists["flows"] { return flows.compactMap { if case .string(let n)? = $0["flowName"] { n } else { nil } } }; return [] }()
            if names.contains(Quickstart.flowName) {
                var update = request
                if case .object(let members) = request { update = .object(members.filter { $0.key != "tags" }) }
                _ = try await service.handle(.updateFlow, update)
                say("Flow \(Quickstart.flowName) updated")
            } else {
                _ = try await service.handle(.createFlow, request)
                say("Flow \(Quickstart.flowName) created (S3 CSV → filter, merge, mask, truncate → S3 Parquet)")
            }
            let started = try await service.handle(.startFlow, .object([("flowName", .string(Quickstart.flowName))])).json(.iso8601)
            guard case .string(let executionId)? = started["executionId"],
                  let execution = try await service.executionRecord(flowName: Quickstart.flowName, executionId: executionId) else {
                throw ExitCode(1)
            }
            if ProgressLine.shared.isEnabled { FileHandle.standardError.write(Data("\n".utf8)) }
            say("Execution record:")
            Output.printResponse(AppFlowService.executionShape(execution).json(.iso8601))
            let output = URL(fileURLWithPath: config.s3Root.path).appendingPathComponent(Quickstart.bucket)
                .appendingPathComponent("warehouse/\(Quickstart.flowName)/\(executionId)").path
            say("Output: \(output)")
            say("Read it with: python3 -c \"import pyarrow.parquet as pq; print(pq.read_table('\(output)').slice(0, 5).to_pylist())\"")
            if execution.status != .successful { throw ExitCode(1) }
        } catch let error as AppFlowError {
            FileHandle.standardError.write(Data("flowline quickstart: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }

    private func say(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
