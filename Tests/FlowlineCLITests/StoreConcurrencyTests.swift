import Foundation
import Testing
import FlowlineTestSupport

/// Several `flowline` processes on one home at once, and a process killed mid-write.
@Suite struct StoreConcurrencyTests {
    @Test func parallelProcessesNeverSeeALockedDatabase() throws {
        let cli = try FlowlineCLI()
        try FileManager.default.createDirectory(at: cli.s3Root.appendingPathComponent("in-bucket"), withIntermediateDirectories: true)
        let source = #"{"connectorType": "S3", "sourceConnectorProperties": {"S3": {"bucketName": "in-bucket"}}}"#
        let dest = #"[{"connectorType": "S3", "destinationConnectorProperties": {"S3": {"bucketName": "out-bucket"}}}]"#
        let tasks = #"[{"sourceFields": [], "connectorOperator": {"S3": "NO_OP"}, "taskType": "Map_all", "taskProperties": {}}]"#
        let results = ResultBox()
        DispatchQueue.concurrentPerform(iterations: 16) { i in
            let r = try? cli.run(["create-flow", "--flow-name", "flow-\(i)", "--trigger-config", Examples.onDemandTrigger,
                                  "--source-flow-config", source, "--destination-flow-config-list", dest, "--tasks", tasks])
            results.append(r)
        }
        for r in results.all {
            #expect(r?.status == 0, "\(r?.stderr ?? "did not run")")
            #expect(!(r?.stderr.contains("locked") ?? false))
        }
        let flows = try cli.json(["list-flows"])["flows"] as! [[String: Any]]
        #expect(flows.count == 16)
    }

    @Test func killedWriterLeavesAStoreTheNextCommandOpens() throws {
        let cli = try FlowlineCLI()
        try FileManager.default.createDirectory(at: cli.s3Root.appendingPathComponent("in-bucket"), withIntermediateDirectories: true)
        #expect(try cli.run("list-flows").status == 0)   // creates and migrates the store
        let dest = #"[{"connectorType": "S3", "destinationConnectorProperties": {"S3": {"bucketName": "out-bucket"}}}]"#
        let source = #"{"connectorType": "S3", "sourceConnectorProperties": {"S3": {"bucketName": "in-bucket"}}}"#
        let tasks = #"[{"sourceFields": [], "connectorOperator": {"S3": "NO_OP"}, "taskType": "Map_all", "taskProperties": {}}]"#
        // Kill writers at staggered moments so some die inside their write.
        for i in 0..<12 {
            let p = try cli.start(["create-flow", "--flow-name", "k\(i)", "--trigger-config", Examples.onDemandTrigger,
                                   "--source-flow-config", source, "--destination-flow-config-list", dest, "--tasks", tasks,
                                   "--tags", #"{"a": "1", "b": "2"}"#])
            usleep(useconds_t(1_000 * (i * 3)))
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
        }
        let after = try cli.run("list-flows")
        #expect(after.status == 0, "\(after.stderr)")
        // Whatever survived is whole: every listed flow describes with its tags.
        let flows = (try JSONSerialization.jsonObject(with: Data(after.stdout.isEmpty ? "{}".utf8 : after.stdout.utf8)) as? [String: Any])?["flows"] as? [[String: Any]] ?? []
        for flow in flows {
            let described = try cli.json(["describe-flow", "--flow-name", flow["flowName"] as! String])
            #expect((described["tags"] as? [String: String]) == ["a": "1", "b": "2"])
        }
        let check = try Python.run("import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('pragma integrity_check').fetchone()[0])",
                                   [cli.home.file("flowline.db").path])
        #expect(check.trimmingCharacters(in: .whitespacesAndNewlines) == "ok")
    }
}

final class ResultBox: @unchecked Sendable {
    // @unchecked: every access holds the lock.
    private let lock = NSLock()
    private var items: [ProcessResult?] = []
    func append(_ r: ProcessResult?) { lock.lock(); items.append(r); lock.unlock() }
    var all: [ProcessResult?] { lock.lock(); defer { lock.unlock() }; return items }
}
