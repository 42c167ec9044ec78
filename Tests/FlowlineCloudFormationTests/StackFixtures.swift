import Foundation
import FlowlineTestSupport

/// The example templates in examples/cloudformation, and helpers to deploy them with the CLI.
enum StackFixtures {
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("examples/cloudformation")

    static func example(_ name: String) -> String { examples.appendingPathComponent(name).path }

    static let accessToken = "00Dxx-CFN-ACCESS-9e8d7c"
    static let refreshToken = "5Aep8-CFN-REFRESH-b1a2"
    static let serviceNowPassword = "sn-CFN-PASSWORD-4f4f"
    static let secrets = [accessToken, refreshToken, serviceNowPassword]

    static let salesforceSecrets = ["AccessToken=\(accessToken)", "RefreshToken=\(refreshToken)"]

    /// A CLI on a fresh home whose local S3 has the source buckets the templates read (`lake`, and
    /// the examples' `flowline-example`), storing the templates' made-up connections unchecked.
    static func cli() throws -> FlowlineCLI {
        let cli = try FlowlineCLI(environment: FlowlineCLI.skipConnectionCheck)
        for bucket in ["lake", "flowline-example"] {
            try FileManager.default.createDirectory(at: cli.s3Root.appendingPathComponent(bucket), withIntermediateDirectories: true)
        }
        return cli
    }
}

extension FlowlineCLI {
    /// `flowline deploy`, which must succeed.
    @discardableResult
    func deploy(_ template: String, stack: String, _ overrides: [String] = []) throws -> String {
        var arguments = ["deploy", "--template-file", template, "--stack-name", stack]
        if !overrides.isEmpty { arguments += ["--parameter-overrides"] + overrides }
        let result = try run(arguments)
        guard result.status == 0 else {
            throw StackTestFailure(description: "deploy \(template) failed (\(result.status)):\n\(result.stdout)\n\(result.stderr)")
        }
        return result.stdout
    }

    /// `describe-stack-resources` as logical id → (physical id, type, status).
    func stackResources(_ stack: String) throws -> [String: (physical: String, type: String, status: String)] {
        let json = try json(["describe-stack-resources", "--stack-name", stack])
        var resources: [String: (String, String, String)] = [:]
        for case let row as [String: Any] in json["StackResources"] as? [Any] ?? [] {
            resources[row["LogicalResourceId"] as? String ?? ""] =
                (row["PhysicalResourceId"] as? String ?? "", row["ResourceType"] as? String ?? "", row["ResourceStatus"] as? String ?? "")
        }
        return resources
    }

    func flowNames() throws -> Set<String> {
        let flows = try json(["list-flows"])["flows"] as? [[String: Any]] ?? []
        return Set(flows.compactMap { $0["flowName"] as? String })
    }

    func profileNames() throws -> Set<String> {
        let profiles = try json(["describe-connector-profiles"])["connectorProfileDetails"] as? [[String: Any]] ?? []
        return Set(profiles.compactMap { $0["connectorProfileName"] as? String })
    }

    func describeFlow(_ name: String) throws -> [String: Any] {
        try json(["describe-flow", "--flow-name", name])
    }
}

/// A test step that could not be carried out (a command that failed, a tool that is missing).
struct StackTestFailure: Error, CustomStringConvertible {
    let description: String
}
