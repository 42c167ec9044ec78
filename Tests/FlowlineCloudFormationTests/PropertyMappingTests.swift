import Testing
import FlowlineAPI
@testable import FlowlineCloudFormation

/// One test per place where CloudFormation's AppFlow properties differ from the API's.
@Suite struct PropertyMappingTests {
    /// A valid flow's CloudFormation properties, with `extra` members merged in at the top.
    private func flow(_ extra: JSONValue.Members = [], trigger: JSONValue? = nil, source: JSONValue? = nil,
                      destination: JSONValue? = nil, tasks: JSONValue? = nil) -> JSONValue {
        var members: JSONValue.Members = [
            ("FlowName", .string("f1")),
            ("TriggerConfig", trigger ?? .object([("TriggerType", .string("OnDemand"))])),
            ("SourceFlowConfig", source ?? .object([
                ("ConnectorType", .string("S3")),
                ("SourceConnectorProperties", .object([("S3", .object([("BucketName", .string("lake")), ("BucketPrefix", .string("in"))]))])),
            ])),
            ("DestinationFlowConfigList", .array([destination ?? .object([
                ("ConnectorType", .string("S3")),
                ("DestinationConnectorProperties", .object([("S3", .object([("BucketName", .string("lake"))]))])),
            ])])),
            ("Tasks", tasks ?? .array([.object([
                ("TaskType", .string("Map_all")), ("SourceFields", .array([])),
                ("ConnectorOperator", .object([("S3", .string("NO_OP"))])),
            ])])),
        ]
        members += extra
        return .object(members)
    }

    private func requests(_ properties: JSONValue, kind: AppFlowResourceKind = .flow) throws -> AppFlowRequests {
        try kind.requests(properties, logicalId: "R")
    }

    @Test func namesLoseTheirFirstCapital() throws {
        let r = try requests(flow([("Description", .string("d"))]))
        #expect(r.create["flowName"] == .string("f1"))
        #expect(r.create["description"] == .string("d"))
        #expect(r.create["sourceFlowConfig"]?["sourceConnectorProperties"]?["S3"]?["bucketPrefix"] == .string("in"))
        #expect(r.create["destinationFlowConfigList"] != nil)
    }

    @Test func triggerPropertiesAreWrappedInScheduled() throws {
        let trigger = JSONValue.object([
            ("TriggerType", .string("Scheduled")),
            ("TriggerProperties", .object([
                ("ScheduleExpression", .string("rate(1hours)")), ("DataPullMode", .string("Complete")),
                ("ScheduleStartTime", .number(4_102_444_800)), ("ScheduleEndTime", .string("4102531200")),
                ("TimeZone", .string("Europe/Paris")), ("ScheduleOffset", .number(60)),
                ("FlowErrorDeactivationThreshold", .number(3)),
            ])),
        ])
        let r = try requests(flow(trigger: trigger))
        let scheduled = try #require(r.create["triggerConfig"]?["triggerProperties"]?["Scheduled"])
        #expect(scheduled["scheduleExpression"] == .string("rate(1hours)"))
        // Epoch seconds, whether written as a number or as a string.
        #expect(scheduled["scheduleStartTime"] == .number(4_102_444_800))
        #expect(scheduled["scheduleEndTime"] == .number(4_102_531_200))
        // TimeZone is `timezone` in the API.
        #expect(scheduled["timezone"] == .string("Europe/Paris"))
        #expect(scheduled["flowErrorDeactivationThreshold"] == .number(3))
        let decoded = try AppFlow.CreateFlowRequest(json: r.create, at: ShapePath())
        #expect(decoded.triggerConfig.triggerProperties?.Scheduled?.scheduleStartTime?.timeIntervalSince1970 == 4_102_444_800)
    }

