import Foundation
import Testing
import FlowlineTestSupport

/// Templates come from anywhere: one that would expand without bound is refused before it
/// expands, and NoEcho parameter values never reach any output or the stack's records in clear.
@Suite struct UntrustedTemplateTests {
    /// `flowline deploy` under an address-space limit: a template that expanded in memory would
    /// crash the process instead of being refused.
    static func deployWithBoundedMemory(_ cli: FlowlineCLI, template: URL, stack: String) throws -> ProcessResult {
        let prlimit = try #require(Subprocess.which("prlimit"), "prlimit (util-linux) is not on PATH")
        return try Subprocess.run(prlimit, ["--as=\(3 << 30)", "--", FlowlineCLI.binary,
                                            "deploy", "--template-file", template.path, "--stack-name", stack],
                                  environment: cli.environment)
    }

    @Test func aYAMLAliasBombIsRefusedBeforeItExpands() throws {
        let cli = try FlowlineCLI()
        // Nine levels of nine aliases each: 9^9 (387 million) strings once expanded, 1 KB as text.
        var text = "Parameters:\n  P: {Type: String, Default: x}\nMetadata:\n  l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        for level in 1...9 {
            let previous = "*l\(level - 1)"
            text += "  l\(level): &l\(level) [\(Array(repeating: previous, count: 9).joined(separator: ", "))]\n"
        }
        text += """
            Resources:
              Flow:
                Type: AWS::AppFlow::Flow
                Properties:
                  FlowName: bomb
                  Description: *l9

            """
        let template = try cli.home.write("bomb.yaml", text)
        let result = try Self.deployWithBoundedMemory(cli, template: template, stack: "bomb")
        #expect(result.status == 254, "status \(result.status): \(result.stderr.suffix(400))")
        #expect(result.stderr.contains("ValidationError") && result.stderr.contains("alias"), "\(result.stderr.suffix(400))")
        #expect(try cli.flowNames().isEmpty)
    }

    @Test func deeplyNestedAndOversizedTemplatesAreRefused() throws {
        let cli = try FlowlineCLI()
        let nestedYAML = try cli.home.write("nested.yaml", "Resources: " + String(repeating: "[", count: 50_000) + String(repeating: "]", count: 50_000) + "\n")
        let nested = try Self.deployWithBoundedMemory(cli, template: nestedYAML, stack: "nested")
        #expect(nested.status == 254, "status \(nested.status): \(nested.stderr.suffix(400))")
        #expect(nested.stderr.contains("nest"), "\(nested.stderr.suffix(400))")

        let nestedJSON = try cli.home.write("nested.json", "{\"Resources\": " + String(repeating: "[", count: 50_000) + String(repeating: "]", count: 50_000) + "}")
        let json = try Self.deployWithBoundedMemory(cli, template: nestedJSON, stack: "nested-json")
        #expect(json.status == 254, "status \(json.status): \(json.stderr.suffix(400))")
        #expect(json.stderr.contains("nest"), "\(json.stderr.suffix(400))")

        // CloudFormation's own limit for a template in S3 is 1 MB.
        let padding = "# " + String(repeating: "x", count: 1_100_000) + "\n"
        let big = try cli.home.write("big.yaml", padding + StackLifecycleTests.twoFlowsYAML())
        let oversized = try Self.deployWithBoundedMemory(cli, template: big, stack: "big")
        #expect(oversized.status == 254)
        #expect(oversized.stderr.contains("1048576 bytes"), "\(oversized.stderr.suffix(400))")
    }

    static let hidden = "NoEcho-value-7c1e93"

    static func noEchoTemplate(description: String = "!Sub 'copy with ${Hidden}'") -> String {
        """
        Parameters:
          Hidden: {Type: String, NoEcho: true}
        Resources:
          Profile:
            Type: AWS::AppFlow::ConnectorProfile
            Properties:
              ConnectorProfileName: hidden-profile
              ConnectorType: Salesforce
              ConnectionMode: Public
              ConnectorProfileConfig:
                ConnectorProfileProperties:
                  Salesforce: {InstanceUrl: !Sub 'https://${Hidden}.my.salesforce.com'}
                ConnectorProfileCredentials:
                  Salesforce: {AccessToken: !Ref Hidden}
          Orders:
            Type: AWS::AppFlow::Flow
            Properties:
              FlowName: hidden-orders
              Description: \(description)
              TriggerConfig: {TriggerType: OnDemand}
              SourceFlowConfig:
                ConnectorType: S3
                SourceConnectorProperties: {S3: {BucketName: lake, BucketPrefix: orders}}
              DestinationFlowConfigList:
                - ConnectorType: S3
                  DestinationConnectorProperties: {S3: {BucketName: lake, BucketPrefix: out}}
              Tasks:
                - {TaskType: Map_all, SourceFields: [], ConnectorOperator: {S3: NO_OP}}
        Outputs:
          Shown: {Value: !Sub 'echo ${Hidden}'}

        """
    }

    /// The stack's own records, read back by Python's sqlite3: parameters and resource documents.
    static func stackRecords(_ cli: FlowlineCLI) throws -> String {
        try Python.run("""
            import sqlite3, sys
            db = sqlite3.connect(sys.argv[1])
            rows = db.execute("SELECT parameters FROM cfn_stacks").fetchall() + db.execute("SELECT properties FROM cfn_stack_resources").fetchall()
            for (value,) in rows:
                print(value.decode() if isinstance(value, bytes) else value)
            """, [cli.home.file("flowline.db").path])
    }

    @Test func noEchoValuesAreMaskedInEveryOutputAndNeverStoredInClear() throws {
        let cli = try StackFixtures.cli()
        let template = try cli.home.write("hidden.yaml", Self.noEchoTemplate())
        let first = try cli.run(["deploy", "--template-file", template.path, "--stack-name", "hidden",
                                 "--parameter-overrides", "Hidden=\(Self.hidden)"])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("Output Shown = echo ****"), "\(first.stdout)")
        let records = try Self.stackRecords(cli)
        #expect(records.contains("hidden-orders"), "the stack records were not found: \(records)")
        #expect(!records.contains(Self.hidden), "a NoEcho value is stored in clear: \(records)")

        // A redeploy with the same value changes nothing (the sealed value compares equal) ...
        let again = try cli.run(["deploy", "--template-file", template.path, "--stack-name", "hidden",
                                 "--parameter-overrides", "Hidden=\(Self.hidden)"])
        #expect(again.stdout.contains("No changes to deploy"), "\(again.stdout)\(again.stderr)")
        // ... and one with another value updates the resources that use it.
        let changed = try cli.run(["deploy", "--template-file", template.path, "--stack-name", "hidden",
                                   "--parameter-overrides", "Hidden=\(Self.hidden)-2"])
        #expect(changed.status == 0 && changed.stdout.contains("UPDATE_COMPLETE"), "\(changed.stdout)\(changed.stderr)")

        // An error that would quote the value masks it too.
        let failing = try cli.home.write("failing.yaml", Self.noEchoTemplate(description: "!Sub '${Hidden}${Hidden}'").replacingOccurrences(
            of: "FlowName: hidden-orders", with: "FlowName: !Sub '-${Hidden}'"))
        let refused = try cli.run(["deploy", "--template-file", failing.path, "--stack-name", "failing",
                                   "--parameter-overrides", "Hidden=\(Self.hidden)"])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("****"), "\(refused.stderr)")
        for output in [first.stdout, first.stderr, again.stdout, changed.stdout, changed.stderr, refused.stdout, refused.stderr] {
            #expect(!output.contains(Self.hidden), "a NoEcho value was printed: \(output)")
        }
        #expect(!(try Self.stackRecords(cli)).contains(Self.hidden))
    }
}
