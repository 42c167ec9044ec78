import Foundation
import Testing
import FlowlineTestSupport

/// Flowline and cfn-lint agree on the templates: what Flowline deploys passes cfn-lint, and an
/// AppFlow property error cfn-lint reports is one Flowline refuses too.
@Suite struct CfnLintTests {
    static let templates = [
        "salesforce-connector-profile.yaml", "salesforce-connector-profile.json",
        "servicenow-connector-profile.yaml", "servicenow-connector-profile.json",
        "salesforce-to-s3-flow.yaml", "salesforce-to-s3-flow.json",
        "s3-to-s3-flow.yaml", "s3-to-s3-flow.json",
    ]

    static func cfnLint(_ path: String) throws -> ProcessResult {
        guard let lint = Subprocess.which("cfn-lint") else {
            throw StackTestFailure(description: "cfn-lint is not on PATH; install it with `python3 -m pip install cfn-lint`")
        }
        return try Subprocess.run(lint, ["--regions", "us-east-1", "--", path])
    }

    @Test(arguments: templates)
    func exampleTemplatePassesCfnLintAndDeploys(_ name: String) throws {
        let path = StackFixtures.example(name)
        let lint = try Self.cfnLint(path)
        #expect(lint.status == 0, "cfn-lint \(name):\n\(lint.stdout)\(lint.stderr)")
        let cli = try StackFixtures.cli()
        var overrides: [String] = []
        if name.hasPrefix("salesforce") { overrides = StackFixtures.salesforceSecrets }
        if name.hasPrefix("servicenow") { overrides = ["Password=\(StackFixtures.serviceNowPassword)"] }
        let out = try cli.deploy(path, stack: "example", overrides)
        #expect(out.contains("Successfully created/updated stack - example"))
    }

    /// A wrong enum value and an unknown property: cfn-lint errors, and Flowline refuses before any change.
    @Test(arguments: [
        ("TriggerType: OnDemand", "TriggerType: Hourly", "'Hourly'"),
        ("FileType: CSV", "FileType: XLSX", "'XLSX'"),
        ("BucketPrefix: !Ref SourcePrefix", "BucketPrefix: !Ref SourcePrefix\n            Bucket: other", "Unknown member 'bucket'"),
    ])
    func anAppFlowPropertyErrorIsRefusedByBoth(original: String, broken: String, flowlineSays: String) throws {
        let dir = try TemporaryDirectory("cfn-lint")
        let text = try String(contentsOfFile: StackFixtures.example("s3-to-s3-flow.yaml"), encoding: .utf8)
        #expect(text.contains(original))
        let path = try dir.write("broken.yaml", text.replacingOccurrences(of: original, with: broken)).path
        let lint = try Self.cfnLint(path)
        #expect(lint.status != 0)
        #expect(lint.stdout.contains("E30"), "cfn-lint:\n\(lint.stdout)")
        let cli = try StackFixtures.cli()
        let result = try cli.run(["deploy", "--template-file", path, "--stack-name", "broken"])
        #expect(result.status == 254)
        #expect(result.stderr.contains("Resource CsvCopyFlow (AWS::AppFlow::Flow)"), "\(result.stderr)")
        #expect(result.stderr.contains(flowlineSays), "\(result.stderr)")
        #expect(try cli.flowNames().isEmpty)
    }
}
