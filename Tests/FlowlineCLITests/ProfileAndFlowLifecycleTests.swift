import Foundation
import Testing
import FlowlineTestSupport

/// The AWS user guide's CLI walkthrough with `flowline` in place of `aws appflow`.
@Suite struct ProfileAndFlowLifecycleTests {
    let cli: FlowlineCLI

    init() throws {
        // Profiles with the AWS guide's made-up hosts: stored without trying their connection.
        cli = try FlowlineCLI(environment: FlowlineCLI.skipConnectionCheck)
    }

    private func createGuideProfiles() throws {
        let sf = try cli.run(["create-connector-profile", "--connector-profile-name", "MySalesforceConnection",
                              "--connector-type", "Salesforce", "--connection-mode", "Public",
                              "--connector-profile-config", Examples.salesforceProfileConfig])
        #expect(sf.status == 0, "\(sf.stderr)")
        #expect(sf.stdout.contains("\"connectorProfileArn\": \"arn:aws:appflow:us-east-1:123456789012:connectorprofile/MySalesforceConnection\""))

        let sn = try cli.run(["create-connector-profile", "--connector-profile-name", "MyServiceNowConnection",
                              "--connector-type", "Servicenow", "--connection-mode", "Public",
                              "--connector-profile-config", Examples.serviceNowProfileConfig])
        #expect(sn.status == 0, "\(sn.stderr)")

        let file = try cli.home.write("sap-profile.json", Examples.sapODataProfileRequest)
        let sap = try cli.run(["create-connector-profile", "--cli-input-json", "file://\(file.path)"])
        #expect(sap.status == 0, "\(sap.stderr)")
    }

    @Test func guideProfilesAreStoredAndDescribedWithoutSecrets() throws {
        try createGuideProfiles()
        let described = try cli.run("describe-connector-profiles")
        #expect(described.status == 0)
        let json = try JSONSerialization.jsonObject(with: Data(described.stdout.utf8)) as! [String: Any]
        let details = json["connectorProfileDetails"] as! [[String: Any]]
        #expect(details.map { $0["connectorProfileName"] as! String } == ["MySAPConnection", "MySalesforceConnection", "MyServiceNowConnection"])
        for profile in details {
            let arn = profile["credentialsArn"] as! String
            #expect(arn.hasPrefix("arn:aws:secretsmanager:us-east-1:123456789012:secret:appflow!"))
            #expect(profile["connectorProfileCredentials"] == nil)
        }
        let salesforce = details.first { $0["connectorProfileName"] as? String == "MySalesforceConnection" }!
        let props = (salesforce["connectorProfileProperties"] as! [String: Any])["Salesforce"] as! [String: Any]
        #expect(props["instanceUrl"] as? String == "https://example.my.salesforce.com")
        #expect(salesforce["connectorType"] as? String == "Salesforce")
        #expect(salesforce["createdAt"] is String)

        // Filtering by type and by name.
        let sn = try cli.json(["describe-connector-profiles", "--connector-type", "Servicenow"])
        #expect((sn["connectorProfileDetails"] as! [[String: Any]]).count == 1)
        let byName = try cli.json(["describe-connector-profiles", "--connector-profile-names", "MySAPConnection", "MyServiceNowConnection"])
        #expect((byName["connectorProfileDetails"] as! [[String: Any]]).count == 2)

        // No secret anywhere: not in what the CLI printed, not in the store's bytes.
        for secret in Examples.secrets {
            #expect(!described.stdout.contains(secret))
            #expect(!described.stderr.contains(secret))
        }
        try expectNoSecretsOnDisk()
    }

