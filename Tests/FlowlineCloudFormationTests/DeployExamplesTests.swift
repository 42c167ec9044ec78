import Foundation
import Testing
import FlowlineTestSupport

/// The example templates deploy unchanged, from JSON and from YAML, and produce what the API would.
@Suite struct DeployExamplesTests {
    @Test(arguments: ["yaml", "json"])
    func salesforceAndServiceNowProfilesDeploy(format: String) throws {
        let cli = try StackFixtures.cli()
        let out = try cli.deploy(StackFixtures.example("salesforce-connector-profile.\(format)"), stack: "sf", StackFixtures.salesforceSecrets)
        #expect(out.contains("CREATE_COMPLETE AWS::AppFlow::ConnectorProfile SalesforceConnectorProfile (example-salesforce)"))
        #expect(out.contains("Successfully created/updated stack - sf"))
        try cli.deploy(StackFixtures.example("servicenow-connector-profile.\(format)"), stack: "ops", ["Password=\(StackFixtures.serviceNowPassword)"])

        let profiles = try cli.json(["describe-connector-profiles"])["connectorProfileDetails"] as? [[String: Any]] ?? []
        let byName = Dictionary(uniqueKeysWithValues: profiles.map { ($0["connectorProfileName"] as? String ?? "", $0) })
        let salesforce = try #require(byName["example-salesforce"])
        #expect(salesforce["connectorType"] as? String == "Salesforce")
        let properties = (salesforce["connectorProfileProperties"] as? [String: Any])?["Salesforce"] as? [String: Any]
        #expect(properties?["instanceUrl"] as? String == "https://example.my.salesforce.com")
        #expect(properties?["isSandboxEnvironment"] as? Bool == false)
        let serviceNow = try #require(byName["ops-servicenow"])
        #expect(serviceNow["connectorType"] as? String == "Servicenow")

        // The stack knows what it made; secrets appear nowhere a user or another process can read.
        #expect(try cli.stackResources("sf")["SalesforceConnectorProfile"]?.physical == "example-salesforce")
        let database = try Data(contentsOf: cli.home.url.appendingPathComponent("flowline.db"))
        let describe = try cli.run(["describe-stack-resources", "--stack-name", "sf"]).stdout
        for secret in StackFixtures.secrets {
            #expect(!out.contains(secret) && !describe.contains(secret))
            #expect(database.range(of: Data(secret.utf8)) == nil, "\(secret) is in flowline.db in plain text")
        }
    }

    @Test(arguments: ["yaml", "json"])
    func salesforceToS3FlowDeploysAsTheAPIWouldCreateIt(format: String) throws {
        let cli = try StackFixtures.cli()
        let out = try cli.deploy(StackFixtures.example("salesforce-to-s3-flow.\(format)"), stack: "sales", StackFixtures.salesforceSecrets)
        // The profile comes first: the flow refers to it.
        let profileLine = try #require(out.range(of: "CREATE_COMPLETE AWS::AppFlow::ConnectorProfile SalesforceConnection (sales-salesforce)"))
        let flowLine = try #require(out.range(of: "CREATE_COMPLETE AWS::AppFlow::Flow AccountsFlow (sales-accounts)"))
        #expect(profileLine.lowerBound < flowLine.lowerBound)
        #expect(out.contains("Output FlowArn = arn:aws:appflow:us-east-1:123456789012:flow/sales-accounts"))

        // The same flow created through the API, for comparison.
        try cli.json(["create-flow", "--cli-input-json", """
            {"flowName": "api-accounts", "description": "Salesforce accounts to the data lake",
             "triggerConfig": {"triggerType": "Scheduled", "triggerProperties": {"Scheduled": {
                "scheduleExpression": "rate(1days)", "dataPullMode": "Incremental", "scheduleStartTime": 4102444800, "timezone": "UTC"}}},
             "sourceFlowConfig": {"connectorType": "Salesforce", "connectorProfileName": "sales-salesforce",
                "sourceConnectorProperties": {"Salesforce": {"object": "Account", "enableDynamicFieldUpdate": false, "includeDeletedRecords": false}},
                "incrementalPullConfig": {"datetimeTypeFieldName": "LastModifiedDate"}},
             "destinationFlowConfigList": [{"connectorType": "S3", "destinationConnectorProperties": {"S3": {
                "bucketName": "appflow-salesforce-export", "bucketPrefix": "salesforce",
                "s3OutputFormatConfig": {"fileType": "PARQUET", "preserveSourceDataTyping": true, "aggregationConfig": {"aggregationType": "SingleFile"}}}}}],
             "tasks": [
                {"taskType": "Filter", "sourceFields": ["Id", "Name", "Industry", "AnnualRevenue", "LastModifiedDate"], "connectorOperator": {"Salesforce": "PROJECTION"}},
                {"taskType": "Map", "sourceFields": ["Id"], "destinationField": "Id", "connectorOperator": {"Salesforce": "NO_OP"}, "taskProperties": {"SOURCE_DATA_TYPE": "id", "DESTINATION_DATA_TYPE": "id"}},
                {"taskType": "Map", "sourceFields": ["Name"], "destinationField": "Name", "connectorOperator": {"Salesforce": "NO_OP"}, "taskProperties": {"SOURCE_DATA_TYPE": "string", "DESTINATION_DATA_TYPE": "string"}},
                {"taskType": "Map", "sourceFields": ["Industry"], "destinationField": "Industry", "connectorOperator": {"Salesforce": "NO_OP"}, "taskProperties": {}},
                {"taskType": "Map", "sourceFields": ["AnnualRevenue"], "destinationField": "AnnualRevenue", "connectorOperator": {"Salesforce": "NO_OP"}, "taskProperties": {"DESTINATION_DATA_TYPE": "decimal"}},
                {"taskType": "Map", "sourceFields": ["LastModifiedDate"], "destinationField": "LastModifiedDate", "connectorOperator": {"Salesforce": "NO_OP"}, "taskProperties": {}}],
             "tags": {"environment": "dev", "owner": "data-platform"}}
            """])
        try cli.json(["start-flow", "--flow-name", "api-accounts"])
        let deployed = try cli.describeFlow("sales-accounts")
        let created = try cli.describeFlow("api-accounts")
        for key in ["description", "flowStatus", "sourceFlowConfig", "destinationFlowConfigList", "triggerConfig", "tasks", "tags"] {
            let a = try JSONSerialization.data(withJSONObject: deployed[key] ?? NSNull(), options: [.sortedKeys, .fragmentsAllowed])
            let b = try JSONSerialization.data(withJSONObject: created[key] ?? NSNull(), options: [.sortedKeys, .fragmentsAllowed])
            #expect(a == b, "\(key) differs: \(String(decoding: a, as: UTF8.self)) vs \(String(decoding: b, as: UTF8.self))")
        }
        // FlowStatus: Active made the scheduled flow active, as start-flow does.
        #expect(deployed["flowStatus"] as? String == "Active")
    }

    @Test func jsonAndYamlOfOneTemplateAreTheSameStack() throws {
        let cli = try StackFixtures.cli()
        try cli.deploy(StackFixtures.example("salesforce-to-s3-flow.yaml"), stack: "sales", StackFixtures.salesforceSecrets)
        let before = try cli.describeFlow("sales-accounts")["lastUpdatedAt"] as? String
        let out = try cli.deploy(StackFixtures.example("salesforce-to-s3-flow.json"), stack: "sales", StackFixtures.salesforceSecrets)
        #expect(out.contains("No changes to deploy. Stack sales is up to date"))
        #expect(try cli.describeFlow("sales-accounts")["lastUpdatedAt"] as? String == before)
    }
}
