import Foundation
import Testing
import FlowlineTestSupport

/// Redeploys, removals, deletes, template errors and rollbacks, from JSON and YAML templates.
@Suite struct StackLifecycleTests {
    /// Two on-demand S3 flows in YAML; the first one's description is a parameter.
    static func twoFlowsYAML(withSecond: Bool = true, customersDescription: String = "Customers copy",
                             customersTrigger: String = "OnDemand", extra: String = "") -> String {
        var text = """
            Parameters:
              OrdersDescription: {Type: String, Default: Orders copy}
            Resources:
              OrdersFlow:
                Type: AWS::AppFlow::Flow
                Properties:
                  FlowName: !Sub '${AWS::StackName}-orders'
                  Description: !Ref OrdersDescription
                  TriggerConfig: {TriggerType: OnDemand}
                  SourceFlowConfig:
                    ConnectorType: S3
                    SourceConnectorProperties: {S3: {BucketName: lake, BucketPrefix: orders}}
                  DestinationFlowConfigList:
                    - ConnectorType: S3
                      DestinationConnectorProperties: {S3: {BucketName: lake, BucketPrefix: out}}
                  Tasks:
                    - {TaskType: Map_all, SourceFields: [], ConnectorOperator: {S3: NO_OP}}
            """
        if withSecond {
            text += """

                  CustomersFlow:
                    Type: AWS::AppFlow::Flow
                    Properties:
                      FlowName: !Sub '${AWS::StackName}-customers'
                      Description: \(customersDescription)
                      TriggerConfig: {TriggerType: \(customersTrigger)}
                      SourceFlowConfig:
                        ConnectorType: S3
                        SourceConnectorProperties: {S3: {BucketName: lake, BucketPrefix: customers}}
                      DestinationFlowConfigList:
                        - ConnectorType: S3
                          DestinationConnectorProperties: {S3: {BucketName: lake, BucketPrefix: out}}
                      Tasks:
                        - {TaskType: Map_all, SourceFields: [], ConnectorOperator: {S3: NO_OP}}
                """
        }
        return text + extra
    }

    /// The same two flows in JSON, the first one's description given directly.
    static func twoFlowsJSON(ordersDescription: String) -> String {
        func flow(_ id: String, _ prefix: String, _ description: String) -> String {
            """
            "\(id)": {"Type": "AWS::AppFlow::Flow", "Properties": {
              "FlowName": {"Fn::Join": ["-", [{"Ref": "AWS::StackName"}, "\(prefix)"]]},
              "Description": "\(description)",
              "TriggerConfig": {"TriggerType": "OnDemand"},
              "SourceFlowConfig": {"ConnectorType": "S3", "SourceConnectorProperties": {"S3": {"BucketName": "lake", "BucketPrefix": "\(prefix)"}}},
              "DestinationFlowConfigList": [{"ConnectorType": "S3", "DestinationConnectorProperties": {"S3": {"BucketName": "lake", "BucketPrefix": "out"}}}],
              "Tasks": [{"TaskType": "Map_all", "SourceFields": [], "ConnectorOperator": {"S3": "NO_OP"}}]}}
            """
        }
        return "{\"Resources\": {\(flow("OrdersFlow", "orders", ordersDescription)), \(flow("CustomersFlow", "customers", "Customers copy"))}}"
    }

    @Test(arguments: ["yaml", "json"])
    func redeployUpdatesOnlyWhatChanged(format: String) throws {
        let cli = try StackFixtures.cli()
        let dir = try TemporaryDirectory("cfn-templates")
        let file = format == "yaml"
            ? try dir.write("stack.yaml", Self.twoFlowsYAML())
            : try dir.write("stack.json", Self.twoFlowsJSON(ordersDescription: "Orders copy"))
        try cli.deploy(file.path, stack: "copies")
        let ordersBefore = try cli.describeFlow("copies-orders")
        let customersBefore = try cli.describeFlow("copies-customers")

        if format == "yaml" {
            let out = try cli.deploy(file.path, stack: "copies", ["OrdersDescription=Orders copy v2"])
            #expect(out.contains("UPDATE_COMPLETE AWS::AppFlow::Flow OrdersFlow (copies-orders)"))
            #expect(out.contains("NO_CHANGE AWS::AppFlow::Flow CustomersFlow (copies-customers)"))
        } else {
            try Data(Self.twoFlowsJSON(ordersDescription: "Orders copy v2").utf8).write(to: file)
            try cli.deploy(file.path, stack: "copies")
        }
        let ordersAfter = try cli.describeFlow("copies-orders")
        let customersAfter = try cli.describeFlow("copies-customers")
        #expect(ordersAfter["description"] as? String == "Orders copy v2")
        #expect(ordersAfter["lastUpdatedAt"] as? String != ordersBefore["lastUpdatedAt"] as? String)
        #expect(customersAfter["lastUpdatedAt"] as? String == customersBefore["lastUpdatedAt"] as? String)
        #expect(customersAfter["createdAt"] as? String == customersBefore["createdAt"] as? String)
        #expect(try cli.stackResources("copies")["OrdersFlow"]?.status == "UPDATE_COMPLETE")
        #expect(try cli.stackResources("copies")["CustomersFlow"]?.status == "CREATE_COMPLETE")
    }

