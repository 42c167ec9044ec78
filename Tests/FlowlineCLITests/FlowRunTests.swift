import Foundation
import Testing
import FlowlineTestSupport

/// Flows run end to end through the CLI, with outputs read back by independent readers.
@Suite struct FlowRunTests {
    let cli: FlowlineCLI

    init() throws {
        cli = try FlowlineCLI()
    }

    static let accountsCSV = """
        Id,Name,FirstName,LastName,Phone,Revenue,Notes,Updated
        1,Acme,Ana,O'Neil,555-0101,1200.50,"Key account, renew",2026-01-05T10:00:00Z
        2,"Björk ""B"" Ltd",Björn,Müller,555-0102,80.00,"multi
        line",2026-01-06T11:30:00Z
        3,Cheap Co,Chloé,Núñez,555-0103,15.25,,2026-01-07T12:00:00Z
        4,Empty Notes Inc,Dmitri,Smith,555-0104,5000.00,"",2026-01-08T13:00:00Z
        5,Nulls Ltd,,Lee,,700.10,plain,2026-01-09T14:00:00Z

        """

    private func s3Source(_ bucket: String, _ prefix: String = "", type: String = "CSV") -> String {
        #"{"connectorType": "S3", "sourceConnectorProperties": {"S3": {"bucketName": "\#(bucket)", "bucketPrefix": "\#(prefix)", "s3InputFormatConfig": {"s3InputFileType": "\#(type)"}}}}"#
    }

    private func s3Destination(_ bucket: String, fileType: String, preserve: Bool = true, extra: String = "") -> String {
        #"[{"connectorType": "S3", "destinationConnectorProperties": {"S3": {"bucketName": "\#(bucket)", "bucketPrefix": "out", "s3OutputFormatConfig": {"fileType": "\#(fileType)", "preserveSourceDataTyping": \#(preserve)\#(extra)}}}}]"#
    }

    private func createFlow(_ name: String, source: String, destination: String, tasks: String,
                            trigger: String = Examples.onDemandTrigger) throws {
        let r = try cli.run(["create-flow", "--flow-name", name, "--trigger-config", trigger, "--source-flow-config", source,
                             "--destination-flow-config-list", destination, "--tasks", tasks])
        #expect(r.status == 0, "\(r.stderr)")
    }

    private func start(_ name: String) throws -> (executionId: String, result: ProcessResult) {
        let r = try cli.run("start-flow", "--flow-name", name)
        let json = (try? JSONSerialization.jsonObject(with: Data(r.stdout.utf8))) as? [String: Any]
        return ((json?["executionId"] as? String) ?? "", r)
    }

    private func executions(_ name: String) throws -> [[String: Any]] {
        try cli.json(["describe-flow-execution-records", "--flow-name", name])["flowExecutions"] as? [[String: Any]] ?? []
    }

    private func outputFiles(_ bucket: String, suffix: String) -> [String] {
        cli.objectKeys(bucket: bucket).filter { $0.hasSuffix(suffix) }.map { cli.s3Root.appendingPathComponent(bucket).appendingPathComponent($0).path }
    }