    @Test func taskPropertiesListBecomesAMap() throws {
        let tasks = JSONValue.array([
            .object([("TaskType", .string("Filter")), ("SourceFields", .array([.string("Id"), .string("Amount")])),
                     ("ConnectorOperator", .object([("S3", .string("PROJECTION"))]))]),
            .object([("TaskType", .string("Map")), ("SourceFields", .array([.string("Amount")])), ("DestinationField", .string("Amount")),
                     ("ConnectorOperator", .object([("S3", .string("NO_OP"))])),
                     ("TaskProperties", .array([.object([("Key", .string("DESTINATION_DATA_TYPE")), ("Value", .string("decimal"))])]))]),
        ])
        let r = try requests(flow(tasks: tasks))
        guard case .array(let mapped)? = r.create["tasks"] else { Issue.record("no tasks"); return }
        #expect(mapped[1]["taskProperties"] == .object([("DESTINATION_DATA_TYPE", .string("decimal"))]))
        #expect(mapped[1]["destinationField"] == .string("Amount"))
        #expect(mapped[0]["connectorOperator"] == .object([("S3", .string("PROJECTION"))]))
    }

    @Test func tagsListBecomesAMapAndStaysOutOfTheUpdate() throws {
        let r = try requests(flow([("Tags", .array([
            .object([("Key", .string("team")), ("Value", .string("data"))]),
            .object([("Key", .string("env")), ("Value", .string("dev"))]),
        ]))]))
        #expect(r.tags == ["team": "data", "env": "dev"])
        #expect(r.create["tags"] == .object([("env", .string("dev")), ("team", .string("data"))]))
        #expect(r.update["tags"] == nil)
    }

    @Test func kmsArnIsKmsArnAndCreateOnly() throws {
        let r = try requests(flow([("KMSArn", .string("arn:aws:kms:us-east-1:123456789012:key/abc"))]))
        #expect(r.create["kmsArn"] == .string("arn:aws:kms:us-east-1:123456789012:key/abc"))
        #expect(r.update["kmsArn"] == nil)
        #expect(AppFlowResourceKind.flow.createOnly.contains("KMSArn"))
    }

    @Test func flowStatusIsNotARequestMember() throws {
        let r = try requests(flow([("FlowStatus", .string("Suspended"))]))
        #expect(r.flowStatus == "Suspended")
        #expect(r.create["flowStatus"] == nil)
        #expect(throws: StackError.self) { try requests(flow([("FlowStatus", .string("Paused"))])) }
    }

    @Test func connectorOAuthRequestIsOAuthRequestAndConnectorKeysKeepTheirSpelling() throws {
        let profile = JSONValue.object([
            ("ConnectorProfileName", .string("sf")), ("ConnectorType", .string("Salesforce")), ("ConnectionMode", .string("Public")),
            ("ConnectorProfileConfig", .object([
                ("ConnectorProfileProperties", .object([("Salesforce", .object([
                    ("InstanceUrl", .string("https://x.my.salesforce.com")), ("isSandboxEnvironment", .string("true")),
                ]))])),
                ("ConnectorProfileCredentials", .object([("Salesforce", .object([
                    ("AccessToken", .string("t")),
                    ("ConnectorOAuthRequest", .object([("AuthCode", .string("c")), ("RedirectUri", .string("https://r"))])),
                ]))])),
            ])),
        ])
        let r = try requests(profile, kind: .connectorProfile)
        let credentials = try #require(r.create["connectorProfileConfig"]?["connectorProfileCredentials"]?["Salesforce"])
        #expect(credentials["oAuthRequest"] == .object([("authCode", .string("c")), ("redirectUri", .string("https://r"))]))
        // "true" from a parameter becomes the boolean the API wants.
        #expect(r.create["connectorProfileConfig"]?["connectorProfileProperties"]?["Salesforce"]?["isSandboxEnvironment"] == .bool(true))
        #expect(r.update["connectorType"] == nil)
        #expect(r.update["connectionMode"] == .string("Public"))
    }