    @Test func aResourceRemovedFromTheTemplateIsDeleted() throws {
        let cli = try StackFixtures.cli()
        let dir = try TemporaryDirectory("cfn-templates")
        try cli.deploy(try dir.write("a.yaml", Self.twoFlowsYAML()).path, stack: "copies")
        let out = try cli.deploy(try dir.write("b.yaml", Self.twoFlowsYAML(withSecond: false)).path, stack: "copies")
        #expect(out.contains("Successfully created/updated stack - copies"))
        #expect(try cli.flowNames() == ["copies-orders"])
        #expect(try cli.stackResources("copies").keys.sorted() == ["OrdersFlow"])
    }

    @Test func deleteStackRemovesFlowsBeforeProfilesAndOnlyWhatItMade() throws {
        let cli = try StackFixtures.cli()
        try cli.deploy(StackFixtures.example("salesforce-to-s3-flow.yaml"), stack: "sales", StackFixtures.salesforceSecrets)
        try cli.deploy(StackFixtures.example("s3-to-s3-flow.yaml"), stack: "copy")
        // Deleting the profile first would fail (a flow uses it): the stack deletes the flow first.
        let result = try cli.run(["delete-stack", "--stack-name", "sales"])
        #expect(result.status == 0, "\(result.stderr)")
        let flowLine = try #require(result.stderr.range(of: "DELETE_COMPLETE AWS::AppFlow::Flow AccountsFlow"))
        let profileLine = try #require(result.stderr.range(of: "DELETE_COMPLETE AWS::AppFlow::ConnectorProfile SalesforceConnection"))
        #expect(flowLine.lowerBound < profileLine.lowerBound)
        #expect(try cli.flowNames() == ["copy-csv-copy"])
        #expect(try cli.profileNames().isEmpty)
        let gone = try cli.run(["describe-stack-resources", "--stack-name", "sales"])
        #expect(gone.status == 254)
        #expect(gone.stderr.contains("Stack with id sales does not exist"))
        // Deleting a stack that does not exist succeeds, as in CloudFormation.
        #expect(try cli.run(["delete-stack", "--stack-name", "sales"]).status == 0)
    }

    @Test func otherResourceTypesAreReportedAsSkipped() throws {
        let cli = try StackFixtures.cli()
        let dir = try TemporaryDirectory("cfn-templates")
        let file = try dir.write("t.yaml", Self.twoFlowsYAML(withSecond: false, extra: """

              DataBucket:
                Type: AWS::S3::Bucket
                Properties: {BucketName: lake}
            """))
        let out = try cli.deploy(file.path, stack: "mixed")
        #expect(out.contains("SKIPPED AWS::S3::Bucket DataBucket"))
        #expect(try cli.flowNames() == ["mixed-orders"])
    }

    @Test func aTemplateErrorChangesNothingAndNamesResourceAndProperty() throws {
        let cli = try StackFixtures.cli()
        let dir = try TemporaryDirectory("cfn-templates")
        // The first resource is fine; the second refers to a parameter that does not exist.
        let broken = Self.twoFlowsYAML(customersDescription: "!Ref Missing")
        let result = try cli.run(["deploy", "--template-file", try dir.write("t.yaml", broken).path, "--stack-name", "s"])
        #expect(result.status == 254)
        #expect(result.stderr.contains("ValidationError"))
        #expect(result.stderr.contains("Resource CustomersFlow (AWS::AppFlow::Flow), property Description"))
        #expect(result.stderr.contains("Unresolved resource dependencies [Missing]"))
        #expect(try cli.flowNames().isEmpty)
        #expect(try cli.run(["describe-stack-resources", "--stack-name", "s"]).status == 254)

        // A value the API model refuses (checked with the generated shapes before the first create).
        let badEnum = Self.twoFlowsYAML(customersTrigger: "Hourly")
        let second = try cli.run(["deploy", "--template-file", try dir.write("u.yaml", badEnum).path, "--stack-name", "s"])
        #expect(second.status == 254)
        #expect(second.stderr.contains("Resource CustomersFlow (AWS::AppFlow::Flow)"), "\(second.stderr)")
        #expect(second.stderr.contains("'Hourly'"))
        #expect(try cli.flowNames().isEmpty)
    }