    static let transformTasks = """
        [
          {"sourceFields": ["Id", "Name", "FirstName", "LastName", "Phone", "Revenue", "Notes", "Updated"], "connectorOperator": {"S3": "PROJECTION"}, "taskType": "Filter", "taskProperties": {}},
          {"sourceFields": ["Revenue"], "connectorOperator": {"S3": "GREATER_THAN"}, "taskType": "Filter", "taskProperties": {"DATA_TYPE": "double", "VALUE": "50"}},
          {"sourceFields": ["Id"], "connectorOperator": {"S3": "NO_OP"}, "destinationField": "Id", "taskType": "Map", "taskProperties": {"SOURCE_DATA_TYPE": "string", "DESTINATION_DATA_TYPE": "integer"}},
          {"sourceFields": ["Name"], "connectorOperator": {"S3": "NO_OP"}, "destinationField": "Name", "taskType": "Map", "taskProperties": {}},
          {"sourceFields": ["Name"], "connectorOperator": {"S3": "NO_OP"}, "destinationField": "Name", "taskType": "Truncate", "taskProperties": {"TRUNCATE_LENGTH": "6"}},
          {"sourceFields": ["FirstName", "LastName"], "connectorOperator": {"S3": "NO_OP"}, "destinationField": "Contact", "taskType": "Merge", "taskProperties": {"CONCAT_FORMAT": "${FirstName} ${LastName}"}},
          {"sourceFields": ["Phone"], "connectorOperator": {"S3": "NO_OP"}, "destinationField": "Phone", "taskType": "Map", "taskProperties": {}},
          {"sourceFields": ["Phone"], "connectorOperator": {"S3": "MASK_FIRST_N"}, "destinationField": "Phone", "taskType": "Mask", "taskProperties": {"MASK_LENGTH": "4", "MASK_VALUE": "*"}},
          {"sourceFields": ["Revenue"], "connectorOperator": {"S3": "NO_OP"}, "destinationField": "Revenue", "taskType": "Map", "taskProperties": {"SOURCE_DATA_TYPE": "string", "DESTINATION_DATA_TYPE": "decimal"}},
          {"sourceFields": ["Notes"], "connectorOperator": {"S3": "NO_OP"}, "destinationField": "Notes", "taskType": "Map", "taskProperties": {}},
          {"sourceFields": ["Updated"], "connectorOperator": {"S3": "NO_OP"}, "destinationField": "Updated", "taskType": "Map", "taskProperties": {"SOURCE_DATA_TYPE": "string", "DESTINATION_DATA_TYPE": "datetime"}}
        ]
        """

