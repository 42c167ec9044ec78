import Foundation
import Testing
import FlowlineTestSupport

/// Drives `flowline` as a user would for Redshift flows: a `Redshift` connector profile made
/// with `create-connector-profile`, flows from the local S3 source, runs through `start-flow`.
struct RedshiftHarness {
    let cli: FlowlineCLI
    static let profile = "warehouse"

    /// `user` and `password` default to the test database's; `checked` false stores the profile
    /// without its connection check (a profile meant to fail later, at run time).
    init(environment: [String: String] = [:], user: String? = nil, password: String? = nil, checked: Bool = true) throws {
        cli = try FlowlineCLI(environment: environment)
        let r = try createProfile(user: user, password: password, checked: checked)
        #expect(r.status == 0, "\(r.stderr)")
    }

    /// `create-connector-profile` for a profile of the test database (`warehouse` unless named).
    func createProfile(name: String = RedshiftHarness.profile, user: String? = nil, password: String? = nil,
                       checked: Bool = true) throws -> ProcessResult {
        let parts = try TestDatabase.profileParts()
        let config = """
            {"connectorProfileProperties": {"Redshift": {"databaseUrl": "\(parts.jdbcURL)", "bucketName": "stage",
               "roleArn": "arn:aws:iam::123456789012:role/flowline-redshift"}},
             "connectorProfileCredentials": {"Redshift": {"username": "\(user ?? parts.user)", "password": "\(password ?? parts.password)"}}}
            """
        return try cli.run(["create-connector-profile", "--connector-profile-name", name, "--connector-type", "Redshift",
                            "--connection-mode", "Public", "--connector-profile-config", config],
                           adding: checked ? [:] : FlowlineCLI.skipConnectionCheck)
    }

    static let mapAll = #"[{"sourceFields": [], "connectorOperator": {"S3": "NO_OP"}, "taskType": "Map_all", "taskProperties": {}}]"#

    /// A flow from `s3://bucket/prefix` (CSV) into `table`.
    func createFlow(_ name: String, bucket: String, prefix: String = "", table: String, tasks: String = RedshiftHarness.mapAll,
                    errorHandling: String? = nil, tags: [String: String] = [:],
                    trigger: String = #"{"triggerType": "OnDemand"}"#, incrementalField: String? = nil) throws {
        let incremental = incrementalField.map { #", "incrementalPullConfig": {"datetimeTypeFieldName": "\#($0)"}"# } ?? ""
        let source = #"{"connectorType": "S3", "sourceConnectorProperties": {"S3": {"bucketName": "\#(bucket)", "bucketPrefix": "\#(prefix)"}}\#(incremental)}"#
        let handling = errorHandling.map { #", "errorHandlingConfig": \#($0)"# } ?? ""
        let destination = #"[{"connectorType": "Redshift", "connectorProfileName": "\#(Self.profile)", "destinationConnectorProperties": {"Redshift": {"object": "\#(table)", "intermediateBucketName": "stage"\#(handling)}}}]"#
        var arguments = ["create-flow", "--flow-name", name, "--trigger-config", trigger, "--source-flow-config", source,
                         "--destination-flow-config-list", destination, "--tasks", tasks]
        if !tags.isEmpty {
            let json = try JSONSerialization.data(withJSONObject: tags)
            arguments += ["--tags", String(decoding: json, as: UTF8.self)]
        }
        let r = try cli.run(arguments)
        #expect(r.status == 0, "\(r.stderr)")
    }

    /// `start-flow`; the execution id (empty when the run failed before reporting one) and the result.
    func start(_ name: String) throws -> (executionId: String, result: ProcessResult) {
        let r = try cli.run("start-flow", "--flow-name", name)
        let json = (try? JSONSerialization.jsonObject(with: Data(r.stdout.utf8))) as? [String: Any]
        return ((json?["executionId"] as? String) ?? "", r)
    }

    func executions(_ name: String) throws -> [[String: Any]] {
        try cli.json(["describe-flow-execution-records", "--flow-name", name])["flowExecutions"] as? [[String: Any]] ?? []
    }

    /// The newest execution's status and message.
    func lastRun(_ name: String) throws -> (status: String, message: String, records: Int) {
        let e = try executions(name).first ?? [:]
        let result = e["executionResult"] as? [String: Any]
        let message = (result?["errorInfo"] as? [String: Any])?["executionMessage"] as? String ?? ""
        return (e["executionStatus"] as? String ?? "", message, result?["recordsProcessed"] as? Int ?? -1)
    }
}
