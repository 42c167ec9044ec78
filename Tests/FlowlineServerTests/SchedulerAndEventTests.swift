import Foundation
import Testing
import FlowlineTestSupport

/// The scheduler, deactivation, Salesforce change events and notifications, on a running server
/// whose scheduled time passes 120 times faster (`--scheduler-speed`), so a minute takes half a second.
@Suite(.serialized) struct SchedulerAndEventTests {
    @Test func aRateFlowFiresAndEveryRunIsReported() throws {
        // The receiver refuses the first event: delivery must retry it.
        let receiver = try WebhookReceiver(failFirst: 1)
        let server = try ServerProcess(["--scheduler-speed", "120", "--scheduler-tick", "0.2", "--webhook", receiver.url])
        try server.cli.putObject(bucket: "data", key: "in/accounts.csv", Fixtures.accounts)
        let result = try server.python("""
            trigger = {"triggerType": "Scheduled", "triggerProperties": {"Scheduled": {"scheduleExpression": "rate(1minutes)"}}}
            client.create_flow(**dict(\(Fixtures.csvFlow("every-minute")), triggerConfig=trigger))
            client.start_flow(flowName="every-minute")
            deadline = time.time() + 90
            done = []
            while time.time() < deadline and not done:
                done = [e for e in client.describe_flow_execution_records(flowName="every-minute")["flowExecutions"]
                        if e["executionStatus"] == "Successful"]
                time.sleep(0.2)
            client.stop_flow(flowName="every-minute")
            print(json.dumps({"executionId": done[0]["executionId"] if done else None,
                              "records": done[0]["executionResult"]["recordsProcessed"] if done else None}))
            """) as! [String: Any]
        let executionId = try #require(result["executionId"] as? String)
        #expect(result["records"] as? Int == 3)
        // The events log holds a start and an end report of that run, shaped like AppFlow's EventBridge events.
        let events = try Self.events(server.eventsLog).filter { ($0["detail"] as? [String: Any])?["execution-id"] as? String == executionId }
        let types = events.map { $0["detail-type"] as? String }
        #expect(types == ["AppFlow Start Flow Run Report", "AppFlow End Flow Run Report"])
        let end = try #require(events.last)
        #expect(end["source"] as? String == "aws.appflow")
        let detail = try #require(end["detail"] as? [String: Any])
        #expect(detail["flow-name"] as? String == "every-minute")
        #expect(detail["status"] as? String == "Execution Successful")
        #expect(detail["num-of-records-processed"] as? String == "3")
        #expect(detail["trigger-type"] as? String == "SCHEDULED")
        // The webhook received the same end report (delivery is asynchronous: wait for it).
        let delivered = try receiver.waitFor { body in body.contains(executionId) && body.contains("End Flow Run Report") }
        #expect(delivered)
        // The refused first event (the first run's start report) arrived on a later attempt.
        let firstStart = try #require(try Self.events(server.eventsLog).first)
        let firstStartId = try #require((firstStart["detail"] as? [String: Any])?["execution-id"] as? String)
        #expect(try receiver.waitFor { body in body.contains(firstStartId) && body.contains("Start Flow Run Report") })
        #expect(receiver.refusedCount == 1)
        // Prometheus metrics count the run.
        let metrics = try Python.run("import urllib.request,sys; print(urllib.request.urlopen(sys.argv[1] + '/metrics').read().decode())", [server.endpoint])
        #expect(metrics.contains("flowline_runs_finished_total{status=\"Successful\"}"))
        #expect(metrics.contains("flowline_runs_started_total{trigger=\"SCHEDULED\"}"))
        #expect(metrics.contains("# TYPE flowline_run_duration_seconds histogram"))
    }

