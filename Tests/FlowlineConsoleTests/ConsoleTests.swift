import Foundation
import Testing
import FlowlineTestSupport

/// The web console of `flowline serve`, driven over real HTTP on loopback: once by plain HTTP
/// requests, once by headless Chromium through Selenium.
@Suite("Web console", .serialized)
struct ConsoleTests {
    @Test("Signing in is required, CSRF is checked, secrets never come back; plain errors, required and unused fields, favicon; SAP OData credentials, flow edit, schedules, activate, deactivate, confirmed delete")
    func httpChecks() throws {
        let sandbox = try SandboxProcess(records: 5)
        let server = try ConsoleServer(salesforceSandbox: sandbox)
        try server.cli.putObject(bucket: "console-flows", key: "in/rows.csv", "id,name,amount\n1,Ada,25\n")
        try server.cli.putObject(bucket: "console-flows", key: "archive/2025/rows.csv", "id,name\n2,Grace\n")
        try server.cli.putObject(bucket: "console-flows", key: "top.csv", "id,name\n3,Linus\n")
        // The script runs the CLI against the server's home to read back what the console did.
        var environment = server.cli.environment
        environment["FLOWLINE_BIN"] = FlowlineCLI.binary
        environment["BUCKET"] = "console-flows"
        environment["SANDBOX_URL"] = sandbox.url
        let summary = try server.runScript("http_checks.py", environment: environment)
        #expect(summary["csrfRefused"] as? Bool == true)
        #expect(summary["pagesWithoutSecret"] as? Int == 8)
        #expect(summary["sapPagesWithoutSecret"] as? Int == 3)
        #expect((summary["sapProfile"] as? [String: Any])?["name"] as? String == "console-sap")
        #expect(summary["sapEditedHost"] as? String == "https://sap2.example.com")
        #expect(summary["editedDescription"] as? String == "after the edit")
        #expect(summary["editedFilterValue"] as? String == "30")
        #expect(summary["scheduledStatuses"] as? [String] == ["Active", "Suspended"])
        #expect(summary["deleted"] as? String == "console-edit")
        #expect(summary["prefixChoices"] as? [String] == ["archive", "in"])
        #expect((summary["plainError"] as? String)?.hasPrefix("Connection name “bad name!” is not allowed") == true)
        #expect(summary["requiredMarked"] as? Bool == true)
        #expect((summary["favicon"] as? Int ?? 0) > 0)
        #expect(summary["rowsLabelled"] as? Bool == true)
        #expect((summary["schedule"] as? [String])?.last == "Europe/Paris")
        // Test connection: the sandbox's tokens work, wrong ones fail readably without the token.
        #expect(summary["testConnectionOK"] as? Bool == true)
        #expect((summary["testConnectionFailure"] as? String)?.contains("console-sf-test") == true)
        #expect(summary["testConnectionStored"] as? Bool == true)
        for secret in ["pg-PASSWORD-5e1f0a77", "sap-PASSWORD-93c2d4e1"] { #expect(!server.log.contains(secret)) }
    }

    static func requireChromium() throws {
        for program in ["chromium", "chromedriver"] where Subprocess.which(program) == nil {
            throw ConsoleTestFailure("\(program) is not installed; run scripts/bootstrap (apt: chromium chromium-driver; pip: selenium)")
        }
    }

    static var browserEnvironment: [String: String] {
        ["CHROMIUM": Subprocess.which("chromium") ?? "", "CHROMEDRIVER": Subprocess.which("chromedriver") ?? ""]
    }

    @Test("A new user creates a connection, builds an S3 → S3 flow with a mask and a filter, runs it and reads its history; no page logs a browser error")
    func browserWalkthrough() throws {
        try Self.requireChromium()
        let sandbox = try SandboxProcess(records: 5)
        let server = try ConsoleServer(salesforceSandbox: sandbox)
        let csv = """
            id,name,email,amount
            1,Ada,ada@example.com,10
            2,Grace,grace@example.com,25
            3,Linus,linus@example.com,40
            4,Barbara,barbara@example.com,55
            5,Ken,ken@example.com,20

            """
        try server.cli.putObject(bucket: "console-data", key: "in/accounts.csv", csv)
        let artifacts = try TestArtifacts.directory("console")
        let summary = try server.runScript("console_walkthrough.py", environment: [
            "ARTIFACTS": artifacts.path, "BUCKET": "console-data", "FLOW_NAME": "console-accounts", "EXPECTED_RECORDS": "3",
            "SANDBOX_URL": sandbox.url,
        ].merging(Self.browserEnvironment) { a, _ in a })
        // recordsProcessed counts the records delivered: the three the filter kept.
        #expect(summary["status"] as? String == "Successful")
        #expect((summary["tagError"] as? String)?.contains("at most 50 tags") == true)
        #expect((summary["tagApiMessage"] as? String)?.contains("less than or equal to 50") == true)
        #expect(summary["numericOperators"] as? [String] == ["EQUAL_TO", "NOT_EQUAL_TO", "LESS_THAN", "LESS_THAN_OR_EQUAL_TO",
                                                             "GREATER_THAN", "GREATER_THAN_OR_EQUAL_TO", "BETWEEN"])
        // Every page visited, and not one error in the browser's console log (a favicon, CSP, scripts).
        #expect((summary["pagesVisited"] as? Int ?? 0) >= 20)
        #expect((summary["browserLogEntries"] as? Int) != nil)
        #expect(summary["browserErrors"] as? [String] == [])
        #expect((summary["testConnection"] as? String)?.hasPrefix("The connection failed") == true)
        // The one form submitted to be refused answered 400, which Chromium logs for that page only.
        #expect(summary["refusedForms"] as? Int == 1)

