import Foundation
import Testing
import FlowlineTestSupport

/// Profiles, flows and read-back shared by the SaaS connector tests, all through the CLI.
struct SaaSFlows {
    let cli: FlowlineCLI

    /// Creates a profile; `checked` false stores it without the connection check (for tests of
    /// what a profile that cannot connect does later).
    func createProfile(_ name: String, type: String, key: String, properties: String, credentials: String, checked: Bool = true) throws {
        let r = try tryCreateProfile(name, type: type, key: key, properties: properties, credentials: credentials, checked: checked)
        #expect(r.status == 0, "\(r.stderr)")
    }

    func tryCreateProfile(_ name: String, type: String, key: String, properties: String, credentials: String,
                          checked: Bool = true) throws -> ProcessResult {
        let config = #"{"connectorProfileProperties": {"\#(key)": \#(properties)}, "connectorProfileCredentials": {"\#(key)": \#(credentials)}}"#
        return try cli.run(["create-connector-profile", "--connector-profile-name", name, "--connector-type", type,
                            "--connection-mode", "Public", "--connector-profile-config", config],
                           adding: checked ? [:] : FlowlineCLI.skipConnectionCheck)
    }

    func createSalesforceProfile(_ name: String, sandbox: SandboxProcess, accessToken: String = "sandbox-access-token",
                                 refreshToken: String = "sandbox-refresh-token", checked: Bool = true) throws {
        try createProfile(name, type: "Salesforce", key: "Salesforce",
                          properties: #"{"instanceUrl": "\#(sandbox.url)", "isSandboxEnvironment": true}"#,
                          credentials: #"{"accessToken": "\#(accessToken)", "refreshToken": "\#(refreshToken)"}"#, checked: checked)
    }

    func createFlow(_ name: String, type: String, profile: String, properties: String, fileType: String = "CSV",
                    tasks: String? = nil, trigger: String = #"{"triggerType": "OnDemand"}"#, incrementalField: String? = nil) throws {
        let r = try tryCreateFlow(name, type: type, profile: profile, properties: properties, fileType: fileType, tasks: tasks,
                                  trigger: trigger, incrementalField: incrementalField)
        #expect(r.status == 0, "\(r.stderr)")
    }

    func tryCreateFlow(_ name: String, type: String, profile: String, properties: String, fileType: String = "CSV",
                       tasks: String? = nil, trigger: String = #"{"triggerType": "OnDemand"}"#, incrementalField: String? = nil) throws -> ProcessResult {
        let incremental = incrementalField.map { #", "incrementalPullConfig": {"datetimeTypeFieldName": "\#($0)"}"# } ?? ""
        let source = #"{"connectorType": "\#(type)", "connectorProfileName": "\#(profile)", "sourceConnectorProperties": \#(properties)\#(incremental)}"#
        let destination = #"[{"connectorType": "S3", "destinationConnectorProperties": {"S3": {"bucketName": "out", "bucketPrefix": "saas", "s3OutputFormatConfig": {"fileType": "\#(fileType)"}}}}]"#
        let operatorKey = type == "Servicenow" ? "ServiceNow" : type
        let mapAll = #"[{"sourceFields": [], "connectorOperator": {"\#(operatorKey)": "NO_OP"}, "taskType": "Map_all", "taskProperties": {}}]"#
        return try cli.run(["create-flow", "--flow-name", name, "--trigger-config", trigger, "--source-flow-config", source,
                            "--destination-flow-config-list", destination, "--tasks", tasks ?? mapAll])
    }

    /// The latest execution record of a flow.
    func lastExecution(_ flow: String) throws -> [String: Any] {
        let list = try cli.json(["describe-flow-execution-records", "--flow-name", flow])["flowExecutions"] as? [[String: Any]] ?? []
        return list.first ?? [:]
    }

    /// The whole second in which the latest run's incremental window ended (`YYYY-MM-DDThh:mm:ssZ`).
    func windowEndSecond(_ flow: String) throws -> String {
        let end = try lastExecution(flow)["dataPullEndTime"] as? String ?? ""
        #expect(end.count >= 19, "no dataPullEndTime in the execution record")
        return String(end.prefix(19)) + "Z"
    }

    /// Output files of one execution.
    func files(_ flow: String, executionId: String) -> [String] {
        cli.objectKeys(bucket: "out").filter { $0.contains("/\(executionId)/") }
            .map { cli.s3Root.appendingPathComponent("out").appendingPathComponent($0).path }
    }

    /// Every record of the CSV files, read by Python's csv module: a list of dicts.
    func csvRecords(_ paths: [String]) throws -> [[String: String]] {
        let script = """
            import csv, json, sys
            rows = []
            for p in sys.argv[1:]:
                with open(p, newline='', encoding='utf-8') as f:
                    rows.extend(csv.DictReader(f))
            print(json.dumps(rows))
            """
        return try Python.json(script, paths) as? [[String: String]] ?? []
    }

    /// Every record of JSON-lines files, read by Python's json module.
    func jsonRecords(_ paths: [String]) throws -> [[String: Any]] {
        let script = """
            import json, sys
            rows = []
            for p in sys.argv[1:]:
                with open(p, encoding='utf-8') as f:
                    rows.extend(json.loads(line) for line in f if line.strip())
            print(json.dumps(rows))
            """
        return try Python.json(script, paths) as? [[String: Any]] ?? []
    }

    /// Runs a flow in the foreground and returns its execution id and the process result.
    func start(_ flow: String, command: String = "start-flow") throws -> (id: String, result: ProcessResult) {
        let r = try cli.run(command, "--flow-name", flow)
        let json = (try? JSONSerialization.jsonObject(with: Data(r.stdout.utf8))) as? [String: Any]
        var id = json?["executionId"] as? String
        if id == nil { id = try lastExecution(flow)["executionId"] as? String }
        return (id ?? "", r)
    }
}
