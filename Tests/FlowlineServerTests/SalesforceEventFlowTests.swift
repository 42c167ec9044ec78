import Foundation
import Testing
import FlowlineTestSupport

/// An event flow whose source is Salesforce (the emulator): the run carries the records of the
/// change event, typed and shaped by the object's own fields as Salesforce describes them.
@Suite(.serialized) struct SalesforceEventFlowTests {
    @Test func changeEventRecordsHaveTheObjectsFields() throws {
        let sandbox = try SandboxServer()
        let server = try ServerProcess()
        let result = try server.python(Fixtures.changeEventHelpers + """
            client.create_connector_profile(connectorProfileName="crm", connectorType="Salesforce", connectionMode="Public",
                connectorProfileConfig={"connectorProfileProperties": {"Salesforce": {"instanceUrl": "\(sandbox.url)", "isSandboxEnvironment": True}},
                                        "connectorProfileCredentials": {"Salesforce": {"accessToken": "sandbox-access-token", "refreshToken": "sandbox-refresh-token"}}})
            client.create_flow(flowName="accounts-on-change", triggerConfig={"triggerType": "Event"},
                sourceFlowConfig={"connectorType": "Salesforce", "connectorProfileName": "crm",
                                  "sourceConnectorProperties": {"Salesforce": {"object": "Account"}}},
                destinationFlowConfigList=[{"connectorType": "S3", "destinationConnectorProperties": {"S3": {"bucketName": "data", "bucketPrefix": "out",
                    "s3OutputFormatConfig": {"fileType": "CSV"}}}}],
                tasks=[{"sourceFields": [], "connectorOperator": {"Salesforce": "NO_OP"}, "taskType": "Map_all", "taskProperties": {}}])
            client.start_flow(flowName="accounts-on-change")
            status, body = post_events("accounts-on-change", [change(["001EVT000000001"], Name="Changed Co", NumberOfEmployees=42)])
            record = wait_for("accounts-on-change", body["executionId"])
            print(json.dumps({"status": status, "executionId": body["executionId"], "run": record["executionStatus"],
                              "message": record["executionResult"]["errorInfo"].get("executionMessage"),
                              "records": record["executionResult"]["recordsProcessed"]}))
            """) as! [String: Any]
        #expect(result["status"] as? Int == 202)
        #expect(result["run"] as? String == "Successful", "\(result)")
        #expect(result["records"] as? Int == 1)
        let executionId = try #require(result["executionId"] as? String)
        let output = server.cli.s3Root.appendingPathComponent("data/out/accounts-on-change/\(executionId)/part-00000.csv")
        let text = try Python.run("""
            import csv, json, sys
            rows = list(csv.reader(open(sys.argv[1], newline="")))
            print(json.dumps({"header": rows[0], "rows": [dict(zip(rows[0], r)) for r in rows[1:]]}))
            """, [output.path])
        let read = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        // Every field of Account as the emulator describes it, not only those the event carried.
        #expect(read["header"] as? [String] == ["Id", "Name", "Industry", "AnnualRevenue", "NumberOfEmployees", "Description",
                                               "IsDeleted", "CreatedDate", "LastModifiedDate", "SystemModstamp"])
        let rows = try #require(read["rows"] as? [[String: String]])
        #expect(rows.count == 1)
        #expect(rows.first?["Id"] == "001EVT000000001")
        #expect(rows.first?["Name"] == "Changed Co")
        #expect(rows.first?["NumberOfEmployees"] == "42")
        #expect(rows.first?["Industry"] == "")
    }
}

/// `flowline-sandbox` (the SaaS emulator) on a free loopback port, killed when released.
final class SandboxServer: @unchecked Sendable {
    // @unchecked: immutable after init.
    let process: Process
    let directory: TemporaryDirectory
    let url: String

    init() throws {
        directory = try TemporaryDirectory("sandbox")
        let stdoutFile = directory.file("out")
        FileManager.default.createFile(atPath: stdoutFile.path, contents: nil)
        process = Process()
        process.executableURL = URL(fileURLWithPath: FlowlineCLI.binary).deletingLastPathComponent().appendingPathComponent("flowline-sandbox")
        process.arguments = ["--port", "0", "--records", "5"]
        process.standardOutput = try FileHandle(forWritingTo: stdoutFile)
        process.standardError = FileHandle.nullDevice
        try process.run()
        var line: Substring?
        for _ in 0..<600 where line == nil && process.isRunning {
            usleep(50_000)
            let text = (try? String(contentsOf: stdoutFile, encoding: .utf8)) ?? ""
            line = text.split(separator: "\n").first { $0.hasPrefix("flowline-sandbox listening on ") }
        }
        guard let line else {
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            throw ServerTestFailure(description: "flowline-sandbox did not start")
        }
        url = String(line.dropFirst("flowline-sandbox listening on ".count))
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }
}
