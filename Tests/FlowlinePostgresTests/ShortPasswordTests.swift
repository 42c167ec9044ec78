import Foundation
import Testing
@testable import FlowlinePostgres
import FlowlineTestSupport

/// A warehouse password that is a common word, or a piece of one, leaves every message readable:
/// PostgreSQL's own words come through whole, and nothing marks where the password would stand.
@Suite struct ShortPasswordTests {
    /// A login role of its own with `password` and the test role's rights (the test role has
    /// CREATEROLE), dropped afterwards. The warehouse ledger is made first by the test role, so
    /// the new role owns nothing when it goes.
    final class Role {
        let name = "flowline_pw_\(UUID().uuidString.prefix(8).lowercased())"
        init(password: String) throws {
            try WarehouseMigrator.migrate(PostgresConnection(TestDatabase.settings()))
            let owner = try TestDatabase.settings().user
            try TestDatabase.psql("CREATE ROLE \(name) LOGIN PASSWORD '\(password)' IN ROLE \(owner)")
        }
        deinit { _ = try? TestDatabase.psql("DROP ROLE IF EXISTS \(name)") }
    }

    /// (password, the table the flow loads, PostgreSQL's message that the password is part of)
    static let cases: [(String, String, String)] = [
        ("x", "analytics.accounts", #"schema "analytics" does not exist"#),
        ("sales", "sales.accounts", #"schema "sales" does not exist"#),
        ("public", "public_data.accounts", #"schema "public_data" does not exist"#),
    ]

    @Test(arguments: 0..<3) func theServersMessageStaysWhole(_ index: Int) throws {
        let (password, table, message) = Self.cases[index]
        let role = try Role(password: password)
        let h = try RedshiftHarness(user: role.name, password: password)
        try h.cli.putObject(bucket: "src", key: "a/accounts.csv", "Id,Name\n1,Acme\n")
        try h.createFlow("load", bucket: "src", prefix: "a/", table: table)
        let r = try h.start("load")
        #expect(r.result.status == 1)
        let run = try h.lastRun("load")
        #expect(run.status == "Error")
        #expect(run.message.contains(message), "\(run.message)")
        #expect(r.result.stderr.contains(message), "\(r.result.stderr)")
        #expect(!run.message.contains("********") && !r.result.stderr.contains("********"))
    }

    @Test func onlyWholeLongSecretsAreMasked() {
        #expect(Redaction.remove("x", from: #"schema "analytics" does not exist"#) == #"schema "analytics" does not exist"#)
        #expect(Redaction.remove("sales", from: #"schema "sales" does not exist"#) == #"schema "sales" does not exist"#)
        #expect(Redaction.remove("hunter2hunter2", from: "password hunter2hunter2 refused") == "password ******** refused")
        #expect(Redaction.remove("hunter2hunter2", from: #"value "hunter2hunter2""#) == #"value "********""#)
        // Inside a longer token it is some other text, left alone.
        #expect(Redaction.remove("analytics", from: "schema analytics_raw") == "schema analytics_raw")
        #expect(Redaction.remove(nil, from: "text") == "text")
    }
}