    @Test func aCreateThatFailsHalfwayIsRolledBack() throws {
        let cli = try StackFixtures.cli()
        let dir = try TemporaryDirectory("cfn-templates")
        // The profile is created; the flow then names a profile that does not exist, which only the
        // service can tell (the request itself is well formed).
        let template = """
            Resources:
              Connection:
                Type: AWS::AppFlow::ConnectorProfile
                Properties:
                  ConnectorProfileName: rollback-profile
                  ConnectorType: Servicenow
                  ConnectionMode: Public
                  ConnectorProfileConfig:
                    ConnectorProfileProperties: {ServiceNow: {InstanceUrl: 'https://example.service-now.com'}}
                    ConnectorProfileCredentials: {ServiceNow: {Username: u, Password: p}}
              Incidents:
                Type: AWS::AppFlow::Flow
                DependsOn: Connection
                Properties:
                  FlowName: rollback-flow
                  TriggerConfig: {TriggerType: OnDemand}
                  SourceFlowConfig:
                    ConnectorType: Servicenow
                    ConnectorProfileName: no-such-profile
                    SourceConnectorProperties: {ServiceNow: {Object: incident}}
                  DestinationFlowConfigList:
                    - ConnectorType: S3
                      DestinationConnectorProperties: {S3: {BucketName: lake}}
                  Tasks:
                    - {TaskType: Map_all, SourceFields: [], ConnectorOperator: {ServiceNow: NO_OP}}
            """
        let result = try cli.run(["deploy", "--template-file", try dir.write("t.yaml", template).path, "--stack-name", "rb"])
        #expect(result.status == 254)
        #expect(result.stderr.contains("Resource Incidents (AWS::AppFlow::Flow) CREATE_FAILED"), "\(result.stderr)")
        #expect(result.stderr.contains("no-such-profile"))
        #expect(result.stderr.contains("Rolled back: deleted Connection (rollback-profile)"))
        #expect(result.stderr.contains("Stack rb was not created"))
        #expect(try cli.profileNames().isEmpty)
        #expect(try cli.flowNames().isEmpty)
        #expect(try cli.run(["describe-stack-resources", "--stack-name", "rb"]).status == 254)
    }

    @Test func aFailedUpdatePutsBackWhatItChanged() throws {
        let cli = try StackFixtures.cli()
        let dir = try TemporaryDirectory("cfn-templates")
        let file = try dir.write("t.yaml", Self.twoFlowsYAML(withSecond: false))
        try cli.deploy(file.path, stack: "up")
        let before = try cli.describeFlow("up-orders")
        // The update of OrdersFlow succeeds, then the new flow fails (its profile does not exist).
        let failing = Self.twoFlowsYAML(withSecond: false, extra: """

              Broken:
                Type: AWS::AppFlow::Flow
                DependsOn: OrdersFlow
                Properties:
                  FlowName: up-broken
                  TriggerConfig: {TriggerType: OnDemand}
                  SourceFlowConfig:
                    ConnectorType: Salesforce
                    ConnectorProfileName: missing-profile
                    SourceConnectorProperties: {Salesforce: {Object: Account}}
                  DestinationFlowConfigList:
                    - ConnectorType: S3
                      DestinationConnectorProperties: {S3: {BucketName: lake}}
                  Tasks:
                    - {TaskType: Map_all, SourceFields: [], ConnectorOperator: {Salesforce: NO_OP}}
            """)
        let result = try cli.run(["deploy", "--template-file", try dir.write("u.yaml", failing).path, "--stack-name", "up",
                                  "--parameter-overrides", "OrdersDescription=changed"])
        #expect(result.status == 254)
        #expect(result.stderr.contains("restored OrdersFlow (up-orders)"), "\(result.stderr)")
        #expect(try cli.describeFlow("up-orders")["description"] as? String == before["description"] as? String)
        #expect(try cli.flowNames() == ["up-orders"])
        #expect(try cli.stackResources("up")["OrdersFlow"]?.status == "CREATE_COMPLETE")
        // The stack still works: the earlier template deploys with no change.
        #expect(try cli.deploy(file.path, stack: "up").contains("No changes to deploy"))
    }