    @Test func csvToParquetWithFilterMaskMergeTruncateReadsBackExactly() throws {
        try cli.putObject(bucket: "crm", key: "accounts/part1.csv", Self.accountsCSV)
        try createFlow("to-parquet", source: s3Source("crm", "accounts/"), destination: s3Destination("lake", fileType: "PARQUET"),
                       tasks: Self.transformTasks)
        let (executionId, r) = try start("to-parquet")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(!executionId.isEmpty)
        let files = outputFiles("lake", suffix: ".parquet")
        #expect(files.count == 1)
        #expect(files.first?.contains("/out/to-parquet/\(executionId)/") == true)

        let script = """
            import json, sys, pyarrow.parquet as pq, duckdb
            t = pq.read_table(sys.argv[1])
            rows = t.to_pylist()
            def norm(v):
                if hasattr(v, 'isoformat'): return v.isoformat()
                if v is None or isinstance(v, (int, str)): return v
                return str(v)
            d = duckdb.sql(f"select * from read_parquet('{sys.argv[1]}') order by Id").fetchall()
            print(json.dumps({"schema": {f.name: str(f.type) for f in t.schema},
                              "pyarrow": [{k: norm(v) for k, v in r.items()} for r in rows],
                              "duckdb": [[norm(v) for v in r] for r in d]}))
            """
        let out = try Python.json(script, [files[0]]) as! [String: Any]
        let schema = out["schema"] as! [String: String]
        #expect(schema == ["Id": "int64", "Name": "string", "Contact": "string", "Phone": "string",
                           "Revenue": "decimal128(38, 18)", "Notes": "string", "Updated": "timestamp[us, tz=UTC]"])
        let rows = out["pyarrow"] as! [[String: Any]]
        #expect(rows.map { $0["Id"] as? Int } == [1, 2, 4, 5])           // Cheap Co filtered out (15.25 <= 50)
        #expect(rows.map { $0["Name"] as? String } == ["Acme", "Björk ", "Empty ", "Nulls "])
        #expect(rows.map { $0["Contact"] as? String } == ["Ana O'Neil", "Björn Müller", "Dmitri Smith", " Lee"])
        #expect(rows.map { $0["Phone"] as? String } == ["****0101", "****0102", "****0104", nil])
        #expect(rows.map { $0["Revenue"] as? String } == ["1200.500000000000000000", "80.000000000000000000",
                                                         "5000.000000000000000000", "700.100000000000000000"])
        #expect(rows[0]["Notes"] as? String == "Key account, renew")
        #expect(rows[1]["Notes"] as? String == "multi\nline")
        #expect(rows[2]["Notes"] as? String == "")                          // "" stays an empty string
        #expect(rows[0]["Updated"] as? String == "2026-01-05T10:00:00+00:00")
        let duck = out["duckdb"] as! [[Any]]
        #expect(duck.count == 4)
        #expect(duck.map { $0[0] as? Int } == [1, 2, 4, 5])

        let record = try executions("to-parquet").first!
        #expect(record["executionStatus"] as? String == "Successful")
        let result = record["executionResult"] as! [String: Any]
        #expect(result["recordsProcessed"] as? Int == 4)
        #expect((result["bytesProcessed"] as? Int ?? 0) == Self.accountsCSV.utf8.count)
        #expect((result["bytesWritten"] as? Int ?? 0) > 0)
        let details = try cli.json(["describe-flow", "--flow-name", "to-parquet"])["lastRunExecutionDetails"] as? [String: Any]
        #expect(details?["mostRecentExecutionStatus"] as? String == "Successful")
    }

    @Test func csvOutputKeepsNullAndEmptyApartForPythonsCSVModule() throws {
        try cli.putObject(bucket: "crm", key: "accounts.csv", Self.accountsCSV)
        let tasks = #"[{"sourceFields": [], "connectorOperator": {"S3": "NO_OP"}, "taskType": "Map_all", "taskProperties": {}}]"#
        try createFlow("to-csv", source: s3Source("crm"), destination: s3Destination("lake", fileType: "CSV"), tasks: tasks)
        #expect(try start("to-csv").result.status == 0)
        let files = outputFiles("lake", suffix: ".csv")
        #expect(files.count == 1)
        let script = """
            import csv, json, sys
            # Python's csv module reads "" and an empty field alike, so look at the raw quoting too.
            raw = open(sys.argv[1], newline='', encoding='utf-8').read()
            rows = list(csv.DictReader(open(sys.argv[1], newline='', encoding='utf-8')))
            print(json.dumps({"rows": rows, "raw": raw}))
            """
        let out = try Python.json(script, [files[0]]) as! [String: Any]
        let rows = out["rows"] as! [[String: String]]
        #expect(rows.count == 5)
        #expect(rows[1]["Name"] == "Björk \"B\" Ltd")
        #expect(rows[1]["Notes"] == "multi\nline")
        let raw = out["raw"] as! String
        #expect(raw.contains("3,Cheap Co,Chloé,Núñez,555-0103,15.25,,2026-01-07T12:00:00Z"))     // null: empty, unquoted
        #expect(raw.contains("4,Empty Notes Inc,Dmitri,Smith,555-0104,5000.00,\"\",2026-01-08T13:00:00Z"))  // empty: ""
    }

    @Test func jsonLinesOutputIsReadByPythonsJSON() throws {
        try cli.putObject(bucket: "crm", key: "accounts.csv", Self.accountsCSV)
        try createFlow("to-json", source: s3Source("crm"), destination: s3Destination("lake", fileType: "JSON"), tasks: Self.transformTasks)
        #expect(try start("to-json").result.status == 0)
        let files = outputFiles("lake", suffix: ".jsonl")
        #expect(files.count == 1)
        let lines = try Python.json("import json,sys; print(json.dumps([json.loads(l) for l in open(sys.argv[1], encoding='utf-8')]))", [files[0]]) as! [[String: Any]]
        #expect(lines.count == 4)
        #expect(lines[0]["Id"] as? Int == 1)
        #expect(lines[3]["Phone"] is NSNull)
        #expect(lines[2]["Notes"] as? String == "")
    }

    @Test func malformedRowsBecomeErrorRecordsAndTheRestLoads() throws {
        try cli.putObject(bucket: "crm", key: "bad.csv", "Id,Name\n1,ok\n2,too,many\n3,\"unterminated\n")
        try cli.putObject(bucket: "crm", key: "good.csv", "Id,Name\n4,fine\n")
        let tasks = #"[{"sourceFields": [], "connectorOperator": {"S3": "NO_OP"}, "taskType": "Map_all", "taskProperties": {}}]"#
        try createFlow("malformed", source: s3Source("crm"), destination: s3Destination("lake", fileType: "CSV"), tasks: tasks)
        #expect(try start("malformed").result.status == 0)
        let record = try executions("malformed").first!
        #expect(record["executionStatus"] as? String == "Successful")
        let result = record["executionResult"] as! [String: Any]
        #expect(result["recordsProcessed"] as? Int == 2)
        let info = result["errorInfo"] as! [String: Any]
        #expect(info["putFailuresCount"] as? Int == 2)
        let message = info["executionMessage"] as? String ?? ""
        #expect(message.contains("s3://crm/bad.csv line 3"))
    }

    @Test func incrementalFlowTransfersOnlyNewRecordsOnItsSecondRun() throws {
        let now = Date()
        func stamp(_ offset: TimeInterval) -> String { ISO8601DateFormatter().string(from: now.addingTimeInterval(offset)) }
        try cli.putObject(bucket: "events", key: "day1.csv",
                          "id,updated\n1,\(stamp(-86_400))\n2,\(stamp(-3_600))\n3,\(stamp(-40 * 86_400))\n")
        let trigger = #"{"triggerType": "Scheduled", "triggerProperties": {"Scheduled": {"scheduleExpression": "rate(1hours)", "dataPullMode": "Incremental"}}}"#
        let source = #"{"connectorType": "S3", "sourceConnectorProperties": {"S3": {"bucketName": "events"}}, "incrementalPullConfig": {"datetimeTypeFieldName": "updated"}}"#
        let tasks = #"[{"sourceFields": [], "connectorOperator": {"S3": "NO_OP"}, "taskType": "Map_all", "taskProperties": {}}]"#
        try createFlow("incremental", source: source, destination: s3Destination("lake", fileType: "CSV"), tasks: tasks, trigger: trigger)

        let first = try cli.run("run-flow", "--flow-name", "incremental")
        #expect(first.status == 0, "\(first.stderr)")
        // Records 1 and 2 are inside the first run's 30-day look-back; record 3 is older.
        #expect(try readIds(bucket: "lake") == ["1", "2"])

        Thread.sleep(forTimeInterval: 1.2)
        try cli.putObject(bucket: "events", key: "day2.csv", "id,updated\n4,\(ISO8601DateFormatter().string(from: Date()))\n")
        Thread.sleep(forTimeInterval: 1.2)
        let second = try cli.run("run-flow", "--flow-name", "incremental")
        #expect(second.status == 0, "\(second.stderr)")
        #expect(try readIds(bucket: "lake") == ["1", "2", "4"])

        let records = try executions("incremental")
        #expect(records.count == 2)
        #expect(records[0]["dataPullStartTime"] as? String == records[1]["dataPullEndTime"] as? String)
        #expect((records[0]["executionResult"] as! [String: Any])["recordsProcessed"] as? Int == 1)
    }

    private func readIds(bucket: String) throws -> [String] {
        let files = outputFiles(bucket, suffix: ".csv")
        let script = "import csv,sys,json; print(json.dumps(sorted(r['id'] for f in sys.argv[1:] for r in csv.DictReader(open(f, newline='')))))"
        return try Python.json(script, files) as! [String]
    }

    @Test func byteCapStopsAtAChunkBoundaryAndTheNextIncrementalRunResumes() throws {
        let capped = try FlowlineCLI(environment: ["FLOWLINE_MAX_BYTES_PER_RUN": "60"])
        let t = ISO8601DateFormatter().string(from: Date().addingTimeInterval(-3600))
        for part in 1...3 {
            let rows = (1...3).map { "\(part * 10 + $0),\(t)" }.joined(separator: "\n")
            try capped.putObject(bucket: "events", key: "part\(part).csv", "id,updated\n\(rows)\n")
        }
        let trigger = #"{"triggerType": "Scheduled", "triggerProperties": {"Scheduled": {"scheduleExpression": "rate(1hours)", "dataPullMode": "Incremental"}}}"#
        let source = #"{"connectorType": "S3", "sourceConnectorProperties": {"S3": {"bucketName": "events"}}, "incrementalPullConfig": {"datetimeTypeFieldName": "updated"}}"#
        let tasks = #"[{"sourceFields": [], "connectorOperator": {"S3": "NO_OP"}, "taskType": "Map_all", "taskProperties": {}}]"#
        let dest = s3Destination("lake", fileType: "CSV")
        #expect(try capped.run(["create-flow", "--flow-name", "capped", "--trigger-config", trigger, "--source-flow-config", source,
                                "--destination-flow-config-list", dest, "--tasks", tasks]).status == 0)
        var seen: [Int] = []
        for _ in 0..<4 {
            #expect(try capped.run("run-flow", "--flow-name", "capped").status == 0)
        }
        let records = try capped.json(["describe-flow-execution-records", "--flow-name", "capped"])["flowExecutions"] as! [[String: Any]]
        for record in records.reversed() {
            seen.append((record["executionResult"] as! [String: Any])["recordsProcessed"] as! Int)
        }
        // Each part file is about 80 bytes, over the 60-byte cap: one file per run, then nothing new.
        #expect(seen == [3, 3, 3, 0])
        let first = (records.last!["executionResult"] as! [String: Any])["errorInfo"] as! [String: Any]
        #expect((first["executionMessage"] as? String ?? "").contains("cap"))
        let files = capped.objectKeys(bucket: "lake").filter { $0.hasSuffix(".csv") }.map { capped.s3Root.appendingPathComponent("lake/\($0)").path }
        let ids = try Python.json("import csv,sys,json; print(json.dumps(sorted(int(r['id']) for f in sys.argv[1:] for r in csv.DictReader(open(f, newline='')))))", files) as! [Int]
        #expect(ids == [11, 12, 13, 21, 22, 23, 31, 32, 33])
    }

    @Test func partitionKeysBecomeHiveFolders() throws {
        try cli.putObject(bucket: "crm", key: "a.csv", "id,region,amount\n1,emea,10\n2,amer,20\n3,emea,30\n4,,40\n")
        let tasks = #"""
            [{"sourceFields": [], "connectorOperator": {"S3": "NO_OP"}, "taskType": "Map_all", "taskProperties": {}},
             {"sourceFields": ["region"], "connectorOperator": {"S3": "NO_OP"}, "taskType": "Partition", "taskProperties": {"ORDERED_PARTITION_KEYS_LIST": "[\"region\"]"}}]
            """#
        try createFlow("partitioned", source: s3Source("crm"), destination: s3Destination("lake", fileType: "PARQUET"), tasks: tasks)
        let (executionId, r) = try start("partitioned")
        #expect(r.status == 0, "\(r.stderr)")
        let keys = cli.objectKeys(bucket: "lake")
        #expect(keys.contains("out/partitioned/\(executionId)/region=emea/part-00000.parquet"))
        #expect(keys.contains("out/partitioned/\(executionId)/region=amer/part-00000.parquet"))
        let base = cli.s3Root.appendingPathComponent("lake/out/partitioned/\(executionId)").path
        let rows = try Python.json("""
            import duckdb, json, sys
            print(json.dumps(duckdb.sql(f"select id, region from read_parquet('{sys.argv[1]}/*/*.parquet', hive_partitioning=true) order by id").fetchall()))
            """, [base]) as! [[Any]]
        #expect(rows.map { "\($0[0])" } == ["1", "2", "3", "4"])
        #expect(rows.map { $0[1] as? String } == ["emea", "amer", "emea", nil])
    }

    @Test func killedRunLeavesNoPartialFileAndIsReportedInterrupted() throws {
        // Enough rows that the run is still going when it is killed.
        var text = "id,name\n"
        for i in 0..<400_000 { text += "\(i),name-\(i)\n" }
        try cli.putObject(bucket: "big", key: "rows.csv", text)
        let tasks = #"[{"sourceFields": [], "connectorOperator": {"S3": "NO_OP"}, "taskType": "Map_all", "taskProperties": {}}]"#
        try createFlow("killed", source: s3Source("big"), destination: s3Destination("lake", fileType: "PARQUET"), tasks: tasks)
        let p = try cli.start(["start-flow", "--flow-name", "killed"])
        // Wait until the run is recorded, then kill it mid-way.
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            if let e = try? executions("killed").first, e["executionStatus"] as? String == "InProgress" { break }
            usleep(20_000)
        }
        usleep(150_000)
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        #expect(cli.objectKeys(bucket: "lake").isEmpty)
        let record = try executions("killed").first!
        #expect(record["executionStatus"] as? String == "Error")
        let message = ((record["executionResult"] as? [String: Any])?["errorInfo"] as? [String: Any])?["executionMessage"] as? String
        #expect(message?.contains("interrupted") == true)
        // Nothing left behind in staging either.
        let staging = cli.s3Root.appendingPathComponent(".flowline-staging").path
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: staging)) ?? []).isEmpty)
        // And the flow runs again cleanly.
        #expect(try start("killed").result.status == 0)
        #expect(cli.objectKeys(bucket: "lake").count == 1)
    }

    @Test func validationWithTerminateFlowFailsTheRunAndWritesNothing() throws {
        try cli.putObject(bucket: "crm", key: "a.csv", "id,email\n1,a@x\n2,\n")
        let tasks = #"""
            [{"sourceFields": [], "connectorOperator": {"S3": "NO_OP"}, "taskType": "Map_all", "taskProperties": {}},
             {"sourceFields": ["email"], "connectorOperator": {"S3": "VALIDATE_NON_NULL"}, "destinationField": "email", "taskType": "Validate", "taskProperties": {"VALIDATION_ACTION": "TerminateFlow"}}]
            """#
        try createFlow("strict", source: s3Source("crm"), destination: s3Destination("lake", fileType: "CSV"), tasks: tasks)
        let r = try start("strict")
        #expect(r.result.status == 1)
        #expect(cli.objectKeys(bucket: "lake").isEmpty)
        #expect(try executions("strict").first?["executionStatus"] as? String == "Error")
    }

    @Test func fieldMappingCSVBecomesMapTasks() throws {
        let mapping = try cli.home.write("map.csv", "source,destination\nId,account_id\nName,\"account name\"\n")
        let r = try cli.run("map-tasks-from-csv", "--file", mapping.path, "--source-connector-type", "S3")
        #expect(r.status == 0, "\(r.stderr)")
        try cli.putObject(bucket: "crm", key: "a.csv", "Id,Name,Other\n1,Acme,x\n")
        try createFlow("mapped", source: s3Source("crm"), destination: s3Destination("lake", fileType: "CSV"), tasks: r.stdout)
        #expect(try start("mapped").result.status == 0)
        let files = outputFiles("lake", suffix: ".csv")
        let rows = try Python.json("import csv,sys,json; print(json.dumps(list(csv.DictReader(open(sys.argv[1], newline='')))))", files) as! [[String: String]]
        #expect(rows == [["account_id": "1", "account name": "Acme"]])
    }
}
