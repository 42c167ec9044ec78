import Foundation
import Testing
import FlowlineTestSupport
@testable import FlowlinePostgres

/// A Redshift profile's connection is described by the profile alone: no password inside the URL,
/// no fallback to the server user's `~/.pgpass` or `PG*` variables, and TLS verified by default
/// for hosts that are not this machine.
@Suite struct ConnectionSecretsTests {
    @Test func aPasswordInsideTheDatabaseURLIsRefused() throws {
        let cli = try FlowlineCLI()
        let config = """
            {"connectorProfileProperties": {"Redshift": {"databaseUrl": "postgresql://loader:url-PASSWORD-0b9e@db.example.com:5439/dev",
               "bucketName": "stage", "roleArn": "arn:aws:iam::123456789012:role/loader"}},
             "connectorProfileCredentials": {"Redshift": {"username": "loader", "password": "p"}}}
            """
        let result = try cli.run(["create-connector-profile", "--connector-profile-name", "url-password", "--connector-type", "Redshift",
                                  "--connection-mode", "Public", "--connector-profile-config", config])
        #expect(result.status == 254, "\(result.stdout)")
        #expect(result.stderr.contains("ValidationException") && result.stderr.contains("connectorProfileCredentials"), "\(result.stderr)")
        #expect(!result.stderr.contains("url-PASSWORD-0b9e"))
        let listed = try cli.json(["describe-connector-profiles"])["connectorProfileDetails"] as? [Any] ?? []
        #expect(listed.isEmpty)
    }

    /// The server user's PGPASSWORD and ~/.pgpass both hold the right password; a profile without
    /// one must still not connect with it.
    @Test func libpqNeverFallsBackToTheServerUsersPasswords() throws {
        let parts = try TestDatabase.profileParts()
        let settings = try TestDatabase.settings()
        let fakeHome = try TemporaryDirectory("flowline-pg-home")
        let pgpass = try fakeHome.write(".pgpass", "*:*:*:*:\(parts.password)\n")
        #expect(chmod(pgpass.path, 0o600) == 0)
        let harness = try RedshiftHarness(environment: ["HOME": fakeHome.path, "PGPASSWORD": parts.password,
                                                        "PGPASSFILE": pgpass.path, "PGUSER": settings.user])
        // A second profile with the user name only.
        let config = """
            {"connectorProfileProperties": {"Redshift": {"databaseUrl": "\(parts.jdbcURL)", "bucketName": "stage",
               "roleArn": "arn:aws:iam::123456789012:role/flowline-redshift"}},
             "connectorProfileCredentials": {"Redshift": {"username": "\(parts.user)"}}}
            """
        let arguments = ["create-connector-profile", "--connector-profile-name", "no-password", "--connector-type", "Redshift",
                         "--connection-mode", "Public", "--connector-profile-config", config]
        // The profile's connection check logs in without those passwords, and is refused...
        let checked = try harness.cli.run(arguments)
        #expect(checked.status == 254 && checked.stderr.contains("ConnectorAuthenticationException"), "\(checked.stderr)")
        #expect(!checked.stderr.contains(parts.password))
        // ...and so is a run of the profile stored without the check.
        let created = try harness.cli.run(arguments, adding: FlowlineCLI.skipConnectionCheck)
        #expect(created.status == 0, "\(created.stderr)")
        try harness.cli.putObject(bucket: "pgpass", key: "in/rows.csv", "id,name\n1,Ada\n")
        let table = TestDatabase.uniqueTable("pgpass")
        let destination = #"[{"connectorType": "Redshift", "connectorProfileName": "no-password", "destinationConnectorProperties": {"Redshift": {"object": "\#(table)", "intermediateBucketName": "stage"}}}]"#
        let flow = try harness.cli.run(["create-flow", "--flow-name", "no-password", "--trigger-config", #"{"triggerType": "OnDemand"}"#,
                                        "--source-flow-config", #"{"connectorType": "S3", "sourceConnectorProperties": {"S3": {"bucketName": "pgpass", "bucketPrefix": "in"}}}"#,
                                        "--destination-flow-config-list", destination, "--tasks", RedshiftHarness.mapAll])
        #expect(flow.status == 0, "\(flow.stderr)")
        _ = try harness.start("no-password")
        let run = try harness.lastRun("no-password")
        #expect(run.status == "Error", "the run connected with the server user's password: \(run)")
        #expect(run.message.contains("password"), "\(run.message)")
        #expect(!run.message.contains(parts.password))
        // The profile with its own password connects as before.
        try harness.createFlow("with-password", bucket: "pgpass", prefix: "in", table: table)
        _ = try harness.start("with-password")
        #expect(try harness.lastRun("with-password").status == "Successful")
    }

    @Test func remoteHostsVerifyTLSUnlessTheURLSaysOtherwise() throws {
        func parameters(_ url: String) throws -> [String: String] {
            let settings = try PostgresConnectionSettings(profileURL: url, user: "loader", password: "pw", database: nil)
            return Dictionary(settings.libpqParameters, uniquingKeysWith: { a, _ in a })
        }
        let remote = try parameters("jdbc:redshift://warehouse.example.com:5439/dev")
        #expect(remote["sslmode"] == "verify-full")
        #expect(remote["sslrootcert"] != nil)
        #expect(remote["passfile"] != nil && !FileManager.default.fileExists(atPath: remote["passfile"]!))
        for local in ["jdbc:redshift://127.0.0.1:5439/dev", "postgresql://localhost/dev", "postgresql://[::1]:5432/dev"] {
            #expect(try parameters(local)["sslmode"] == "prefer", "\(local)")
        }
        let chosen = try parameters("jdbc:redshift://warehouse.example.com:5439/dev?sslmode=require")
        #expect(chosen["sslmode"] == "require")
        let ownRoot = try parameters("postgresql://warehouse.example.com/dev?sslrootcert=/etc/flowline/warehouse-ca.pem")
        #expect(ownRoot["sslmode"] == "verify-full" && ownRoot["sslrootcert"] == "/etc/flowline/warehouse-ca.pem")
        #expect(throws: PostgresError.self) {
            _ = try PostgresConnectionSettings(profileURL: "postgresql://u:secret@warehouse.example.com/dev", user: "u", password: nil, database: nil)
        }
    }
}
