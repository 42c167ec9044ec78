import Foundation
import Testing
import FlowlineCore
import FlowlineTestSupport
@testable import FlowlineConnectors

/// Temporary files (a staged object, the commit manifest's temp file) are created anew, never
/// opened through a link someone left at their name: the link's target stays untouched.
@Suite struct TemporaryFileTests {
    @Test func theManifestTempFileDoesNotFollowAPlantedLink() throws {
        let dir = try TemporaryDirectory()
        let victim = try dir.write("victim.txt", "do not overwrite")
        let manifest = dir.file("MANIFEST").path
        try FileManager.default.createSymbolicLink(atPath: manifest + ".tmp", withDestinationPath: victim.path)
        #expect(throws: (any Error).self) { try StagedObjects.writeDurably("a\tb", to: manifest) }
        #expect(try String(contentsOf: victim, encoding: .utf8) == "do not overwrite")
    }

    @Test func aStagedObjectDoesNotFollowAPlantedLink() throws {
        let dir = try TemporaryDirectory()
        let victim = try dir.write("outside/victim.csv", "do not overwrite")
        let root = S3Root(path: dir.file("s3").path)
        let staged = try StagedObjects(root: root, executionId: "run-1")
        let path = staged.stage(finalPath: try root.objectPath(bucket: "out-bucket", key: "part-0.csv"))
        try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: victim.path)
        let schema = Schema([Field(name: "id", type: .string)])
        #expect(throws: (any Error).self) {
            let writer = try RecordFileWriters.make(.csv, path: path, schema: schema, preserveTypes: true)
            try writer.write(RecordBatch(schema: schema, rows: [[.string("planted")]]))
            _ = try writer.finish()
        }
        #expect(try String(contentsOf: victim, encoding: .utf8) == "do not overwrite")
    }
}
