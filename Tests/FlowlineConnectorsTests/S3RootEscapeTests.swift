import Foundation
import Testing
import FlowlineTestSupport

/// Nothing a flow reads or writes, and nothing recovery moves, leaves `$FLOWLINE_S3_ROOT`:
/// symbolic links planted in a bucket and manifests planted in the staging area are refused.
@Suite(.serialized) struct S3RootEscapeTests {
    static let mapAll = #"[{"sourceFields": [], "connectorOperator": {"S3": "NO_OP"}, "taskType": "Map_all", "taskProperties": {}}]"#

    static func createFlow(_ cli: FlowlineCLI, _ name: String, source: (String, String), destination: (String, String)) throws {
        _ = try cli.json([
            "create-flow", "--flow-name", name, "--trigger-config", #"{"triggerType": "OnDemand"}"#,
            "--source-flow-config", #"{"connectorType": "S3", "sourceConnectorProperties": {"S3": {"bucketName": "\#(source.0)", "bucketPrefix": "\#(source.1)"}}}"#,
            "--destination-flow-config-list", #"[{"connectorType": "S3", "destinationConnectorProperties": {"S3": {"bucketName": "\#(destination.0)", "bucketPrefix": "\#(destination.1)", "s3OutputFormatConfig": {"fileType": "CSV"}}}}]"#,
            "--tasks", mapAll])
    }

    static func lastExecution(_ cli: FlowlineCLI, _ flow: String) throws -> [String: Any] {
        let records = try cli.json(["describe-flow-execution-records", "--flow-name", flow])
        return (records["flowExecutions"] as? [[String: Any]])?.first ?? [:]
    }

