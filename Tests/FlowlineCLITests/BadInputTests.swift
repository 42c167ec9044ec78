import Foundation
import Testing
import FlowlineTestSupport

/// Bad requests get AWS's error vocabulary, a message naming what is wrong, and store nothing.
@Suite struct BadInputTests {
    let cli: FlowlineCLI
    let source = #"{"connectorType": "S3", "sourceConnectorProperties": {"S3": {"bucketName": "in-bucket"}}}"#
    let dest = #"[{"connectorType": "S3", "destinationConnectorProperties": {"S3": {"bucketName": "out-bucket"}}}]"#
    let tasks = #"[{"sourceFields": [], "connectorOperator": {"S3": "NO_OP"}, "taskType": "Map_all", "taskProperties": {}}]"#

    init() throws {
        // Profiles with the AWS guide's made-up hosts: stored without trying their connection.
        cli = try FlowlineCLI(environment: FlowlineCLI.skipConnectionCheck)
        // The flows' source bucket exists (empty): create-flow refuses a missing one.
        try FileManager.default.createDirectory(at: cli.s3Root.appendingPathComponent("in-bucket"), withIntermediateDirectories: true)
    }

    private func createFlow(_ name: String, extra: [String] = [], tasks: String? = nil) throws -> ProcessResult {
        try cli.run(["create-flow", "--flow-name", name, "--trigger-config", Examples.onDemandTrigger,
                     "--source-flow-config", source, "--destination-flow-config-list", dest, "--tasks", tasks ?? self.tasks] + extra)
    }

    private func expectNothingStored() throws {
        let flows = try cli.json(["list-flows"])
        #expect((flows["flows"] as? [Any])?.isEmpty ?? true)
    }

    @Test func fiftyOneTagsAreRefused() throws {
        let tags = "{" + (1...51).map { "\"k\($0)\": \"v\"" }.joined(separator: ",") + "}"
        let r = try createFlow("tagged", extra: ["--tags", tags])
        #expect(r.status == 254)
        #expect(r.stderr.contains("An error occurred (ValidationException) when calling the CreateFlow operation"))
        #expect(r.stderr.contains("'tags'"))
        #expect(r.stderr.contains("50"))
        try expectNothingStored()
    }

