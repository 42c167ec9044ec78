import Foundation
import Testing
import FlowlineTestSupport

/// The request files in examples/ are what the README tells users to pass with --cli-input-json.
@Suite struct ExampleFilesTests {
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("examples")

    @Test func everyExampleRequestIsAccepted() throws {
        // The example profiles hold placeholders (REPLACE-ME): stored without trying them.
        let cli = try FlowlineCLI(environment: FlowlineCLI.skipConnectionCheck)
        for file in ["salesforce-profile.json", "servicenow-profile.json", "sapodata-profile.json"] {
            let r = try cli.run(["create-connector-profile", "--cli-input-json", "file://" + Self.examples.appendingPathComponent(file).path])
            #expect(r.status == 0, "\(file): \(r.stderr)")
        }
        let sf = try cli.run(["create-flow", "--cli-input-json", "file://" + Self.examples.appendingPathComponent("salesforce-to-s3-flow.json").path])
        #expect(sf.status == 0, "\(sf.stderr)")

        try cli.putObject(bucket: "my-bucket", key: "in/accounts.csv",
                          "Id,Name,Phone,AnnualRevenue\n1,Acme,+1-555-0100,250000.50\n2,Small,+1-555-0101,10.00\n")
        let s3 = try cli.run(["create-flow", "--cli-input-json", "file://" + Self.examples.appendingPathComponent("s3-csv-to-parquet-flow.json").path])
        #expect(s3.status == 0, "\(s3.stderr)")
        let run = try cli.run("start-flow", "--flow-name", "example-accounts-to-parquet")
        #expect(run.status == 0, "\(run.stderr)")
        let files = cli.objectKeys(bucket: "my-bucket").filter { $0.hasPrefix("out/") && $0.hasSuffix(".parquet") }
        #expect(files.count == 1)
        let rows = try Python.json("import pyarrow.parquet as pq, sys, json; print(json.dumps([[r['Id'], r['Phone'], str(r['AnnualRevenue'])] for r in pq.read_table(sys.argv[1]).to_pylist()]))",
                                   [cli.s3Root.appendingPathComponent("my-bucket/\(files[0])").path]) as! [[Any]]
        #expect(rows.count == 1)
        #expect(rows[0][0] as? Int == 1)
        #expect(rows[0][1] as? String == "******-0100")
        #expect(rows[0][2] as? String == "250000.500000000000000000")
    }
}
