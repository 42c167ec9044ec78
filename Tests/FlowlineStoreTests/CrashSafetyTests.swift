import Foundation
import Testing
@testable import FlowlineStore

/// A writer killed mid-transaction leaves a database the next open uses cleanly.
@Suite struct CrashSafetyTests {
    @Test func aWriterKilledMidTransactionLeavesNoTrace() throws {
        let temp = TemporaryHome()
        let store = try temp.openStore()
        try store.write { try $0.insertFlow(sampleFlow("f")) }
        // The child commits 10 rows, then writes 20000 large rows in one transaction (enough that
        // sqlite spills uncommitted pages into the WAL), reports, and waits to be killed.
        let child = try PythonChild(script: """
            import sqlite3, sys, time
            db = sqlite3.connect(sys.argv[1], timeout=30, isolation_level=None)
            db.execute("PRAGMA cache_size=100")
            db.execute("BEGIN IMMEDIATE")
            for i in range(10):
                db.execute("INSERT INTO resource_tags VALUES (?, 'k', 'v')", ("arn:committed:%d" % i,))
            db.execute("COMMIT")
            db.execute("BEGIN IMMEDIATE")
            for i in range(20000):
                db.execute("INSERT INTO resource_tags VALUES (?, 'k', ?)", ("arn:partial:%d" % i, "x" * 200))
            db.execute("UPDATE flows SET flow_status = 'Corrupted'")
            print("mid-transaction", flush=True)
            time.sleep(600)
            """, arguments: [temp.home.databaseURL.path])
        #expect(child.readLine() == "mid-transaction")
        let walSize = try FileManager.default.attributesOfItem(atPath: temp.home.databaseURL.path + "-wal")[.size] as? Int
        #expect((walSize ?? 0) > 1_000_000, "the uncommitted transaction should have reached the WAL")
        kill(child.process.processIdentifier, SIGKILL)
        #expect(child.wait() == SIGKILL)

        let reopened = try temp.openStore()
        #expect(try reopened.integrityCheck() == ["ok"])
        let counts = try reopened.read { tx throws in
            try ["arn:committed:%", "arn:partial:%"].map { pattern in
                try tx.query("SELECT COUNT(*) AS n FROM resource_tags WHERE resource_arn LIKE ?", [.text(pattern)])
                    .first!.int64("n")
            }
        }
        #expect(counts == [10, 0])
        #expect(try reopened.read { try $0.flow(named: "f")?.flowStatus } == "Active")
        // And it takes new writes (the dead writer's lock is gone).
        try reopened.write { try $0.setFlowStatus(named: "f", status: "Suspended", lastUpdatedAt: date(1)) }
        #expect(try reopened.read { try $0.flow(named: "f")?.flowStatus } == "Suspended")
        // An independent reader agrees.
        let check = try python("""
            import sqlite3, sys
            db = sqlite3.connect(sys.argv[1])
            print(db.execute("PRAGMA integrity_check").fetchone()[0])
            print(db.execute("SELECT COUNT(*) FROM resource_tags").fetchone()[0])
            """, [temp.home.databaseURL.path])
        #expect(check == "ok\n10")
    }
}
