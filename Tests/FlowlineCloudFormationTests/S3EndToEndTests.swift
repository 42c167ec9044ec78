import Foundation
import Testing
import FlowlineTestSupport

/// A deployed template's flow runs: the S3 → S3 example copies CSV records, read back by Python.
@Suite struct S3EndToEndTests {
    @Test(arguments: ["yaml", "json"])
    func deployedFlowRuns(format: String) throws {
        let cli = try StackFixtures.cli()
        try cli.putObject(bucket: "flowline-example", key: "in/accounts.csv",
                          "Id,Name,AnnualRevenue,Phone\n1,Acme,1000.50,555-0100\n2,\"Globex, Inc\",2500,555-0101\n3,Initech,,555-0102\n")
        try cli.deploy(StackFixtures.example("s3-to-s3-flow.\(format)"), stack: "copy")
        let flow = try cli.describeFlow("copy-csv-copy")
        #expect(flow["flowStatus"] as? String == "Active")
        #expect((flow["tags"] as? [String: String]) == ["example": "s3-to-s3"])

        let started = try cli.json(["start-flow", "--flow-name", "copy-csv-copy"])
        #expect(started["executionId"] is String)
        let records = try cli.json(["describe-flow-execution-records", "--flow-name", "copy-csv-copy"])["flowExecutions"] as? [[String: Any]]
        #expect(records?.first?["executionStatus"] as? String == "Successful")

        let outputs = cli.objectKeys(bucket: "flowline-example").filter { $0.hasPrefix("out/") }
        #expect(outputs.count == 1)
        let file = cli.s3Root.appendingPathComponent("flowline-example").appendingPathComponent(try #require(outputs.first)).path
        let rows = try Python.json("""
            import csv, json, sys
            print(json.dumps(list(csv.reader(open(sys.argv[1], newline='')))))
            """, [file]) as? [[String]]
        #expect(rows == [["Id", "Name", "AnnualRevenue"], ["1", "Acme", "1000.5"], ["2", "Globex, Inc", "2500"], ["3", "Initech", ""]])

        // Deleting the stack deletes the flow; the data it wrote stays.
        #expect(try cli.run(["delete-stack", "--stack-name", "copy"]).status == 0)
        #expect(try cli.flowNames().isEmpty)
        #expect(cli.objectKeys(bucket: "flowline-example").contains(outputs[0]))
    }
}
