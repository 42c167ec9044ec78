import Foundation
import Testing
import FlowlineCore
import FlowlineTestSupport
@testable import FlowlineConnectors

/// A typed S3 CSV → S3 Parquet transfer, source to destination through the task plan, read back by pyarrow.
@Suite struct S3TypedParquetTests {
    /// Decimal texts whose nearest double an inexact parse misses (`0.4161` used to become 0.41609999999999997).
    static let amounts = ["0.4161", "1561718.45", "0.1", "0.3", "-2.675", "1.005", "4.35", "99999.99", "1e-7",
                          "12345678901234567890.5", "0.0958", "7"]

    @Test func doublesFromCSVTextAreWhatPyarrowReads() async throws {
        let dir = try TemporaryDirectory()
        let root = S3Root(path: dir.path)
        var csv = "Id,Amount\n"
        for (i, a) in Self.amounts.enumerated() { csv += "\(i + 1),\(a)\n" }
        let input = try root.objectPath(bucket: "in-bucket", key: "crm/data.csv")
        try FileManager.default.createDirectory(atPath: (input as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(csv.utf8).write(to: URL(fileURLWithPath: input))

        let source = S3Source(root: root, bucket: "in-bucket", prefix: "crm/", fileType: .csv)
        let tasks = [TaskSpec(taskType: "Filter", sourceFields: ["Id", "Amount"], connectorOperator: "PROJECTION"),
                     TaskSpec(taskType: "Map", sourceFields: ["Id"], connectorOperator: "NO_OP", destinationField: "Id",
                              properties: ["DESTINATION_DATA_TYPE": "integer"]),
                     TaskSpec(taskType: "Map", sourceFields: ["Amount"], connectorOperator: "NO_OP", destinationField: "Amount",
                              properties: ["DESTINATION_DATA_TYPE": "double"])]
        let plan = try TaskPlan.compile(tasks, sourceSchema: try await source.schema())
        let destination = S3Destination(root: root, layout: S3OutputLayout(bucket: "out-bucket", fileType: .parquet),
                                        aggregation: .singleFile(targetMegabytes: nil))
        let writer = try await destination.open(WriteContext(flowName: "typed", executionId: "run-1", startedAt: 0,
                                                             schema: plan.outputSchema))
        for try await chunk in source.read(ReadRequest(projection: plan.projection)) {
            let output: TaskOutput
            if let columnar = plan.applyColumns(chunk.batch) { output = columnar } else { output = try plan.apply(chunk.batch) }
            #expect(output.rejected.isEmpty)
            try await writer.write(output.batch)
        }
        let summary = try await writer.commit()
        let key = try #require(summary.locations.first).replacingOccurrences(of: "s3://out-bucket/", with: "")
        let parquet = try root.objectPath(bucket: "out-bucket", key: key)

        // Python's float() is the nearest double; pyarrow must read exactly that back.
        let report = try Python.run("""
            import json, sys, pyarrow.parquet as pq
            t = pq.read_table(sys.argv[1])
            got = t.column("Amount").to_pylist()
            texts = json.loads(sys.argv[2])
            print(json.dumps({"type": str(t.schema.field("Amount").type), "ids": t.column("Id").to_pylist(),
                              "mismatches": [[s, repr(g)] for s, g in zip(texts, got) if g != float(s)]}))
            """, [parquet, String(decoding: try JSONEncoder().encode(Self.amounts), as: UTF8.self)])
        let result = try #require(try JSONSerialization.jsonObject(with: Data(report.utf8)) as? [String: Any])
        #expect(result["type"] as? String == "double")
        #expect(result["ids"] as? [Int] == Array(1...Self.amounts.count))
        #expect((result["mismatches"] as? [[String]])?.isEmpty == true, "\(result["mismatches"] ?? "")")
    }
}