    @Test func repeatedFailuresDeactivateTheFlow() throws {
        let server = try ServerProcess(["--scheduler-speed", "120", "--scheduler-tick", "0.2"])
        try server.cli.putObject(bucket: "data", key: "in/accounts.csv", Fixtures.accounts)
        _ = try server.python("""
            trigger = {"triggerType": "Scheduled", "triggerProperties": {"Scheduled": {"scheduleExpression": "rate(1minutes)",
                       "flowErrorDeactivationThreshold": 2}}}
            client.create_flow(**dict(\(Fixtures.csvFlow("fragile")), triggerConfig=trigger))
            print("{}")
            """)
        // Every run fails from now on: the source bucket is gone.
        try FileManager.default.removeItem(at: server.cli.s3Root.appendingPathComponent("data"))
        let result = try server.python("""
            client.start_flow(flowName="fragile")
            deadline = time.time() + 90
            flow = {"flowStatus": "Active"}
            while time.time() < deadline and flow["flowStatus"] == "Active":
                flow = client.describe_flow(flowName="fragile")
                time.sleep(0.2)
            runs = client.describe_flow_execution_records(flowName="fragile")["flowExecutions"]
            # Reactivating clears the reason (and stopping again keeps further runs from failing).
            client.start_flow(flowName="fragile")
            reactivated = client.describe_flow(flowName="fragile")
            client.stop_flow(flowName="fragile")
            print(json.dumps({"status": flow["flowStatus"], "message": flow.get("flowStatusMessage"),
                              "errors": [e["executionStatus"] for e in runs],
                              "reactivatedMessage": reactivated.get("flowStatusMessage")}))
            """) as! [String: Any]
        #expect(result["status"] as? String == "Suspended")
        #expect((result["errors"] as? [String])?.prefix(2) == ["Error", "Error"])
        let message = try #require(result["message"] as? String)
        #expect(message.contains("2 consecutive failed runs"))
        #expect(result["reactivatedMessage"] == nil || result["reactivatedMessage"] is NSNull)
        let deactivations = try Self.events(server.eventsLog).filter { $0["detail-type"] as? String == "AppFlow Flow Deactivated" }
        #expect(deactivations.count == 1)
        #expect(((deactivations.first?["detail"] as? [String: Any])?["message"] as? String)?.contains("2 consecutive failed runs") == true)
    }

    @Test func salesforceChangeEventsStartAnEventFlow() throws {
        let server = try ServerProcess()
        // The flow's bucket holds other records: an event run must carry only the changed ones.
        try server.cli.putObject(bucket: "data", key: "in/accounts.csv", Fixtures.accounts)
        let result = try server.python(Fixtures.changeEventHelpers + """
            client.create_flow(**dict(\(Fixtures.csvFlow("on-change")), triggerConfig={"triggerType": "Event"}))
            before = post_events("on-change", [change(["001A"], Name="Acme")])
            client.start_flow(flowName="on-change")
            # Three records: 001A changed twice (the later name wins), 001B and 001C in one event.
            events = [change(["001A"], Name="Acme", NumberOfEmployees=120),
                      change(["001B", "001C"], Name="Globex"),
                      change(["001A"], Name="Acme, Inc.")]
            status, body = post_events("on-change", events)
            record = wait_for("on-change", body["executionId"])
            bad = post_events("on-change", [{"payload": {}}])
            print(json.dumps({"before": before[0], "status": status, "changed": body["changedRecords"],
                              "executionId": body["executionId"], "run": record["executionStatus"],
                              "records": record["executionResult"]["recordsProcessed"], "bad": bad[0]}))
            """) as! [String: Any]
        #expect(result["before"] as? Int == 409)
        #expect(result["status"] as? Int == 202)
        #expect(result["changed"] as? Int == 3)
        #expect(result["run"] as? String == "Successful")
        #expect(result["records"] as? Int == 3)
        #expect(result["bad"] as? Int == 400)
        let executionId = try #require(result["executionId"] as? String)
        // The destination holds exactly the changed records, read back with Python's csv module.
        let output = server.cli.s3Root.appendingPathComponent("data/out/on-change/\(executionId)/part-00000.csv")
        let rows = try Python.run("""
            import csv, json, sys
            print(json.dumps(list(csv.DictReader(open(sys.argv[1], newline="")))))
            """, [output.path])
        let read = try JSONSerialization.jsonObject(with: Data(rows.utf8)) as? [[String: String]]
        #expect(read == [["Id": "001A", "Name": "Acme, Inc.", "NumberOfEmployees": "120"],
                         ["Id": "001B", "Name": "Globex", "NumberOfEmployees": ""],
                         ["Id": "001C", "Name": "Globex", "NumberOfEmployees": ""]])
        // Once the destination committed, the kept events are gone.
        let kept = server.cli.home.url.appendingPathComponent("events/incoming/on-change/\(executionId).json")
        #expect(!FileManager.default.fileExists(atPath: kept.path))
        let reports = try Self.events(server.eventsLog).filter { ($0["detail"] as? [String: Any])?["execution-id"] as? String == executionId }
        #expect(reports.compactMap { ($0["detail"] as? [String: Any])?["trigger-type"] as? String } == ["EVENT", "EVENT"])
    }

    static func events(_ url: URL) throws -> [[String: Any]] {
        let text = try String(contentsOf: url, encoding: .utf8)
        return try text.split(separator: "\n").map { line in
            try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
        }
    }
}

