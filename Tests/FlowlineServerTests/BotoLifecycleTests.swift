import Foundation
import Testing
import FlowlineTestSupport

/// boto3 against a running `flowline serve`: the whole lifecycle and the documented exceptions.
@Suite(.serialized) struct BotoLifecycleTests {
    @Test func profilesFlowsTagsRunsAndDeleteThroughBoto3() throws {
        // The profile names a made-up host: stored without trying it.
        let server = try ServerProcess(environment: FlowlineCLI.skipConnectionCheck)
        try server.cli.putObject(bucket: "data", key: "in/accounts.csv", Fixtures.accounts)
        let result = try server.python("""
            out = {}
            client.create_connector_profile(connectorProfileName="sf", connectorType="Salesforce", connectionMode="Public",
                connectorProfileConfig={"connectorProfileProperties": {"Salesforce": {"instanceUrl": "https://example.my.salesforce.com"}},
                                        "connectorProfileCredentials": {"Salesforce": {"accessToken": "secret-token"}}})
            profiles = client.describe_connector_profiles(connectorType="Salesforce")["connectorProfileDetails"]
            out["profiles"] = [p["connectorProfileName"] for p in profiles]
            out["leaked"] = "secret-token" in json.dumps(profiles, default=str)
            created = client.create_flow(**\(Fixtures.csvFlow("accounts")), tags={"team": "crm"})
            arn = created["flowArn"]
            client.tag_resource(resourceArn=arn, tags={"env": "test"})
            client.untag_resource(resourceArn=arn, tagKeys=["team"])
            out["tags"] = client.list_tags_for_resource(resourceArn=arn)["tags"]
            started = client.start_flow(flowName="accounts")
            record = wait_for("accounts", started["executionId"])
            out["status"] = record["executionStatus"]
            out["records"] = record["executionResult"]["recordsProcessed"]
            out["executionId"] = started["executionId"]
            described = client.describe_flow(flowName="accounts")
            out["createdAtIsDatetime"] = hasattr(described["createdAt"], "year")
            out["flows"] = [f["flowName"] for f in client.list_flows()["flows"]]
            client.delete_flow(flowName="accounts")
            client.delete_connector_profile(connectorProfileName="sf")
            out["after"] = [f["flowName"] for f in client.list_flows()["flows"]]
            print(json.dumps(out))
            """) as! [String: Any]
        #expect(result["profiles"] as? [String] == ["sf"])
        #expect(result["leaked"] as? Bool == false)
        #expect(result["tags"] as? [String: String] == ["env": "test"])
        #expect(result["status"] as? String == "Successful")
        #expect(result["records"] as? Int == 3)
        #expect(result["createdAtIsDatetime"] as? Bool == true)
        #expect(result["flows"] as? [String] == ["accounts"])
        #expect(result["after"] as? [String] == [])
        // The output file, read back by Python's csv module.
        let executionId = try #require(result["executionId"] as? String)
        let keys = server.cli.objectKeys(bucket: "data").filter { $0.hasPrefix("out/accounts/\(executionId)/") }
        #expect(keys.count == 1)
        let rows = try Python.json("""
            import csv, json, sys
            print(json.dumps(list(csv.DictReader(open(sys.argv[1], newline="")))))
            """, [server.cli.s3Root.appendingPathComponent("data/\(keys[0])").path]) as? [[String: String]]
        #expect(rows?.map { $0["name"] } == ["Ada", "Grace", "Linus"])
        #expect(!server.log.contains(ServerProcess.secretAccessKey))
    }

    @Test func documentedExceptionsReachBoto3AsTheirClasses() throws {
        let server = try ServerProcess()
        let result = try server.python("""
            out = {}
            client.create_flow(**\(Fixtures.csvFlow("dup")))
            def name_of(call):
                try:
                    call()
                    return "no error"
                except client.exceptions.ConflictException as e:
                    return "ConflictException:%d" % e.response["ResponseMetadata"]["HTTPStatusCode"]
                except client.exceptions.ResourceNotFoundException as e:
                    return "ResourceNotFoundException:%d" % e.response["ResponseMetadata"]["HTTPStatusCode"]
                except client.exceptions.ValidationException as e:
                    return "ValidationException:%d" % e.response["ResponseMetadata"]["HTTPStatusCode"]
                except client.exceptions.UnsupportedOperationException as e:
                    return "UnsupportedOperationException:%d" % e.response["ResponseMetadata"]["HTTPStatusCode"]
            out["duplicate"] = name_of(lambda: client.create_flow(**\(Fixtures.csvFlow("dup"))))
            out["missing"] = name_of(lambda: client.describe_flow(flowName="nope"))
            out["missingTags"] = name_of(lambda: client.list_tags_for_resource(resourceArn="arn:aws:appflow:us-east-1:123456789012:flow/nope"))
            out["badName"] = name_of(lambda: client.create_flow(**dict(\(Fixtures.csvFlow("x")), flowName="-bad name")))
            out["stopOnDemand"] = name_of(lambda: client.stop_flow(flowName="dup"))
            print(json.dumps(out))
            """) as! [String: String]
        #expect(result["duplicate"] == "ConflictException:409")
        #expect(result["missing"] == "ResourceNotFoundException:404")
        #expect(result["missingTags"] == "ResourceNotFoundException:404")
        #expect(result["badName"] == "ValidationException:400")
        #expect(result["stopOnDemand"] == "UnsupportedOperationException:400")
    }

    @Test func scheduledFlowsStartAndStop() throws {
        let server = try ServerProcess()
        let result = try server.python("""
            trigger = {"triggerType": "Scheduled", "triggerProperties": {"Scheduled": {"scheduleExpression": "cron(0 3 * * ? *)"}}}
            created = client.create_flow(**dict(\(Fixtures.csvFlow("nightly")), triggerConfig=trigger))
            started = client.start_flow(flowName="nightly")
            stopped = client.stop_flow(flowName="nightly")
            again = client.start_flow(flowName="nightly")
            print(json.dumps([created["flowStatus"], started["flowStatus"], stopped["flowStatus"], again["flowStatus"],
                              client.describe_flow(flowName="nightly")["flowStatus"]]))
            """) as! [String]
        #expect(result == ["Draft", "Active", "Suspended", "Active", "Active"])
    }
}
