import ArgumentParser
import Foundation
import FlowlineAPI
import FlowlineService

/// Turns a `source,destination` CSV (the console's mapping upload) into the `--tasks` JSON of create-flow.
struct MapTasksFromCSVCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "map-tasks-from-csv",
        abstract: "Print the tasks JSON for a CSV of source,destination field pairs (Flowline extension).",
        discussion: "Use it as: flowline create-flow ... --tasks \"$(flowline map-tasks-from-csv --file map.csv --source-connector-type Salesforce)\"")

    @Option(name: .customLong("file"), help: "The CSV file of source,destination pairs (a header row is optional).")
    var file: String

    @Option(name: .customLong("source-connector-type"), help: "The flow's source connector type, e.g. S3 or Salesforce.")
    var sourceConnectorType: String

    func run() throws {
        let text = try ParameterValue.text("file://" + file.replacingOccurrences(of: "file://", with: ""), option: "--file")
        do {
            let tasks = try FieldMappingCSV.tasks(fromCSV: text, sourceConnectorType: sourceConnectorType)
            Output.printResponse(.array(tasks.map { $0.json(.iso8601) }))
        } catch {
            FileHandle.standardError.write(Data("flowline: \(error.message)\n".utf8))
            throw ExitCode(CLIError.usageExitCode)
        }
    }
}
