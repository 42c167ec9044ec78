import Foundation
import Testing
@testable import FlowlineStore

/// Several writers on one home at once: no "database is locked", no lost rows.
@Suite struct ConcurrencyTests {
    @Test func threadsWithTheirOwnConnectionsHammerWrites() throws {
        let temp = TemporaryHome()
        let setup = try temp.openStore()
        try setup.write { try $0.insertFlow(sampleFlow("f")) }
        let threads = 4
        let writesPerThread = 40
        let errors = ErrorLog()
        let group = DispatchGroup()
        let home = temp.home
        for thread in 0..<threads {
            group.enter()
            Thread {
                defer { group.leave() }
                do {
                    let store = try MetadataStore(home: home)
                    for index in 0..<writesPerThread {
                        try store.write { tx throws in
                            let id = "t\(thread)-\(index)"
                            try tx.insertExecution(sampleExecution(id, flow: "f", startedAt: date(index)))
                            try tx.setTags(["k": id], forResource: "arn:test:\(id)")
                        }
                    }
                } catch {
                    errors.record(error)
                }
            }.start()
        }
        group.wait()
        #expect(errors.all == [])
        let count = try setup.read { tx throws in
            try tx.query("SELECT COUNT(*) AS n FROM executions").first!.int64("n")
        }
        #expect(count == Int64(threads * writesPerThread))
        #expect(try setup.integrityCheck() == ["ok"])
    }

    @Test func oneStoreSharedByManyThreadsSerializesSafely() throws {
        let temp = TemporaryHome()
        let store = try temp.openStore()
        let errors = ErrorLog()
        DispatchQueue.concurrentPerform(iterations: 8) { worker in
            do {
                for index in 0..<20 {
                    try store.write { try $0.setTags(["n": "\(index)"], forResource: "arn:w:\(worker):\(index)") }
                    _ = try store.read { try $0.tags(forResource: "arn:w:\(worker):\(index)") }
                }
            } catch {
                errors.record(error)
            }
        }
        #expect(errors.all == [])
        #expect(try store.read { try $0.query("SELECT COUNT(*) AS n FROM resource_tags").first!.int64("n") } == 160)
    }

    @Test func aPythonProcessWritesWhileThisProcessWrites() throws {
        let temp = TemporaryHome()
        let store = try temp.openStore()
        let pythonRows = 300
        // Python's own sqlite3 module, in its own process, each row its own BEGIN IMMEDIATE.
        let child = try PythonChild(script: """
            import sqlite3, sys
            db = sqlite3.connect(sys.argv[1], timeout=30, isolation_level=None)
            for i in range(int(sys.argv[2])):
                db.execute("BEGIN IMMEDIATE")
                db.execute("INSERT INTO resource_tags VALUES (?, 'k', 'v')", ("arn:py:%d" % i,))
                db.execute("COMMIT")
                if i == 0:
                    print("started", flush=True)
            print("done", flush=True)
            """, arguments: [temp.home.databaseURL.path, String(pythonRows)])
        #expect(child.readLine() == "started")
        let swiftRows = 300
        for index in 0..<swiftRows {
            try store.write { try $0.setTags(["k": "v"], forResource: "arn:swift:\(index)") }
        }
        #expect(child.readLine() == "done")
        #expect(child.wait() == 0)
        let counts = try store.read { tx throws in
            try ["arn:py:%", "arn:swift:%"].map { pattern in
                try tx.query("SELECT COUNT(*) AS n FROM resource_tags WHERE resource_arn LIKE ?", [.text(pattern)])
                    .first!.int64("n")
            }
        }
        #expect(counts == [Int64(pythonRows), Int64(swiftRows)])
        #expect(try store.integrityCheck() == ["ok"])
    }
}