    @Test func awsPrefixedTagKeyIsRefused() throws {
        let r = try createFlow("tagged", extra: ["--tags", #"{"aws:owner": "me"}"#])
        #expect(r.status == 254)
        #expect(r.stderr.contains("(ValidationException)"))
        #expect(r.stderr.contains("aws:owner"))
        try expectNothingStored()
    }

    @Test func flowNameStartingWithDashIsRefused() throws {
        let r = try cli.run(["create-flow", "--flow-name=-nightly", "--trigger-config", Examples.onDemandTrigger,
                             "--source-flow-config", source, "--destination-flow-config-list", dest, "--tasks", tasks])
        #expect(r.status == 254)
        #expect(r.stderr.contains("Value '-nightly' at 'flowName' failed to satisfy constraint: Member must satisfy regular expression pattern"))
        try expectNothingStored()
    }

    @Test func aMissingSourceBucketIsRefusedNamingIt() throws {
        let r = try cli.run(["create-flow", "--flow-name", "flow1", "--trigger-config", Examples.onDemandTrigger,
                             "--source-flow-config", #"{"connectorType": "S3", "sourceConnectorProperties": {"S3": {"bucketName": "no-such-bucket"}}}"#,
                             "--destination-flow-config-list", dest, "--tasks", tasks])
        #expect(r.status == 254)
        #expect(r.stderr.contains("(ValidationException)") && r.stderr.contains("The source bucket no-such-bucket does not exist"), "\(r.stderr)")
        try expectNothingStored()
    }

    @Test func aMissingDestinationBucketIsCreatedByTheFirstRun() throws {
        try cli.putObject(bucket: "in-bucket", key: "a.csv", "Id,Name\n1,Acme\n")
        #expect(!FileManager.default.fileExists(atPath: cli.s3Root.appendingPathComponent("out-bucket").path))
        #expect(try createFlow("copy").status == 0)
        let run = try cli.run("start-flow", "--flow-name", "copy")
        #expect(run.status == 0, "\(run.stderr)")
        #expect(cli.objectKeys(bucket: "out-bucket").count == 1)
    }

    @Test func malformedJSONIsRefusedBeforeAnyCall() throws {
        let r = try createFlow("flow1", tasks: #"[{"sourceFields": [], "taskType": "Map_all",]"#)
        #expect(r.status == 252)
        #expect(r.stderr.contains("Error parsing parameter '--tasks': Invalid JSON"))
        try expectNothingStored()
    }

    @Test func unknownMemberIsNamed() throws {
        let r = try createFlow("flow1", tasks: #"[{"sourceFields": [], "connectorOperator": {"S3": "NO_OP"}, "taskType": "Map_all", "taskProperties": {}, "colour": "red"}]"#)
        #expect(r.status == 254)
        #expect(r.stderr.contains("(ValidationException)"))
        #expect(r.stderr.contains("colour"))
        try expectNothingStored()
    }

    @Test func missingRequiredOptionsAreListed() throws {
        let r = try cli.run("create-flow", "--flow-name", "f")
        #expect(r.status == 252)
        #expect(r.stderr.contains("the following arguments are required: --trigger-config, --source-flow-config, --destination-flow-config-list, --tasks"))
    }

    @Test func duplicateAndMissingNames() throws {
        #expect(try createFlow("twice").status == 0)
        let again = try createFlow("twice")
        #expect(again.stderr.contains("An error occurred (ConflictException) when calling the CreateFlow operation"))
        let missing = try cli.run("describe-flow", "--flow-name", "nope")
        #expect(missing.stderr.contains("An error occurred (ResourceNotFoundException) when calling the DescribeFlow operation"))
        #expect(missing.stderr.contains("nope"))
    }

    @Test func flowNeedsAMapAllOrProjection() throws {
        let onlyMask = #"[{"sourceFields": ["a"], "connectorOperator": {"S3": "MASK_ALL"}, "destinationField": "a", "taskType": "Mask", "taskProperties": {"MASK_VALUE": "*"}}]"#
        let r = try createFlow("flow1", tasks: onlyMask)
        #expect(r.stderr.contains("(ValidationException)"))
        #expect(r.stderr.contains("Map_all") || r.stderr.contains("PROJECTION"))
        try expectNothingStored()
    }

    @Test func unknownSourceFieldIsRefusedWhenTheBucketHasData() throws {
        try cli.putObject(bucket: "in-bucket", key: "accounts.csv", "Id,Name\n1,Acme\n")
        let tasks = #"[{"sourceFields": ["Id", "Nmae"], "connectorOperator": {"S3": "PROJECTION"}, "taskType": "Filter", "taskProperties": {}}]"#
        let r = try createFlow("flow1", tasks: tasks)
        #expect(r.stderr.contains("(ValidationException)"))
        #expect(r.stderr.contains("Nmae"))
        try expectNothingStored()
    }

    @Test func profileOfTheWrongTypeOrMissingIsRefused() throws {
        let sfSource = Examples.salesforceSource
        let r = try cli.run(["create-flow", "--flow-name", "flow1", "--trigger-config", Examples.onDemandTrigger,
                             "--source-flow-config", sfSource, "--destination-flow-config-list", dest, "--tasks", Examples.mapAllTasks])
        #expect(r.stderr.contains("(ResourceNotFoundException)"))
        #expect(r.stderr.contains("MySalesforceConnection"))
        #expect(try cli.run(["create-connector-profile", "--connector-profile-name", "MySalesforceConnection",
                             "--connector-type", "Servicenow", "--connection-mode", "Public",
                             "--connector-profile-config", Examples.serviceNowProfileConfig]).status == 0)
        let wrong = try cli.run(["create-flow", "--flow-name", "flow1", "--trigger-config", Examples.onDemandTrigger,
                                 "--source-flow-config", sfSource, "--destination-flow-config-list", dest, "--tasks", Examples.mapAllTasks])
        #expect(wrong.stderr.contains("(ValidationException)"))
        #expect(wrong.stderr.contains("Servicenow"))
        try expectNothingStored()
    }

    @Test func mismatchedProfilePropertiesAreRefused() throws {
        let r = try cli.run(["create-connector-profile", "--connector-profile-name", "p", "--connector-type", "Salesforce",
                             "--connection-mode", "Public", "--connector-profile-config", Examples.serviceNowProfileConfig])
        #expect(r.stderr.contains("(ValidationException)"))
        #expect(r.stderr.contains("ServiceNow"))
        #expect(!r.stderr.contains(Examples.serviceNowPassword))
        let profiles = try cli.json(["describe-connector-profiles"])
        #expect((profiles["connectorProfileDetails"] as? [Any])?.isEmpty ?? true)
    }

    @Test func clientTokenMakesCreateIdempotent() throws {
        let first = try createFlow("idem", extra: ["--client-token", "token-1"])
        let second = try createFlow("idem", extra: ["--client-token", "token-1"])
        #expect(first.status == 0 && second.status == 0, "\(second.stderr)")
        #expect(first.stdout == second.stdout)
        #expect(try createFlow("idem", extra: ["--client-token", "token-2"]).stderr.contains("(ConflictException)"))
    }
}
