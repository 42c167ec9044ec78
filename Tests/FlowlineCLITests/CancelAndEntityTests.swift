import Foundation
import Testing
import FlowlineTestSupport

@Suite struct CancelAndEntityTests {
    @Test func cancelFromAnotherShellStopsTheRunAndPublishesNothing() throws {
        let cli = try FlowlineCLI()
        var text = "id,name\n"
        for i in 0..<600_000 { text += "\(i),name-\(i)\n" }
        try cli.putObject(bucket: "big", key: "rows.csv", text)
        let tasks = #"[{"sourceFields": [], "connectorOperator": {"S3": "NO_OP"}, "taskType": "Map_all", "taskProperties": {}}]"#
        let source = #"{"connectorType": "S3", "sourceConnectorProperties": {"S3": {"bucketName": "big"}}}"#
        let dest = #"[{"connectorType": "S3", "destinationConnectorProperties": {"S3": {"bucketName": "lake", "s3OutputFormatConfig": {"fileType": "CSV"}}}}]"#
        #expect(try cli.run(["create-flow", "--flow-name", "long-run", "--trigger-config", Examples.onDemandTrigger,
                             "--source-flow-config", source, "--destination-flow-config-list", dest, "--tasks", tasks]).status == 0)
        let p = try cli.start(["start-flow", "--flow-name", "long-run"])
        var executionId: String?
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline, executionId == nil {
            let records = try cli.json(["describe-flow-execution-records", "--flow-name", "long-run"])["flowExecutions"] as? [[String: Any]]
            if let first = records?.first, first["executionStatus"] as? String == "InProgress" { executionId = first["executionId"] as? String }
            else { usleep(10_000) }
        }
        let id = try #require(executionId)
        let cancel = try cli.json(["cancel-flow-executions", "--flow-name", "long-run", "--execution-ids", id])
        #expect((cancel["invalidExecutions"] as? [String] ?? []).isEmpty)
        p.waitUntilExit()
        #expect(p.terminationStatus == 1)
        let record = (try cli.json(["describe-flow-execution-records", "--flow-name", "long-run"])["flowExecutions"] as! [[String: Any]]).first!
        #expect(record["executionStatus"] as? String == "Canceled")
        #expect(cli.objectKeys(bucket: "lake").isEmpty)

        // An id that is not running is reported back as invalid.
        let again = try cli.json(["cancel-flow-executions", "--flow-name", "long-run", "--execution-ids", id])
        #expect(again["invalidExecutions"] as? [String] == [id])
    }

    @Test func s3EntitiesAreListedAndDescribed() throws {
        let cli = try FlowlineCLI()
        try cli.putObject(bucket: "crm", key: "accounts/a.csv", "Id,Name,Revenue\n1,Acme,10\n")
        let buckets = try cli.json(["list-connector-entities", "--connector-type", "S3"])
        let names = ((buckets["connectorEntityMap"] as? [String: Any])?["Objects"] as? [[String: Any]])?.map { $0["name"] as? String }
        #expect(names == ["crm"])
        let inside = try cli.json(["list-connector-entities", "--connector-type", "S3", "--entities-path", "crm"])
        let folders = ((inside["connectorEntityMap"] as? [String: Any])?["Objects"] as? [[String: Any]])?.map { $0["name"] as? String }
        #expect(folders == ["crm/accounts"])
        let fields = try cli.json(["describe-connector-entity", "--connector-type", "S3", "--connector-entity-name", "crm/accounts/"])
        let ids = (fields["connectorEntityFields"] as? [[String: Any]])?.map { $0["identifier"] as? String }
        #expect(ids == ["Id", "Name", "Revenue"])
    }
}