    @Test func changingACreateOnlyPropertyWithoutANewNameIsRefused() throws {
        let cli = try StackFixtures.cli()
        let dir = try TemporaryDirectory("cfn-templates")
        try cli.deploy(StackFixtures.example("servicenow-connector-profile.yaml"), stack: "ops", ["Password=p"])
        let text = try String(contentsOfFile: StackFixtures.example("servicenow-connector-profile.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "ConnectionMode: Public", with: "ConnectionMode: Public\n      ConnectorLabel: relabelled")
        let result = try cli.run(["deploy", "--template-file", try dir.write("t.yaml", text).path, "--stack-name", "ops",
                                  "--parameter-overrides", "Password=p"])
        #expect(result.status == 254)
        #expect(result.stderr.contains("Resource ServiceNowConnectorProfile (AWS::AppFlow::ConnectorProfile), property ConnectorLabel"))
        #expect(try cli.profileNames() == ["ops-servicenow"])
    }

    @Test func aNameTakenOutsideTheStackIsRefusedBeforeAnyChange() throws {
        let cli = try StackFixtures.cli()
        let dir = try TemporaryDirectory("cfn-templates")
        try cli.json(["create-flow", "--flow-name", "taken-customers", "--trigger-config", #"{"triggerType": "OnDemand"}"#,
                      "--source-flow-config", #"{"connectorType": "S3", "sourceConnectorProperties": {"S3": {"bucketName": "lake", "bucketPrefix": "y"}}}"#,
                      "--destination-flow-config-list", #"[{"connectorType": "S3", "destinationConnectorProperties": {"S3": {"bucketName": "lake"}}}]"#,
                      "--tasks", #"[{"sourceFields": [], "connectorOperator": {"S3": "NO_OP"}, "taskType": "Map_all", "taskProperties": {}}]"#])
        let result = try cli.run(["deploy", "--template-file", try dir.write("t.yaml", Self.twoFlowsYAML()).path, "--stack-name", "taken"])
        #expect(result.status == 254)
        #expect(result.stderr.contains("Resource CustomersFlow (AWS::AppFlow::Flow), property FlowName: taken-customers already exists"))
        #expect(try cli.flowNames() == ["taken-customers"])
    }

    @Test func aFlowNamingAProfileGoesAfterItWithoutARef() throws {
        let cli = try StackFixtures.cli()
        let dir = try TemporaryDirectory("cfn-templates")
        // The flow comes first in the template and names the profile by its literal name.
        let template = """
            Resources:
              Incidents:
                Type: AWS::AppFlow::Flow
                Properties:
                  FlowName: incidents
                  TriggerConfig: {TriggerType: OnDemand}
                  SourceFlowConfig:
                    ConnectorType: Servicenow
                    ConnectorProfileName: ops-connection
                    SourceConnectorProperties: {ServiceNow: {Object: incident}}
                  DestinationFlowConfigList:
                    - ConnectorType: S3
                      DestinationConnectorProperties: {S3: {BucketName: lake}}
                  Tasks:
                    - {TaskType: Map_all, SourceFields: [], ConnectorOperator: {ServiceNow: NO_OP}}
              Connection:
                Type: AWS::AppFlow::ConnectorProfile
                Properties:
                  ConnectorProfileName: ops-connection
                  ConnectorType: Servicenow
                  ConnectionMode: Public
                  ConnectorProfileConfig:
                    ConnectorProfileProperties: {ServiceNow: {InstanceUrl: 'https://example.service-now.com'}}
                    ConnectorProfileCredentials: {ServiceNow: {Username: u, Password: p}}
            """
        let out = try cli.deploy(try dir.write("t.yaml", template).path, stack: "ops")
        let profileLine = try #require(out.range(of: "CREATE_COMPLETE AWS::AppFlow::ConnectorProfile Connection"))
        let flowLine = try #require(out.range(of: "CREATE_COMPLETE AWS::AppFlow::Flow Incidents"))
        #expect(profileLine.lowerBound < flowLine.lowerBound)
        #expect(try cli.describeFlow("incidents")["sourceFlowConfig"] != nil)
    }

    @Test func flowStatusAndTagsChangeThroughStopFlowAndTagCalls() throws {
        let cli = try StackFixtures.cli()
        let dir = try TemporaryDirectory("cfn-templates")
        let example = StackFixtures.example("salesforce-to-s3-flow.yaml")
        try cli.deploy(example, stack: "sales", StackFixtures.salesforceSecrets)
        #expect(try cli.describeFlow("sales-accounts")["flowStatus"] as? String == "Active")
        let suspended = try String(contentsOfFile: example, encoding: .utf8)
            .replacingOccurrences(of: "FlowStatus: Active", with: "FlowStatus: Suspended")
            .replacingOccurrences(of: "        - Key: owner\n          Value: data-platform\n", with: "")
        #expect(!suspended.contains("data-platform"))
        let out = try cli.deploy(try dir.write("t.yaml", suspended).path, stack: "sales",
                                 StackFixtures.salesforceSecrets + ["Environment=prod"])
        #expect(out.contains("UPDATE_COMPLETE AWS::AppFlow::Flow AccountsFlow"))
        #expect(out.contains("NO_CHANGE AWS::AppFlow::ConnectorProfile SalesforceConnection"))
        let flow = try cli.describeFlow("sales-accounts")
        #expect(flow["flowStatus"] as? String == "Suspended")
        #expect(flow["tags"] as? [String: String] == ["environment": "prod"])
        #expect(flow["description"] as? String == "Salesforce accounts to the data lake")
    }
}
