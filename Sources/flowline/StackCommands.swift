import ArgumentParser
import Foundation
import FlowlineAPI
import FlowlineCloudFormation

/// `flowline deploy`: creates or updates a stack of AppFlow resources from a CloudFormation
/// template, as `aws cloudformation deploy` does.
struct DeployCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deploy",
        abstract: "Deploy a CloudFormation template (JSON or YAML) of AWS::AppFlow::ConnectorProfile and AWS::AppFlow::Flow resources as a stack.",
        discussion: """
            Resources are created or updated in dependency order; a redeploy changes only the resources \
            whose resolved properties changed and deletes those no longer in the template. Other resource \
            types are reported as skipped. A template error changes nothing; a failed create is rolled back.
            """)

    @Option(name: .customLong("template-file"), help: "The template, JSON or YAML.")
    var templateFile: String

    @Option(name: .customLong("stack-name"), help: "The stack's name (default: the template file's name).")
    var stackName: String?

    @Option(name: .customLong("parameter-overrides"), parsing: .upToNextOption,
            help: "Parameter values as Key=Value pairs.")
    var parameterOverrides: [String] = []

    func run() async throws {
        let path = templateFile.hasPrefix("file://") ? String(templateFile.dropFirst(7)) : templateFile
        // The size is checked before the file is read: a template is at most 1 MB.
        if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber {
            do {
                try StackDeployer.checkTemplateSize(size.intValue)
            } catch {
                StackCommandSupport.fail(error, operation: "CreateChangeSet")
            }
        }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw CLIError.badParameter(option: "--template-file", "Invalid template path \(templateFile)")
        }
        var overrides: [String: String] = [:]
        for pair in parameterOverrides {
            guard let equals = pair.firstIndex(of: "="), equals != pair.startIndex else {
                throw CLIError.badParameter(option: "--parameter-overrides", "\(pair) is not in the form Key=Value")
            }
            overrides[String(pair[..<equals])] = String(pair[pair.index(after: equals)...])
        }
        let name = stackName ?? Self.defaultStackName(path)
        let deployer = try StackCommandSupport.deployer(progress: { print($0) })
        do {
            let report = try await deployer.deploy(templateText: text, stackName: name, parameterOverrides: overrides)
            for change in report.changes where change.action != .created && change.action != .updated {
                let physical = change.physicalId.map { " (\($0))" } ?? ""
                let detail = change.detail.map { ": \($0)" } ?? ""
                let label = change.action == .skipped ? "SKIPPED" : change.action.rawValue
                if change.action == .deleted || change.action == .retained || change.action == .deleteFailed { continue }
                print("\(label) \(change.resourceType) \(change.logicalId)\(physical)\(detail)")
            }
            for output in report.outputs { print("Output \(output.name) = \(output.value)") }
            if report.noChanges {
                print("\nNo changes to deploy. Stack \(name) is up to date")
            } else {
                print("\nSuccessfully created/updated stack - \(name)")
            }
        } catch {
            StackCommandSupport.fail(error, operation: error.code == .validation ? "CreateChangeSet" : "ExecuteChangeSet")
        }
    }

    /// `templates/salesforce-flow.yaml` → `salesforce-flow`.
    static func defaultStackName(_ path: String) -> String {
        let base = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        var name = String(base.map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "-" })
        if name.first?.isLetter != true { name = "stack-" + name }
        return String(name.prefix(128))
    }
}

/// `flowline delete-stack --stack-name NAME`: deletes what the stack created, flows before profiles.
struct DeleteStackCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete-stack", abstract: "Delete a stack and the flows and connector profiles it created.")

    @Option(name: .customLong("stack-name"), help: "The stack to delete.")
    var stackName: String

    func run() async throws {
        let deployer = try StackCommandSupport.deployer(progress: { line in
            FileHandle.standardError.write(Data("\(line)\n".utf8))
        })
        do {
            _ = try await deployer.deleteStack(name: stackName)
        } catch {
            StackCommandSupport.fail(error, operation: "DeleteStack")
        }
    }
}

/// `flowline describe-stack-resources --stack-name NAME`, printed as CloudFormation's `StackResources`.
struct DescribeStackResourcesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "describe-stack-resources", abstract: "List the resources of a stack.")

    @Option(name: .customLong("stack-name"), help: "The stack.")
    var stackName: String

    func run() async throws {
        let deployer = try StackCommandSupport.deployer(progress: nil)
        do {
            let resources = try deployer.describeStackResources(name: stackName)
            let rows: [JSONValue] = resources.map { resource in
                .object([
                    ("StackName", .string(resource.stackName)),
                    ("StackId", .string(resource.stackId)),
                    ("LogicalResourceId", .string(resource.logicalResourceId)),
                    ("PhysicalResourceId", .string(resource.physicalResourceId)),
                    ("ResourceType", .string(resource.resourceType)),
                    ("Timestamp", resource.timestamp.json(.iso8601)),
                    ("ResourceStatus", .string(resource.resourceStatus)),
                    ("DriftInformation", .object([("StackResourceDriftStatus", .string("NOT_CHECKED"))])),
                ])
            }
            Output.printResponse(.object([("StackResources", .array(rows))]))
        } catch {
            StackCommandSupport.fail(error, operation: "DescribeStackResources")
        }
    }
}

enum StackCommandSupport {
    static func deployer(progress: (@Sendable (String) -> Void)?) throws -> StackDeployer {
        let service = try LocalService.open()
        do {
            return try StackDeployer(service: service, progress: progress)
        } catch {
            FileHandle.standardError.write(Data("flowline: \(error.message)\n".utf8))
            throw ExitCode(1)
        }
    }

    /// Prints the error as the AWS CLI prints CloudFormation's, and exits with the service error status.
    static func fail(_ error: StackError, operation: String) -> Never {
        let line: String
        switch error.code {
        case .validation:
            line = "\nAn error occurred (ValidationError) when calling the \(operation) operation: \(error.message)\n"
        case .resourceFailed:
            line = "\nFailed to create/update the stack: \(error.message)\n"
        }
        FileHandle.standardError.write(Data(line.utf8))
        Foundation.exit(CLIError.serviceExitCode)
    }
}
