import Foundation
import Testing
import FlowlineTestSupport

/// The web console of `flowline serve`, driven over real HTTP on loopback: once by plain HTTP
/// requests, once by headless Chromium through Selenium.
@Suite("Web console", .serialized)
struct ConsoleTests {
    @Test("Signing in is required, CSRF is checked, secrets never come back; SAP OData credentials, flow edit, activate, deactivate, delete")
    func httpChecks() throws {
        let server = try ConsoleServer()
        try server.cli.putObject(bucket: "console-flows", key: "in/rows.csv", "id,name,amount\n1,Ada,25\n")
        try server.cli.putObject(bucket: "console-flows", key: "archive/2025/rows.csv", "id,name\n2,Grace\n")
        try server.cli.putObject(bucket: "console-flows", key: "top.csv", "id,name\n3,Linus\n")
        // The script runs the CLI against the server's home to read back what the console did.
        var environment = server.cli.environment
        environment["FLOWLINE_BIN"] = FlowlineCLI.binary
        environment["BUCKET"] = "console-flows"
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
        for secret in ["pg-PASSWORD-5e1f0a77", "sap-PASSWORD-93c2d4e1"] { #expect(!server.log.contains(secret)) }
    }

    @Test("A new user creates a connection, builds an S3 → S3 flow with a mask and a filter, runs it and reads its history")
    func browserWalkthrough() throws {
        for program in ["chromium", "chromedriver"] where Subprocess.which(program) == nil {
            throw ConsoleTestFailure("\(program) is not installed; run scripts/bootstrap (apt: chromium chromium-driver; pip: selenium)")
        }
        let server = try ConsoleServer()
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
            "ARTIFACTS": artifacts.path, "BUCKET": "console-data", "FLOW_NAME": "console-accounts",
            "EXPECTED_RECORDS": "3", "CHROMIUM": Subprocess.which("chromium") ?? "", "CHROMEDRIVER": Subprocess.which("chromedriver") ?? ""])
        // recordsProcessed counts the records delivered: the three the filter kept.
        #expect(summary["status"] as? String == "Successful")
        #expect((summary["tagError"] as? String)?.contains("less than or equal to 50") == true)

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
        let screenshots = try FileManager.default.contentsOfDirectory(atPath: artifacts.path).filter { $0.hasSuffix(".png") }
        #expect(screenshots.count >= 15)
    }
}