        // The file the run wrote, read back by Python's csv module: the filter kept amounts over
        // 20 and the mask replaced every character of the email.
        let outputs = server.cli.objectKeys(bucket: "console-data").filter { $0.hasPrefix("out/") && $0.hasSuffix(".csv") }
        #expect(outputs.count == 1)
        let path = server.cli.s3Root.appendingPathComponent("console-data").appendingPathComponent(outputs.first ?? "").path
        let rows = try Python.json("""
            import csv, json, sys
            print(json.dumps(list(csv.DictReader(open(sys.argv[1], newline="")))))
            """, [path]) as? [[String: String]] ?? []
        #expect(rows.map { $0["name"] ?? "" } == ["Grace", "Linus", "Barbara"])
        #expect(rows.allSatisfy { row in (row["email"] ?? "").allSatisfy { $0 == "*" } && !(row["email"] ?? "").isEmpty })
        // The flow page says where the run's output went: the folder and its file.
        let folder = (outputs.first ?? "").split(separator: "/").dropLast().joined(separator: "/")
        #expect((summary["output"] as? String)?.contains("s3://console-data/\(folder)/") == true)
        #expect(summary["outputFiles"] as? [String] == ["part-00000.csv"])
        let screenshots = try FileManager.default.contentsOfDirectory(atPath: artifacts.path).filter { $0.hasSuffix(".png") }
        #expect(screenshots.count >= 15)
    }

    @Test("Built in the wizard on CSV text: 'amount >= 1000' keeps exactly the 225 rows of 1000 or more (not the 284 a text comparison keeps); Parquet columns are typed")
    func typedFlows() throws {
        try Self.requireChromium()
        let server = try ConsoleServer()
        let sample = OrdersSample()
        // The sample is one where comparing text gives another answer.
        #expect(sample.idsAtLeast1000.count == 225)
        #expect(sample.textComparisonCount == 284)
        try server.cli.putObject(bucket: "console-typed", key: "orders/orders.csv", sample.text)
        let artifacts = try TestArtifacts.directory("console-typed")
        let summary = try server.runScript("typed_flows.py", environment: ["ARTIFACTS": artifacts.path, "BUCKET": "console-typed"]
            .merging(Self.browserEnvironment) { a, _ in a })
        #expect(summary["browserErrors"] as? [String] == [])
        let keys = server.cli.objectKeys(bucket: "console-typed")
        let bucket = server.cli.s3Root.appendingPathComponent("console-typed")

        // The filtered CSV, read back by Python's csv module: exactly the orders of 1000 or more.
        let csvFiles = keys.filter { $0.hasPrefix("out-big-orders/") && $0.hasSuffix(".csv") }.map { bucket.appendingPathComponent($0).path }
        #expect(csvFiles.count == 1)
        let ids = try Python.json("""
            import csv, json, sys
            print(json.dumps([int(row["id"]) for path in sys.argv[1:] for row in csv.DictReader(open(path, newline=""))]))
            """, csvFiles) as? [Int] ?? []
        #expect(ids.count == 225)
        #expect(Set(ids) == sample.idsAtLeast1000)

        // The Parquet file, read back by pyarrow: numbers, dates and times are typed columns.
        let parquetFiles = keys.filter { $0.hasPrefix("out-orders-parquet/") && $0.hasSuffix(".parquet") }.map { bucket.appendingPathComponent($0).path }
        #expect(parquetFiles.count == 1)
        let table = try Python.json("""
            import json, sys, pyarrow.parquet as pq
            t = pq.read_table(sys.argv[1])
            first = t.slice(0, 1).to_pylist()[0]
            print(json.dumps({"types": {f.name: str(f.type) for f in t.schema}, "rows": t.num_rows,
                              "first": {k: str(v) for k, v in first.items()}}))
            """, parquetFiles) as? [String: Any] ?? [:]
        let types = table["types"] as? [String: String] ?? [:]
        #expect(types == ["id": "int64", "customer": "string", "amount": "double", "quantity": "int64", "order_date": "date32[day]",
                          "updated_at": "timestamp[us, tz=UTC]", "active": "bool", "zip": "string"])
        #expect(table["rows"] as? Int == 300)
        let first = table["first"] as? [String: String] ?? [:]
        let order = sample.orders[0]
        #expect(first["id"] == "1" && first["amount"] == String(Double(order.amount)!) && first["zip"] == "00037")
    }
}
