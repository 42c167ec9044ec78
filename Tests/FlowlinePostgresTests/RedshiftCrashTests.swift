import Foundation
import Testing
import FlowlineTestSupport

/// Exactly-once loading when the `flowline` process dies: mid-load, and between the warehouse
/// commit and its own store update.
@Suite struct RedshiftCrashTests {
    /// Waits (polling, no time limit asserted) until `condition` holds; gives up after `attempts`.
    private func waitFor(attempts: Int = 600, _ condition: () throws -> Bool) rethrows -> Bool {
        for _ in 0..<attempts {
            if try condition() { return true }
            usleep(100_000)
        }
        return false
    }

    @Test func killMinus9MidLoadLeavesNothingAndARerunLoadsEverythingOnce() throws {
        let h = try RedshiftHarness()
        let table = TestDatabase.uniqueTable("killed")
        try TestDatabase.psql("CREATE TABLE \(table) (id bigint, name text, note text); INSERT INTO \(table) VALUES (0, 'before', NULL)")
        let rows = 400_000
        var csv = "id,name,note\n"
        csv.reserveCapacity(rows * 40)
        for i in 1...rows { csv += "\(i),name \(i),\"a note, with a comma\"\n" }
        try h.cli.putObject(bucket: "big", key: "in/rows.csv", csv)
        try h.createFlow("big", bucket: "big", prefix: "in/", table: table)

        let process = try h.cli.start(["start-flow", "--flow-name", "big"])
        let copying = try waitFor {
            try TestDatabase.psql("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'flowline' AND query LIKE 'COPY %\(table)%' AND state = 'active'") != "0"
                || !process.isRunning
        }
        #expect(copying)
        #expect(process.isRunning, "the load finished before it could be killed; make the input larger")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()

        // The server notices the dead client and rolls its transaction back.
        #expect(try waitFor { try TestDatabase.psql("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'flowline' AND query LIKE 'COPY %\(table)%'") == "0" })
        #expect(try TestDatabase.psql("SELECT string_agg(id || name, ',') FROM \(table)") == "0before")

        let (executionId, r) = try h.start("big")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try TestDatabase.count(table) == rows + 1)
        #expect(try TestDatabase.psql("SELECT count(DISTINCT id) FROM \(table)") == String(rows + 1))
        let runs = try h.executions("big")
        #expect(runs.map { $0["executionStatus"] as? String } == ["Successful", "Error"])
        #expect(try TestDatabase.psql("SELECT string_agg(execution_id, ',') FROM flowline.load_ledger WHERE target_table = '\(table)'") == executionId)
    }

    @Test func aCrashAfterTheWarehouseCommitIsReconciledWithoutReloadingOrSkipping() throws {
        let table = TestDatabase.uniqueTable("ledger")
        let trigger = #"{"triggerType": "Scheduled", "triggerProperties": {"Scheduled": {"scheduleExpression": "rate(1hours)", "dataPullMode": "Incremental"}}}"#
        // Milliseconds, so a record stamped just now falls after the first run's start.
        func stamp(_ date: Date) -> String {
            let f = ISO8601DateFormatter()
            f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            return f.string(from: date)
        }
        let now = Date()
        let h = try RedshiftHarness()
        try h.cli.putObject(bucket: "events", key: "day1.csv",
                            "id,updated\n1,\(stamp(now.addingTimeInterval(-86_400)))\n2,\(stamp(now.addingTimeInterval(-3_600)))\n")
        try h.createFlow("inc", bucket: "events", table: table, trigger: trigger, incrementalField: "updated")
        var hooked = h.cli.environment
        hooked["FLOWLINE_TEST_EXIT_AFTER_WAREHOUSE_COMMIT"] = "1"
        let first = try Subprocess.run(FlowlineCLI.binary, ["run-flow", "--flow-name", "inc"], environment: hooked)
        #expect(first.status == 75, "\(first.stderr)")            // exited right after the warehouse commit
        #expect(try TestDatabase.count(table) == 2)

        // The store still says InProgress for a dead process; the next command reconciles it.
        let records = try h.executions("inc")
        #expect(records.count == 1)
        #expect(records.first?["executionStatus"] as? String == "Successful")
        let result = records.first?["executionResult"] as? [String: Any]
        #expect(result?["recordsProcessed"] as? Int == 2)
        let firstId = records.first?["executionId"] as? String ?? ""
        #expect(try TestDatabase.psql("SELECT records_copied FROM flowline.load_ledger WHERE execution_id = '\(firstId)'") == "2")

        // A record newer than the first run's window end: the next run takes it and only it.
        try h.cli.putObject(bucket: "events", key: "day2.csv", "id,updated\n3,\(stamp(Date()))\n")
        let second = try h.cli.run("run-flow", "--flow-name", "inc")
        #expect(second.status == 0, "\(second.stderr)")
        #expect(try TestDatabase.psql("SELECT string_agg(id, ',' ORDER BY id) FROM \(table)") == "1,2,3")
        let all = try h.executions("inc")
        #expect(all.count == 2)
        #expect(all.allSatisfy { $0["executionStatus"] as? String == "Successful" })
    }
}