    private func expectNoSecretsOnDisk() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: cli.home.path).filter { $0.hasPrefix("flowline.db") }
        #expect(!files.isEmpty)
        for file in files {
            let bytes = try Data(contentsOf: cli.home.file(file))
            for secret in Examples.secrets {
                #expect(bytes.range(of: Data(secret.utf8)) == nil, "\(secret) found in \(file)")
            }
        }
    }

    @Test func salesforceToS3FlowWithMapAllIsCreatedAndDescribed() throws {
        try createGuideProfiles()
        let created = try cli.run(["create-flow", "--flow-name", "MySalesforceToS3Flow", "--description", "Accounts to S3",
                                   "--trigger-config", Examples.onDemandTrigger, "--source-flow-config", Examples.salesforceSource,
                                   "--destination-flow-config", Examples.s3Destination, "--tasks", Examples.mapAllTasks,
                                   "--tags", #"{"team": "sales"}"#])
        #expect(created.status == 0, "\(created.stderr)")
        let response = try JSONSerialization.jsonObject(with: Data(created.stdout.utf8)) as! [String: Any]
        #expect(response["flowArn"] as? String == "arn:aws:appflow:us-east-1:123456789012:flow/MySalesforceToS3Flow")
        #expect(response["flowStatus"] as? String == "Active")

        let flow = try cli.json(["describe-flow", "--flow-name", "MySalesforceToS3Flow"])
        #expect(flow["flowStatus"] as? String == "Active")
        #expect(flow["description"] as? String == "Accounts to S3")
        #expect((flow["tags"] as? [String: String]) == ["team": "sales"])
        let tasks = flow["tasks"] as! [[String: Any]]
        #expect(tasks.first?["taskType"] as? String == "Map_all")
        let source = flow["sourceFlowConfig"] as! [String: Any]
        #expect(source["connectorProfileName"] as? String == "MySalesforceConnection")
        #expect(flow["createdBy"] as? String != nil)

        let listed = try cli.json(["list-flows"])
        let flows = listed["flows"] as! [[String: Any]]
        #expect(flows.map { $0["flowName"] as! String } == ["MySalesforceToS3Flow"])
        #expect(flows.first?["sourceConnectorType"] as? String == "Salesforce")
        #expect(flows.first?["destinationConnectorType"] as? String == "S3")

        // Tags through their own operations.
        let arn = "arn:aws:appflow:us-east-1:123456789012:flow/MySalesforceToS3Flow"
        #expect(try cli.run(["tag-resource", "--resource-arn", arn, "--tags", #"{"env": "prod"}"#]).status == 0)
        #expect((try cli.json(["list-tags-for-resource", "--resource-arn", arn])["tags"] as? [String: String]) == ["team": "sales", "env": "prod"])
        #expect(try cli.run(["untag-resource", "--resource-arn", arn, "--tag-keys", "team"]).status == 0)
        #expect((try cli.json(["list-tags-for-resource", "--resource-arn", arn])["tags"] as? [String: String]) == ["env": "prod"])

        // A profile in use is protected unless forced.
        let inUse = try cli.run("delete-connector-profile", "--connector-profile-name", "MySalesforceConnection")
        #expect(inUse.status == 254)
        #expect(inUse.stderr.contains("An error occurred (ConflictException) when calling the DeleteConnectorProfile operation"))
        #expect(try cli.run("delete-flow", "--flow-name", "MySalesforceToS3Flow").status == 0)
        #expect(try cli.run("delete-connector-profile", "--connector-profile-name", "MySalesforceConnection").status == 0)
        let gone = try cli.run("describe-flow", "--flow-name", "MySalesforceToS3Flow")
        #expect(gone.stderr.contains("(ResourceNotFoundException)"))
    }

    @Test func forceDeleteRemovesAProfileInUse() throws {
        try createGuideProfiles()
        #expect(try cli.run(["create-flow", "--flow-name", "f1", "--trigger-config", Examples.onDemandTrigger,
                             "--source-flow-config", Examples.salesforceSource, "--destination-flow-config-list", Examples.s3Destination,
                             "--tasks", Examples.mapAllTasks]).status == 0)
        #expect(try cli.run("delete-connector-profile", "--connector-profile-name", "MySalesforceConnection", "--force-delete").status == 0)
        let profiles = try cli.json(["describe-connector-profiles", "--connector-profile-names", "MySalesforceConnection"])
        #expect((profiles["connectorProfileDetails"] as? [Any])?.isEmpty ?? true)
    }

    @Test func scheduledFlowsStartAsDraftAndStopFlowRefusesOnDemand() throws {
        try cli.putObject(bucket: "in-bucket", key: "a.csv", "id,updated\n1,2026-01-01T00:00:00Z\n")
        let source = #"{"connectorType": "S3", "sourceConnectorProperties": {"S3": {"bucketName": "in-bucket", "bucketPrefix": ""}}}"#
        let dest = #"[{"connectorType": "S3", "destinationConnectorProperties": {"S3": {"bucketName": "out-bucket"}}}]"#
        let tasks = #"[{"sourceFields": [], "connectorOperator": {"S3": "NO_OP"}, "taskType": "Map_all", "taskProperties": {}}]"#
        let trigger = #"{"triggerType": "Scheduled", "triggerProperties": {"Scheduled": {"scheduleExpression": "rate(1days)"}}}"#
        let created = try cli.json(["create-flow", "--flow-name", "nightly", "--trigger-config", trigger,
                                    "--source-flow-config", source, "--destination-flow-config-list", dest, "--tasks", tasks])
        #expect(created["flowStatus"] as? String == "Draft")
        let started = try cli.json(["start-flow", "--flow-name", "nightly"])
        #expect(started["flowStatus"] as? String == "Active")
        #expect(started["executionId"] == nil)
        let stopped = try cli.json(["stop-flow", "--flow-name", "nightly"])
        #expect(stopped["flowStatus"] as? String == "Suspended")

        #expect(try cli.run(["create-flow", "--flow-name", "adhoc", "--trigger-config", Examples.onDemandTrigger,
                             "--source-flow-config", source, "--destination-flow-config-list", dest, "--tasks", tasks]).status == 0)
        let refused = try cli.run("stop-flow", "--flow-name", "adhoc")
        #expect(refused.status == 254)
        #expect(refused.stderr.contains("(UnsupportedOperationException)"))

        let badCron = #"{"triggerType": "Scheduled", "triggerProperties": {"Scheduled": {"scheduleExpression": "cron(0 25 * * ? *)"}}}"#
        let bad = try cli.run(["create-flow", "--flow-name", "badcron", "--trigger-config", badCron,
                               "--source-flow-config", source, "--destination-flow-config-list", dest, "--tasks", tasks])
        #expect(bad.stderr.contains("(ValidationException)"))
        #expect(bad.stderr.contains("hours value 25"))
    }

    @Test func connectorsAreDescribed() throws {
        let all = try cli.json(["describe-connectors"])
        let configs = all["connectorConfigurations"] as! [String: [String: Any]]
        #expect(configs["S3"]?["canUseAsSource"] as? Bool == true)
        #expect(configs["S3"]?["canUseAsDestination"] as? Bool == true)
        #expect(configs["Salesforce"]?["canUseAsDestination"] as? Bool == false)
        #expect((configs["Redshift"]?["supportedWriteOperations"] as? [String]) == ["INSERT", "UPSERT", "UPDATE", "DELETE"])
        let listed = try cli.json(["list-connectors"])
        #expect((listed["connectors"] as! [Any]).count == configs.count)
    }
}
