import Foundation
import Testing
import FlowlineTestSupport

/// SIGTERM while a run is in flight: the server stops, the run ends Canceled (never left
/// InProgress), and nothing it wrote is published.
@Suite(.serialized) struct ShutdownTests {
    @Test func sigtermCancelsARunInFlightCleanly() throws {
        // No grace period: the run is asked to cancel as soon as the server stops taking requests.
        let server = try ServerProcess(["--shutdown-grace", "0"])
        // A large input, so the run is still reading when the signal arrives.
        let input = server.cli.s3Root.appendingPathComponent("data/in/big.csv")
        try FileManager.default.createDirectory(at: input.deletingLastPathComponent(), withIntermediateDirectories: true)
        _ = try Python.run("""
            import sys
            with open(sys.argv[1], "w") as f:
                f.write("id,name,amount\\n")
                for i in range(1_500_000):
                    f.write("%d,customer-%d-with-a-longer-name,%d.25\\n" % (i, i, i))
            """, [input.path])
        let started = try server.python("""
            import urllib.request
            client.create_flow(**\(Fixtures.csvFlow("slow")))
            execution_id = client.start_flow(flowName="slow")["executionId"]
            # Wait until the run manager is performing it.
            while json.loads(urllib.request.urlopen(os.environ["FLOWLINE_ENDPOINT"] + "/health").read())["runsInFlight"] != 1:
                time.sleep(0.05)
            print(json.dumps({"executionId": execution_id}))
            """) as! [String: Any]
        let executionId = try #require(started["executionId"] as? String)

        kill(server.process.processIdentifier, SIGTERM)
        // Guard against a hang (not a timing assertion): give up after two minutes.
        for _ in 0..<1200 where server.process.isRunning { usleep(100_000) }
        let exited = !server.process.isRunning
        if !exited { kill(server.process.processIdentifier, SIGKILL) }
        server.process.waitUntilExit()
        #expect(exited, "flowline serve did not exit after SIGTERM:\n\(server.log)")
        #expect(server.process.terminationStatus == 0)

        // Read the store directly: the CLI would repair a run left InProgress and hide the fault.
        let row = try Python.json("""
            import json, sqlite3, sys
            db = sqlite3.connect(sys.argv[1])
            status, message = db.execute("SELECT status, execution_message FROM executions WHERE execution_id = ?", (sys.argv[2],)).fetchone()
            print(json.dumps({"status": status, "message": message}))
            """, [server.cli.home.url.appendingPathComponent("flowline.db").path, executionId]) as! [String: Any]
        #expect(row["status"] as? String == "Canceled", "\(row)")
        #expect((row["message"] as? String)?.contains("server was stopping") == true, "\(row)")

        // Nothing was published, and the run's staging area is gone.
        let out = server.cli.s3Root.appendingPathComponent("data/out")
        let published = FileManager.default.enumerator(atPath: out.path)?.allObjects as? [String] ?? []
        #expect(published.filter { !$0.hasSuffix("/") && $0.contains(".") }.isEmpty, "\(published)")
        let staging = server.cli.s3Root.appendingPathComponent(".flowline-staging/\(executionId)")
        #expect(!FileManager.default.fileExists(atPath: staging.path))
    }
}
