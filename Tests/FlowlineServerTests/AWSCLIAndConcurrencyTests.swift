import Foundation
import Testing
import FlowlineTestSupport

/// The AWS CLI v1 (`aws appflow … --endpoint-url`) with the documentation's commands, `flowline
/// --endpoint-url`, and many clients at once.
@Suite(.serialized) struct AWSCLIAndConcurrencyTests {
    @Test func documentationCommandsRunUnchangedWithEndpointURL() throws {
        // The documentation's profile names a made-up host: stored without trying it.
        let server = try ServerProcess(environment: FlowlineCLI.skipConnectionCheck)
        try server.cli.putObject(bucket: "data", key: "in/accounts.csv", Fixtures.accounts)
        let files = try TemporaryDirectory("aws-cli")
        let profileConfig = try files.write("profile.json", """
            {"connectorProfileProperties": {"Salesforce": {"instanceUrl": "https://example.my.salesforce.com", "isSandboxEnvironment": false}},
             "connectorProfileCredentials": {"Salesforce": {"accessToken": "00DEXAMPLEaccessToken", "refreshToken": "5AepEXAMPLErefresh"}}}
            """)
        let flow = try files.write("flow.json", """
            {"flowName": "accounts-docs", "description": "S3 to S3 as in the user guide",
             "triggerConfig": {"triggerType": "OnDemand"},
             "sourceFlowConfig": {"connectorType": "S3", "sourceConnectorProperties": {"S3": {"bucketName": "data", "bucketPrefix": "in"}}},
             "destinationFlowConfigList": [{"connectorType": "S3", "destinationConnectorProperties": {"S3": {"bucketName": "data", "bucketPrefix": "out",
                 "s3OutputFormatConfig": {"fileType": "JSON"}}}}],
             "tasks": [{"sourceFields": [], "connectorOperator": {"S3": "NO_OP"}, "taskType": "Map_all", "taskProperties": {}}]}
            """)
        func aws(_ args: String...) throws -> [String: Any] {
            let result = try server.aws(args)
            guard result.status == 0 else { throw ServerTestFailure(description: "aws appflow \(args[0]) failed: \(result.stderr)\n\(server.log)") }
            let text = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            return text.isEmpty ? [:] : try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] ?? [:]
        }
        let profile = try aws("create-connector-profile", "--connector-profile-name", "MySalesforceConnection",
                              "--connector-type", "Salesforce", "--connection-mode", "Public",
                              "--connector-profile-config", "file://\(profileConfig.path)")
        #expect((profile["connectorProfileArn"] as? String)?.hasSuffix("connectorprofile/MySalesforceConnection") == true)
        let created = try aws("create-flow", "--cli-input-json", "file://\(flow.path)")
        #expect(created["flowStatus"] as? String == "Active")
        let started = try aws("start-flow", "--flow-name", "accounts-docs")
        let executionId = try #require(started["executionId"] as? String)
        var status = "InProgress"
        for _ in 0..<300 where status == "InProgress" {
            let records = try aws("describe-flow-execution-records", "--flow-name", "accounts-docs")
            let mine = (records["flowExecutions"] as? [[String: Any]])?.first { $0["executionId"] as? String == executionId }
            status = mine?["executionStatus"] as? String ?? "InProgress"
            if status == "InProgress" { usleep(200_000) }
        }
        #expect(status == "Successful")
        let described = try aws("describe-flow", "--flow-name", "accounts-docs")
        #expect(described["flowName"] as? String == "accounts-docs")
        #expect((described["lastRunExecutionDetails"] as? [String: Any])?["mostRecentExecutionStatus"] as? String == "Successful")
        // Tags travel in the URI (the ARN percent-encoded) and the query string.
        let arn = try #require(created["flowArn"] as? String)
        _ = try aws("tag-resource", "--resource-arn", arn, "--tags", "team=crm,env=test")
        _ = try aws("untag-resource", "--resource-arn", arn, "--tag-keys", "env")
        #expect(try aws("list-tags-for-resource", "--resource-arn", arn)["tags"] as? [String: String] == ["team": "crm"])
        // A missing flow: the CLI names the exception and exits 254.
        let missing = try server.aws(["describe-flow", "--flow-name", "nope"])
        #expect(missing.status == 255)   // the AWS CLI v1 exits 255 on a service error
        #expect(missing.stderr.contains("(ResourceNotFoundException)"))

        // flowline itself as a client of the server, signed with the same keys.
        let remote = try server.cli.run(["describe-flow", "--flow-name", "accounts-docs", "--endpoint-url", server.endpoint])
        #expect(remote.status == 0)
        #expect(remote.stdout.contains("\"flowName\": \"accounts-docs\""))
        #expect(remote.stdout.contains("\"createdAt\": \"20"))   // ISO 8601, as the CLI prints timestamps
        let remoteMissing = try server.cli.run(["describe-flow", "--flow-name", "nope", "--endpoint-url", server.endpoint])
        #expect(remoteMissing.status == 254)
        #expect(remoteMissing.stderr.contains("(ResourceNotFoundException)"))
        let jsonLines = server.cli.objectKeys(bucket: "data").filter { $0.hasPrefix("out/accounts-docs/\(executionId)/") }
        #expect(jsonLines.count == 1)
    }

    @Test func manyClientsAtOnceLoseNothing() throws {
        let server = try ServerProcess(["--max-concurrent-runs", "4"])
        for i in 0..<20 {
            try server.cli.putObject(bucket: "bucket-\(i)", key: "in/accounts.csv", Fixtures.accounts)
        }
        let result = try server.python("""
            from concurrent.futures import ThreadPoolExecutor
            names = ["flow-%02d" % i for i in range(20)]
            for i, name in enumerate(names):
                client.create_flow(**dict(
                    flowName=name, triggerConfig={"triggerType": "OnDemand"},
                    sourceFlowConfig={"connectorType": "S3", "sourceConnectorProperties": {"S3": {"bucketName": "bucket-%d" % i, "bucketPrefix": "in"}}},
                    destinationFlowConfigList=[{"connectorType": "S3", "destinationConnectorProperties": {"S3": {"bucketName": "bucket-%d" % i, "bucketPrefix": "out",
                        "s3OutputFormatConfig": {"fileType": "CSV"}}}}],
                    tasks=[{"sourceFields": [], "connectorOperator": {"S3": "NO_OP"}, "taskType": "Map_all", "taskProperties": {}}]))
            with ThreadPoolExecutor(max_workers=20) as pool:
                started = list(pool.map(lambda n: client.start_flow(flowName=n)["executionId"], names))
            with ThreadPoolExecutor(max_workers=64) as pool:
                described = list(pool.map(lambda i: client.describe_flow(flowName=names[i % 20])["flowName"], range(1000)))
            finals = [wait_for(n, e)["executionStatus"] for n, e in zip(names, started)]
            counts = [len(client.describe_flow_execution_records(flowName=n)["flowExecutions"]) for n in names]
            print(json.dumps({"distinct": len(set(started)), "described": sum(1 for d, i in zip(described, range(1000)) if d == names[i % 20]),
                              "finals": sorted(set(finals)), "counts": sorted(set(counts))}))
            """) as! [String: Any]
        #expect(result["distinct"] as? Int == 20)
        #expect(result["described"] as? Int == 1000)
        #expect(result["finals"] as? [String] == ["Successful"])
        #expect(result["counts"] as? [Int] == [1])
    }

    @Test func sigtermLetsTheServerStopCleanly() throws {
        let server = try ServerProcess()
        #expect(server.stop() == 0)
        #expect(!server.log.contains("error"))
    }
}
