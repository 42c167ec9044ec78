import Foundation
import Testing
import FlowlineTestSupport

/// SIGTERM while a run is in flight: the server stops, the run ends Canceled (never left
/// InProgress), and nothing it wrote is published.
@Suite(.serialized) struct ShutdownTests {
    @Test func sigtermCancelsARunInFlightCleanly() throws {
        // No grace period: the run is asked to cancel as soon as the server stops taking requests.
        let server = try ServerProcess(["--shutdown-grace", "0"])
        let executionId = try Self.startSlowRun(server)
        try Self.terminate(server)

        let row = try Self.storedExecution(server, executionId)
        #expect(row["status"] as? String == "Canceled", "\(row)")
        #expect((row["message"] as? String)?.contains("server was stopping") == true, "\(row)")

        // Nothing was published, and the run's staging area is gone.
        let out = server.cli.s3Root.appendingPathComponent("data/out")
        let published = FileManager.default.enumerator(atPath: out.path)?.allObjects as? [String] ?? []
        #expect(published.filter { $0.hasSuffix(".csv") }.isEmpty, "\(published)")
        let staging = server.cli.s3Root.appendingPathComponent(".flowline-staging/\(executionId)")
        #expect(!FileManager.default.fileExists(atPath: staging.path))
    }

    @Test func sigtermLetsARunFinishWithinTheGracePeriod() throws {
        let server = try ServerProcess(["--shutdown-grace", "600"])
        let executionId = try Self.startSlowRun(server)
        try Self.terminate(server)
        let row = try Self.storedExecution(server, executionId)
        #expect(row["status"] as? String == "Successful", "\(row)")
        #expect(row["records"] as? Int == Self.rows)
        let output = server.cli.s3Root.appendingPathComponent("data/out/slow/\(executionId)/part-00000.csv")
        let lines = try Python.run("import sys; print(sum(1 for _ in open(sys.argv[1])) - 1)", [output.path])
        #expect(lines.trimmingCharacters(in: .whitespacesAndNewlines) == String(Self.rows))
    }

    static let rows = 1_500_000

    /// Creates flow `slow` over a large CSV (so the run is still going when the signal arrives),
    /// starts it and returns once the run manager is performing it.
    static func startSlowRun(_ server: ServerProcess) throws -> String {
        let input = server.cli.s3Root.appendingPathComponent("data/in/big.csv")
        try FileManager.default.createDirectory(at: input.deletingLastPathComponent(), withIntermediateDirectories: true)
        _ = try Python.run("""
            import sys
            with open(sys.argv[1], "w") as f:
                f.write("id,name,amount\\n")
                for i in range(int(sys.argv[2])):
                    f.write("%d,customer-%d-with-a-longer-name,%d.25\\n" % (i, i, i))
            """, [input.path, String(rows)])
        let started = try server.python("""
            import urllib.request
            client.create_flow(**\(Fixtures.csvFlow("slow")))
            execution_id = client.start_flow(flowName="slow")["executionId"]
            # Wait until the run manager is performing it.
            while json.loads(urllib.request.urlopen(os.environ["FLOWLINE_ENDPOINT"] + "/health").read())["runsInFlight"] != 1:
                time.sleep(0.05)
            print(json.dumps({"executionId": execution_id}))
            """) as! [String: Any]
        return try #require(started["executionId"] as? String)
    }

    /// SIGTERM, then waits for the process to exit (killing it after ten minutes: a guard
    /// against a hang, not a timing assertion).
    static func terminate(_ server: ServerProcess) throws {
        kill(server.process.processIdentifier, SIGTERM)
        for _ in 0..<6000 where server.process.isRunning { usleep(100_000) }
        let exited = !server.process.isRunning
        if !exited { kill(server.process.processIdentifier, SIGKILL) }
        server.process.waitUntilExit()
        #expect(exited, "flowline serve did not exit after SIGTERM:\n\(server.log)")
        #expect(server.process.terminationStatus == 0)
    }

    /// The execution as stored, read directly: the CLI would repair a run left InProgress and hide the fault.
    static func storedExecution(_ server: ServerProcess, _ executionId: String) throws -> [String: Any] {
        try Python.json("""
            import json, sqlite3, sys
            db = sqlite3.connect(sys.argv[1])
            status, message, records = db.execute("SELECT status, execution_message, records_processed FROM executions WHERE execution_id = ?", (sys.argv[2],)).fetchone()
            print(json.dumps({"status": status, "message": message, "records": records}))
            """, [server.cli.home.url.appendingPathComponent("flowline.db").path, executionId]) as? [String: Any] ?? [:]
    }
}
