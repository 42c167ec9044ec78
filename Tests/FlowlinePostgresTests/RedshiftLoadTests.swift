import Foundation
import Testing
import FlowlineTestSupport

/// S3 CSV → Redshift (PostgreSQL) flows run through the CLI; the table read back with psql.
@Suite struct RedshiftLoadTests {
    static let accountsCSV = """
        Id,Name,Notes,Amount,Updated
        1,Acme,"Key account, renew",1200.50,2026-01-05T10:00:00Z
        2,"Björk ""B"" Ltd","multi
        line",80.00,2026-01-06T11:30:00Z
        3,Tab\there,,15.25,2026-01-07T12:00:00Z
        4,Empty Notes,"",5000.00,2026-01-08T13:00:00+02:00
        5,"back\\slash \\N",日本語 ✓,-0.001,2026-01-09T14:00:00.123456Z

        """

    static let typedTasks = """
        [
          {"sourceFields": ["Id", "Name", "Notes", "Amount", "Updated"], "connectorOperator": {"S3": "PROJECTION"}, "taskType": "Filter", "taskProperties": {}},
          {"sourceFields": ["Id"], "connectorOperator": {"S3": "NO_OP"}, "destinationField": "Id", "taskType": "Map", "taskProperties": {"SOURCE_DATA_TYPE": "string", "DESTINATION_DATA_TYPE": "integer"}},
          {"sourceFields": ["Name"], "connectorOperator": {"S3": "NO_OP"}, "destinationField": "Name", "taskType": "Map", "taskProperties": {}},
          {"sourceFields": ["Notes"], "connectorOperator": {"S3": "NO_OP"}, "destinationField": "Notes", "taskType": "Map", "taskProperties": {}},
          {"sourceFields": ["Amount"], "connectorOperator": {"S3": "NO_OP"}, "destinationField": "Amount", "taskType": "Map", "taskProperties": {"SOURCE_DATA_TYPE": "string", "DESTINATION_DATA_TYPE": "decimal"}},
          {"sourceFields": ["Updated"], "connectorOperator": {"S3": "NO_OP"}, "destinationField": "Updated", "taskType": "Map", "taskProperties": {"SOURCE_DATA_TYPE": "string", "DESTINATION_DATA_TYPE": "datetime"}}
        ]
        """

