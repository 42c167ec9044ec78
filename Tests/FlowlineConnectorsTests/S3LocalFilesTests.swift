import Foundation
import Testing
import FlowlineCore
import FlowlineTestSupport
@testable import FlowlineConnectors

/// The local S3 layout: names that stay inside the root, AppFlow's key layout, and staged publishing.
@Suite struct S3LocalFilesTests {
    @Test(arguments: ["../etc", "/abs/key", "a/../../b", "a/./b", "nul\0byte"])
    func keysThatWouldEscapeAreRefused(key: String) {
        let root = S3Root(path: "/tmp/s3root")
        #expect(throws: S3PathError.self) { try root.objectPath(bucket: "bucket-1", key: key) }
    }

    @Test(arguments: ["..", "UPPER", "a", "has_underscore", "-leading", "x..y"])
    func badBucketNamesAreRefused(bucket: String) {
        #expect(throws: S3PathError.self) { try S3Root(path: "/tmp/s3root").bucketPath(bucket) }
    }

    @Test func defaultLayoutIsPrefixFlowExecution() throws {
        let layout = S3OutputLayout(bucket: "b", bucketPrefix: "exports/", fileType: .parquet)
        #expect(try layout.folder(flowName: "f", executionId: "e1", startedAt: 0, partition: []) == "exports/f/e1")
        #expect(layout.fileName(index: 3, startedAt: 0) == "part-00003.parquet")
    }

    @Test func prefixConfigAddsDatesAndHierarchy() throws {
        let started: Int64 = 1_795_000_000_000_000   // 2026-11-18T11:06:40Z
        let path = S3OutputLayout(bucket: "b", fileType: .csv, prefixType: .path, prefixFormat: .hour,
                                  pathPrefixHierarchy: ["SCHEMA_VERSION", "EXECUTION_ID"], schemaVersion: 2)
        #expect(try path.folder(flowName: "f", executionId: "e1", startedAt: started, partition: []) == "f/2026/11/18/11/2/e1")
        let file = S3OutputLayout(bucket: "b", fileType: .json, prefixType: .filename, prefixFormat: .day)
        #expect(file.fileName(index: 0, startedAt: started) == "2026-11-18-part-00000.jsonl")
    }

    @Test func partitionValuesAreEscapedAndNullHasHivesName() throws {
        let layout = S3OutputLayout(bucket: "b", fileType: .csv, pathPrefixHierarchy: [])
        let folder = try layout.folder(flowName: "f", executionId: "e", startedAt: 0,
                                       partition: [("region", .string("eu/west=1")), ("day", .null), ("ü", .string(".."))])
        #expect(folder == "f/region=eu%2Fwest%3D1/day=__HIVE_DEFAULT_PARTITION__/ü=%2E%2E")
    }

    @Test func stagedFilesAppearOnlyOnCommitAndRecoveryFinishesACommittedManifest() throws {
        let dir = try TemporaryDirectory()
        let root = S3Root(path: dir.path)
        let final = try root.objectPath(bucket: "out-bucket", key: "k/part-0.csv")

        let aborted = try StagedObjects(root: root, executionId: "run-1")
        try Data("x".utf8).write(to: URL(fileURLWithPath: aborted.stage(finalPath: final)))
        aborted.abort()
        #expect(!FileManager.default.fileExists(atPath: final))

        let committed = try StagedObjects(root: root, executionId: "run-2")
        try Data("y".utf8).write(to: URL(fileURLWithPath: committed.stage(finalPath: final)))
        try committed.commit()
        #expect(try String(contentsOfFile: final, encoding: .utf8) == "y")

        // A run that died after writing its manifest but before renaming: recovery publishes it.
        let other = try root.objectPath(bucket: "out-bucket", key: "k/part-1.csv")
        let staging = StagedObjects.stagingDirectory(root: root, executionId: "run-3")
        try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: true)
        try Data("z".utf8).write(to: URL(fileURLWithPath: staging + "/000001.part"))
        try StagedObjects.writeDurably("\(staging)/000001.part\t\(other)", to: staging + "/MANIFEST")
        #expect(try StagedObjects.recover(root: root, executionId: "run-3"))
        #expect(try String(contentsOfFile: other, encoding: .utf8) == "z")
        #expect(!FileManager.default.fileExists(atPath: staging))

        // Without a manifest, recovery discards.
        let dead = StagedObjects.stagingDirectory(root: root, executionId: "run-4")
        try FileManager.default.createDirectory(atPath: dead, withIntermediateDirectories: true)
        try Data("partial".utf8).write(to: URL(fileURLWithPath: dead + "/000001.part"))
        #expect(try StagedObjects.recover(root: root, executionId: "run-4") == false)
        #expect(!FileManager.default.fileExists(atPath: dead))
    }
}