/// A Python HTTP server on a free loopback port that appends every POSTed body to a file. The
/// first `failFirst` POSTs are answered 503 (and counted in `refused`), to exercise retries.
final class WebhookReceiver: @unchecked Sendable {
    // @unchecked: immutable after init.
    let process: Process
    let directory: TemporaryDirectory
    let url: String

    init(failFirst: Int = 0) throws {
        directory = try TemporaryDirectory("webhook")
        let file = directory.file("received.jsonl").path
        let portFile = directory.file("port").path
        process = Process()
        process.executableURL = URL(fileURLWithPath: Subprocess.which("python3") ?? "/usr/bin/python3")
        process.arguments = ["-c", """
            import http.server, os, sys, threading
            lock = threading.Lock()
            refusals = [int(sys.argv[3])]
            class H(http.server.BaseHTTPRequestHandler):
                def do_POST(self):
                    body = self.rfile.read(int(self.headers["Content-Length"]))
                    with lock:
                        refuse = refusals[0] > 0
                        refusals[0] -= 1
                    if refuse:
                        with open(sys.argv[1] + ".refused", "ab") as f: f.write(body + b"\\n")
                        self.send_response(503); self.end_headers(); return
                    with open(sys.argv[1], "ab") as f: f.write(body + b"\\n")
                    self.send_response(204); self.end_headers()
                def log_message(self, *a): pass
            s = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
            with open(sys.argv[2] + ".tmp", "w") as f: f.write(str(s.server_address[1]))
            os.rename(sys.argv[2] + ".tmp", sys.argv[2])
            s.serve_forever()
            """, file, portFile, String(failFirst)]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // The receiver writes its port to a file once it listens (renamed into place, so never half-written).
        var port = ""
        for _ in 0..<100 where port.isEmpty {
            port = (try? String(contentsOfFile: portFile, encoding: .utf8)) ?? ""
            if port.isEmpty { usleep(50_000) }
        }
        url = "http://127.0.0.1:\(port)/hook"
    }

    /// How many POSTs were answered 503.
    var refusedCount: Int {
        let text = (try? String(contentsOf: directory.file("received.jsonl.refused"), encoding: .utf8)) ?? ""
        return text.split(separator: "\n").count
    }

    /// Polls the received bodies until one matches (up to 30 s).
    func waitFor(_ match: (String) -> Bool) throws -> Bool {
        for _ in 0..<300 {
            let text = (try? String(contentsOf: directory.file("received.jsonl"), encoding: .utf8)) ?? ""
            if text.split(separator: "\n").contains(where: { match(String($0)) }) { return true }
            usleep(100_000)
        }
        return false
    }

    deinit {
        // SIGKILL: a child spawned from a test thread may inherit a mask that blocks SIGTERM.
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }
}