    @Test func loadsExactlyTheSourceValuesIntoANewTypedTable() throws {
        let h = try RedshiftHarness()
        let table = TestDatabase.uniqueTable("accounts")
        try h.cli.putObject(bucket: "crm", key: "accounts/a.csv", Self.accountsCSV)
        try h.createFlow("load", bucket: "crm", prefix: "accounts/", table: "public.\(table)", tasks: Self.typedTasks)
        let (executionId, r) = try h.start("load")
        #expect(r.status == 0, "\(r.stderr)")

        let types = try TestDatabase.rows("""
            SELECT column_name, data_type FROM information_schema.columns WHERE table_name = '\(table)' ORDER BY ordinal_position
            """)
        #expect(types.map { "\($0["column_name"]!):\($0["data_type"]!)" } ==
                ["Id:bigint", "Name:text", "Notes:text", "Amount:numeric", "Updated:timestamp with time zone"])
        let rows = try TestDatabase.rows("""
            SELECT "Id" AS id, "Name" AS name, "Notes" AS notes, "Amount"::text AS amount,
                   (extract(epoch FROM "Updated") * 1000000)::bigint AS micros FROM \(table) ORDER BY "Id"
            """)
        #expect(rows.map { $0["id"] as? Int } == [1, 2, 3, 4, 5])
        #expect(rows.map { $0["name"] as? String } == ["Acme", "Björk \"B\" Ltd", "Tab\there", "Empty Notes", "back\\slash \\N"])
        #expect(rows.map { $0["notes"] as? String } == ["Key account, renew", "multi\nline", nil, "", "日本語 ✓"])
        #expect(rows[2]["notes"] is NSNull)                 // unquoted empty field: null
        #expect(rows[3]["notes"] as? String == "")          // "": an empty string
        #expect(rows.map { $0["amount"] as? String } == ["1200.5", "80", "15.25", "5000", "-0.001"])
        #expect(rows.map { $0["micros"] as? Int } == [1_767_607_200_000_000, 1_767_699_000_000_000, 1_767_787_200_000_000,
                                                    1_767_870_000_000_000, 1_767_967_200_123_456])

        let ledger = try TestDatabase.rows("""
            SELECT flow_name, target_table, write_operation, records_copied, records_rejected
            FROM flowline.load_ledger WHERE execution_id = '\(executionId)'
            """)
        #expect(ledger.count == 1)
        #expect(ledger.first?["flow_name"] as? String == "load")
        #expect(ledger.first?["target_table"] as? String == "public.\(table)")
        #expect(ledger.first?["records_copied"] as? Int == 5)
        let run = try h.lastRun("load")
        #expect(run.status == "Successful")
        #expect(run.records == 5)
    }

    @Test func upsertRerunKeepsTheRowCountAndUpdatesValues() throws {
        let h = try RedshiftHarness()
        let table = TestDatabase.uniqueTable("upsert")
        try TestDatabase.psql("CREATE TABLE \(table) (id bigint PRIMARY KEY, name text, amount numeric); INSERT INTO \(table) VALUES (9, 'untouched', 1)")
        try h.cli.putObject(bucket: "src", key: "u/a.csv", "id,name,amount\n1,one,10\n2,two,20\n3,three,30\n")
        try h.createFlow("up", bucket: "src", prefix: "u/", table: table,
                         tags: ["flowline:writeOperationType": "UPSERT", "flowline:idFieldNames": "id"])
        #expect(try h.start("up").result.status == 0)
        #expect(try h.start("up").result.status == 0)        // the same window again: nothing changes
        #expect(try TestDatabase.count(table) == 4)

        // Changed values, a new row, and one key twice (the later record wins).
        try h.cli.putObject(bucket: "src", key: "u/a.csv", "id,name,amount\n1,ONE,11\n2,two,20\n4,four,40\n2,TWO,22\n")
        let r = try h.start("up")
        #expect(r.result.status == 0, "\(r.result.stderr)")
        let rows = try TestDatabase.rows("SELECT id, name, amount::text AS amount FROM \(table) ORDER BY id")
        #expect(rows.map { $0["id"] as? Int } == [1, 2, 3, 4, 9])
        #expect(rows.map { $0["name"] as? String } == ["ONE", "TWO", "three", "four", "untouched"])
        #expect(rows.map { $0["amount"] as? String } == ["11", "22", "30", "40", "1"])
        #expect(try TestDatabase.psql("SELECT write_operation || ':' || records_copied || ':' || records_affected FROM flowline.load_ledger WHERE execution_id = '\(r.executionId)'") == "UPSERT:4:3")
    }

    @Test func updateChangesOnlyMatchingRowsAndDeleteRemovesThem() throws {
        let h = try RedshiftHarness()
        let table = TestDatabase.uniqueTable("upd")
        try TestDatabase.psql("CREATE TABLE \(table) (id bigint, region text, name text); INSERT INTO \(table) SELECT g, 'eu', 'n' || g FROM generate_series(1, 5) g")
        try h.cli.putObject(bucket: "src", key: "upd/a.csv", "id,region,name\n2,eu,changed2\n3,eu,changed3\n99,eu,ghost\n")
        try h.createFlow("upd", bucket: "src", prefix: "upd/", table: table,
                         tags: ["flowline:writeOperationType": "UPDATE", "flowline:idFieldNames": "id, region"])
        #expect(try h.start("upd").result.status == 0)
        #expect(try TestDatabase.psql("SELECT string_agg(id || '=' || name, ',' ORDER BY id) FROM \(table)") ==
                "1=n1,2=changed2,3=changed3,4=n4,5=n5")

        try h.cli.putObject(bucket: "src", key: "del/a.csv", "id,region,name\n4,eu,\n5,us,\n1,eu,\n")
        try h.createFlow("del", bucket: "src", prefix: "del/", table: table,
                         tags: ["flowline:writeOperationType": "DELETE", "flowline:idFieldNames": "id,region"])
        #expect(try h.start("del").result.status == 0)
        #expect(try TestDatabase.psql("SELECT string_agg(id::text, ',' ORDER BY id) FROM \(table)") == "2,3,5")
    }

    @Test func aColumnMismatchIsAClearErrorBeforeAnyDataMoves() throws {
        let h = try RedshiftHarness()
        let table = TestDatabase.uniqueTable("mismatch")
        try TestDatabase.psql("CREATE TABLE \(table) (id bigint, name text); INSERT INTO \(table) VALUES (1, 'kept')")
        try h.cli.putObject(bucket: "src", key: "m/a.csv", "id,name,email\n2,two,t@example.com\n")
        try h.createFlow("mm", bucket: "src", prefix: "m/", table: table)
        let r = try h.start("mm")
        #expect(r.result.status != 0)
        let run = try h.lastRun("mm")
        #expect(run.status == "Error")
        #expect(run.message.contains("has no column for field(s) email"), "\(run.message)")
        #expect(run.message.contains(table))
        #expect(try TestDatabase.psql("SELECT string_agg(id || name, ',') FROM \(table)") == "1kept")

        // UPSERT without key fields is refused too, before anything moves.
        try h.createFlow("nokeys", bucket: "src", prefix: "m/", table: table, tags: ["flowline:writeOperationType": "UPSERT"])
        #expect(try h.start("nokeys").result.status != 0)
        #expect(try h.lastRun("nokeys").message.contains("needs idFieldNames"))
    }

    @Test func aBadValueFailsTheRunNamingTheRecordAndColumn() throws {
        let h = try RedshiftHarness()
        let table = TestDatabase.uniqueTable("bad")
        try TestDatabase.psql("CREATE TABLE \(table) (id bigint, amount numeric CHECK (amount >= 0))")
        try h.cli.putObject(bucket: "src", key: "b/a.csv", "id,amount\n1,10\n2,20\n3,abc\n4,40\n")
        try h.createFlow("bad", bucket: "src", prefix: "b/", table: table)
        #expect(try h.start("bad").result.status != 0)
        let run = try h.lastRun("bad")
        #expect(run.status == "Error")
        #expect(run.message.contains("Record 3 of the run, column amount"), "\(run.message)")
        #expect(run.message.contains("'abc' is not a valid numeric"), "\(run.message)")
        #expect(try TestDatabase.count(table) == 0)

        // A value only the server refuses (a CHECK constraint): located from COPY's CONTEXT line.
        try h.cli.putObject(bucket: "src", key: "b/a.csv", "id,amount\n1,10\n2,-5\n3,30\n")
        #expect(try h.start("bad").result.status != 0)
        let second = try h.lastRun("bad")
        #expect(second.message.contains("at record 2 of the run"), "\(second.message)")
        #expect(second.message.contains("23514"), "\(second.message)")
        #expect(try TestDatabase.count(table) == 0)
    }

    @Test func withADropPolicyBadRecordsGoToTheErrorBucketAndTheRestLoads() throws {
        let h = try RedshiftHarness()
        let table = TestDatabase.uniqueTable("drop")
        try TestDatabase.psql("CREATE TABLE \(table) (id bigint, amount numeric, day date)")
        try h.cli.putObject(bucket: "src", key: "d/a.csv", "id,amount,day\n1,10,2026-01-01\n2,abc,2026-01-02\n3,30,not-a-day\n4,40,2026-01-04\n")
        try h.createFlow("drop", bucket: "src", prefix: "d/", table: table,
                         errorHandling: #"{"failOnFirstDestinationError": false, "bucketName": "errors", "bucketPrefix": "redshift"}"#)
        let (executionId, r) = try h.start("drop")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try TestDatabase.psql("SELECT string_agg(id::text, ',' ORDER BY id) FROM \(table)") == "1,4")
        let keys = h.cli.objectKeys(bucket: "errors")
        #expect(keys == ["redshift/drop/\(executionId)/rejected-records.jsonl"])
        let path = h.cli.s3Root.appendingPathComponent("errors/\(keys.first ?? "")").path
        // The rejected values are the run's data: owner-only, like everything in the home.
        #expect((try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int).map { $0 & 0o777 } == 0o600)
        let lines = try Python.json("""
            import json, sys
            print(json.dumps([json.loads(l) for l in open(sys.argv[1], encoding='utf-8')]))
            """, [path]) as! [[String: Any]]
        #expect(lines.map { $0["record"] as? Int } == [2, 3])
        #expect(lines.map { $0["column"] as? String } == ["amount", "day"])
        #expect((lines.first?["reason"] as? String)?.contains("'abc' is not a valid numeric") == true)
        #expect((lines.first?["values"] as? [String: Any])?["amount"] as? String == "abc")
        #expect(try TestDatabase.psql("SELECT records_copied || '/' || records_rejected FROM flowline.load_ledger WHERE execution_id = '\(executionId)'") == "2/2")
        // The records the table refused count as the run's put failures, and the message says where they went.
        let execution = try h.executions("drop").first ?? [:]
        let result = execution["executionResult"] as? [String: Any]
        let errorInfo = result?["errorInfo"] as? [String: Any]
        #expect(execution["executionStatus"] as? String == "Successful")
        #expect(errorInfo?["putFailuresCount"] as? Int == 2, "\(execution)")
        let message = errorInfo?["executionMessage"] as? String ?? ""
        #expect(message.contains("2 record(s) were refused"), "\(message)")
        #expect(message.contains("s3://errors/redshift/drop/\(executionId)/rejected-records.jsonl"), "\(message)")
    }

    @Test func aCleanLoadReportsNoPutFailures() throws {
        let h = try RedshiftHarness()
        let table = TestDatabase.uniqueTable("clean")
        try TestDatabase.psql("CREATE TABLE \(table) (id bigint, amount numeric)")
        try h.cli.putObject(bucket: "src", key: "c/a.csv", "id,amount\n1,10\n2,20\n")
        try h.createFlow("clean", bucket: "src", prefix: "c/", table: table,
                         errorHandling: #"{"failOnFirstDestinationError": false, "bucketName": "errors", "bucketPrefix": "redshift"}"#)
        #expect(try h.start("clean").result.status == 0)
        let result = (try h.executions("clean").first ?? [:])["executionResult"] as? [String: Any]
        #expect((result?["errorInfo"] as? [String: Any])?["putFailuresCount"] as? Int == 0, "\(String(describing: result))")
        #expect(h.cli.objectKeys(bucket: "errors").isEmpty)
    }

    @Test func aWrongPasswordIsAClearErrorThatNeverEchoesIt() throws {
        let secret = "not-the-Password-\(UUID().uuidString.prefix(6))"
        // Stored without its connection check, the profile's runs fail (below); with the check,
        // create-connector-profile logs in once and refuses it, in the same words.
        let h = try RedshiftHarness(password: secret, checked: false)
        let check = try h.createProfile(name: "checked", password: secret)
        #expect(check.status == 254)
        #expect(check.stderr.contains("ConnectorAuthenticationException") && check.stderr.contains("password authentication failed"), "\(check.stderr)")
        #expect(!check.stderr.contains(secret))
        try h.cli.putObject(bucket: "src", key: "p/a.csv", "id\n1\n")
        try h.createFlow("pw", bucket: "src", prefix: "p/", table: TestDatabase.uniqueTable("pw"))
        let r = try h.start("pw")
        #expect(r.result.status != 0)
        let run = try h.lastRun("pw")
        #expect(run.status == "Error")
        #expect(run.message.contains("ConnectorAuthenticationException"), "\(run.message)")
        #expect(run.message.contains("password authentication failed"), "\(run.message)")
        let everything = r.result.stdout + r.result.stderr + run.message
            + (try h.cli.run("describe-connector-profiles").stdout) + (try h.cli.run("describe-flow-execution-records", "--flow-name", "pw").stdout)
        #expect(!everything.contains(secret))
    }
}