    @Test func serviceNowAndSAPODataKeysKeepTheirSpelling() throws {
        let source = JSONValue.object([
            ("ConnectorType", .string("SAPOData")), ("ConnectorProfileName", .string("sap")),
            ("SourceConnectorProperties", .object([("SAPOData", .object([("ObjectPath", .string("/sap/opu/x"))]))])),
        ])
        let r = try requests(flow(source: source, tasks: .array([.object([
            ("TaskType", .string("Map_all")), ("SourceFields", .array([])), ("ConnectorOperator", .object([("SAPOData", .string("NO_OP"))])),
        ])])))
        #expect(r.create["sourceFlowConfig"]?["sourceConnectorProperties"]?["SAPOData"]?["objectPath"] == .string("/sap/opu/x"))
        #expect(PropertyMapping.apiName("ServiceNow", parent: "ConnectorProfileProperties") == "ServiceNow")
        #expect(PropertyMapping.apiName("InstanceUrl", parent: "ServiceNow") == "instanceUrl")
    }

    @Test func failOnFirstErrorIsFailOnFirstDestinationError() throws {
        let destination = JSONValue.object([
            ("ConnectorType", .string("Salesforce")), ("ConnectorProfileName", .string("sf")),
            ("DestinationConnectorProperties", .object([("Salesforce", .object([
                ("Object", .string("Account")),
                ("ErrorHandlingConfig", .object([("FailOnFirstError", .bool(true)), ("BucketName", .string("errors"))])),
            ]))])),
        ])
        let r = try requests(flow(destination: destination))
        guard case .array(let list)? = r.create["destinationFlowConfigList"] else { Issue.record("no destinations"); return }
        #expect(list[0]["destinationConnectorProperties"]?["Salesforce"]?["errorHandlingConfig"]
                == .object([("failOnFirstDestinationError", .bool(true)), ("bucketName", .string("errors"))]))
    }

    @Test func customConnectorMapsAndDataTransferApiKeepTheirKeys() throws {
        let source = JSONValue.object([
            ("ConnectorType", .string("CustomConnector")), ("ConnectorProfileName", .string("c")),
            ("SourceConnectorProperties", .object([("CustomConnector", .object([
                ("EntityName", .string("orders")),
                ("CustomProperties", .object([("pageSize", .number(100)), ("Region", .string("eu"))])),
                ("DataTransferApi", .object([("Name", .string("bulk")), ("Type", .string("ASYNC"))])),
            ]))])),
        ])
        let mapped = try PropertyMapping.object(source, parent: "SourceFlowConfig", path: "SourceFlowConfig")
        let custom = try #require(mapped["sourceConnectorProperties"]?["CustomConnector"])
        #expect(custom["customProperties"] == .object([("pageSize", .string("100")), ("Region", .string("eu"))]))
        #expect(custom["dataTransferApi"] == .object([("Name", .string("bulk")), ("Type", .string("ASYNC"))]))
    }

    @Test func readOnlyAndUnknownPropertiesAreRefusedByName() {
        #expect { try requests(flow([("FlowArn", .string("arn:x"))])) } throws: { error in
            (error as? StackError)?.message.contains("Resource R (AWS::AppFlow::Flow), property FlowArn: is a read-only attribute") == true
        }
        #expect { try requests(flow([("Schedule", .string("x"))])) } throws: { error in
            (error as? StackError)?.message.contains("property Schedule: is not a property of AWS::AppFlow::Flow") == true
        }
    }

    @Test func apiModelErrorsAreCaughtBeforeAnyCall() {
        let trigger = JSONValue.object([("TriggerType", .string("Hourly"))])
        #expect { try requests(flow(trigger: trigger)) } throws: { error in
            let message = (error as? StackError)?.message ?? ""
            return message.contains("Resource R (AWS::AppFlow::Flow)") && message.contains("Hourly") && message.contains("triggerType")
        }
        #expect { try requests(flow([("Description", .number(5)), ("Tags", .string("x"))])) } throws: { error in
            (error as? StackError)?.message.contains("property Tags: expected a list of {Key, Value}") == true
        }
    }
}