    /// Every file below `directory`, relative, sorted.
    static func files(_ directory: URL) -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: directory.path) else { return [] }
        var out: [String] = []
        while let relative = walker.nextObject() as? String {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: directory.path + "/" + relative, isDirectory: &isDirectory), !isDirectory.boolValue {
                out.append(relative)
            }
        }
        return out.sorted()
    }

    @Test func aSymlinkInABucketIsNotFollowedToReadOutsideTheRoot() throws {
        let cli = try FlowlineCLI()
        let outside = try TemporaryDirectory("flowline-outside")
        try outside.write("secrets/passwords.csv", "user,password\nroot,hunter2-outside-secret\n")
        try cli.putObject(bucket: "data", key: "readme.txt", "placeholder")
        // A folder of the bucket that is a link to a directory outside the root ...
        try FileManager.default.createSymbolicLink(atPath: cli.s3Root.appendingPathComponent("data/in").path,
                                                   withDestinationPath: outside.path)
        // ... and a whole bucket that is one; the prefixes reach through them into the outside folder.
        try FileManager.default.createSymbolicLink(atPath: cli.s3Root.appendingPathComponent("linked").path,
                                                   withDestinationPath: outside.path)
        try Self.createFlow(cli, "through-folder-link", source: ("data", "in/secrets/"), destination: ("sink", "out"))
        try Self.createFlow(cli, "through-bucket-link", source: ("linked", "secrets/"), destination: ("sink", "out"))
        for flow in ["through-folder-link", "through-bucket-link"] {
            let run = try cli.run("start-flow", "--flow-name", flow)
            #expect(run.status != 0, "\(flow) read through a link: \(run.stdout)")
            let execution = try Self.lastExecution(cli, flow)
            #expect(execution["executionStatus"] as? String == "Error")
            let message = (execution["executionResult"] as? [String: Any])?["errorInfo"].flatMap { ($0 as? [String: Any])?["executionMessage"] as? String }
                ?? execution["executionMessage"] as? String ?? ""
            #expect(message.contains("symbolic link"), "\(flow): \(message)")
        }
        let written = Self.files(cli.s3Root.appendingPathComponent("sink"))
        for file in written {
            let text = try String(contentsOf: cli.s3Root.appendingPathComponent("sink/\(file)"), encoding: .utf8)
            #expect(!text.contains("hunter2-outside-secret"))
        }
        #expect(written.isEmpty, "\(written)")
    }

    @Test func aSymlinkInABucketIsNotFollowedToWriteOutsideTheRoot() throws {
        let cli = try FlowlineCLI()
        let outside = try TemporaryDirectory("flowline-outside")
        try cli.putObject(bucket: "data", key: "in/rows.csv", "id,name\n1,Ada\n")
        try FileManager.default.createDirectory(at: cli.s3Root.appendingPathComponent("sink"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: cli.s3Root.appendingPathComponent("sink/out").path,
                                                   withDestinationPath: outside.path)
        try Self.createFlow(cli, "into-link", source: ("data", "in/"), destination: ("sink", "out"))
        let run = try cli.run("start-flow", "--flow-name", "into-link")
        #expect(run.status != 0, "the run wrote through a link: \(run.stdout)")
        let execution = try Self.lastExecution(cli, "into-link")
        #expect(execution["executionStatus"] as? String == "Error")
        #expect("\(execution)".contains("symbolic link"), "\(execution)")
        #expect(Self.files(outside.url).isEmpty, "files appeared outside the root: \(Self.files(outside.url))")
    }

    @Test func aPlantedManifestMovesNothing() throws {
        let cli = try FlowlineCLI()
        let outside = try TemporaryDirectory("flowline-outside")
        let victim = try outside.write("victim/id_rsa", "PRIVATE KEY outside the root")
        try cli.putObject(bucket: "data", key: "in/rows.csv", "id,name\n1,Ada\n")
        try Self.createFlow(cli, "planted", source: ("data", "in/"), destination: ("sink", "out"))
        #expect(try cli.run("start-flow", "--flow-name", "planted").status == 0)
        let executionId = try Self.lastExecution(cli, "planted")["executionId"] as? String ?? ""
        let published = Self.files(cli.s3Root.appendingPathComponent("sink"))

        // Make that execution look like a run whose process died, and plant its staging folder.
        let dead = Process()
        dead.executableURL = URL(fileURLWithPath: "/bin/true")
        try dead.run()
        dead.waitUntilExit()
        _ = try Python.run("""
            import sqlite3, sys
            db = sqlite3.connect(sys.argv[1])
            db.execute("UPDATE executions SET status = 'InProgress', runner_pid = ?, runner_host = NULL WHERE execution_id = ?",
                       (int(sys.argv[2]), sys.argv[3]))
            db.commit()
            """, [cli.home.file("flowline.db").path, String(dead.processIdentifier), executionId])
        let staging = cli.s3Root.appendingPathComponent(".flowline-staging/\(executionId)")
        try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
        try Data("staged bytes".utf8).write(to: staging.appendingPathComponent("000001.part"))
        let manifest = [
            // An outside file moved into a bucket (to read it), and a staged file moved outside (to plant it).
            "\(victim.path)\t\(cli.s3Root.path)/sink/stolen/id_rsa",
            "\(staging.path)/000001.part\t\(outside.path)/planted.txt",
            "\(staging.path)/../../sink/x\t\(cli.s3Root.path)/sink/escaped.txt",
            "\(staging.path)/000001.part\t\(cli.s3Root.path)/../escaped-root.txt",
        ].joined(separator: "\n")
        try Data(manifest.utf8).write(to: staging.appendingPathComponent("MANIFEST"))

        // The next command that looks at the flow recovers the dead run.
        let execution = try Self.lastExecution(cli, "planted")
        #expect(execution["executionStatus"] as? String == "Error", "\(execution)")
        #expect(try String(contentsOf: victim, encoding: .utf8) == "PRIVATE KEY outside the root")
        #expect(Self.files(outside.url) == ["victim/id_rsa"])
        #expect(Self.files(cli.s3Root.appendingPathComponent("sink")) == published)
        #expect(!FileManager.default.fileExists(atPath: cli.s3Root.deletingLastPathComponent().appendingPathComponent("escaped-root.txt").path))
    }

    @Test func theStagingAreaIsPrivateToItsOwner() throws {
        let cli = try FlowlineCLI()
        try cli.putObject(bucket: "data", key: "in/rows.csv", "id,name\n1,Ada\n")
        try Self.createFlow(cli, "private-staging", source: ("data", "in/"), destination: ("sink", "out"))
        #expect(try cli.run("start-flow", "--flow-name", "private-staging").status == 0)
        let attributes = try FileManager.default.attributesOfItem(atPath: cli.s3Root.appendingPathComponent(".flowline-staging").path)
        #expect((attributes[.posixPermissions] as? Int).map { $0 & 0o777 } == 0o700)
        #expect((attributes[.ownerAccountID] as? NSNumber)?.uint32Value == getuid())
    }
}
