import Foundation
import Testing
@testable import FlowlineStore

@Suite struct MigratorTests {
    @Test func freshDatabaseGetsEveryMigrationRecorded() throws {
        let temp = TemporaryHome()
        let store = try temp.openStore()
        #expect(try store.schemaVersion() == Migrator().newestVersion)
        // An independent reader sees the recorded migrations and the tables.
        let out = try python("""
            import sqlite3, sys
            db = sqlite3.connect(sys.argv[1])
            print([tuple(r) for r in db.execute("SELECT version, name FROM schema_migrations ORDER BY version")])
            print(sorted(r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")))
            """, [temp.home.databaseURL.path])
        let lines = out.split(separator: "\n")
        // Every migration the binary carries, in order, by the name its file gives.
        let expected = EmbeddedMigrations.all.map { "(\($0.version), '\($0.name)')" }.joined(separator: ", ")
        #expect(lines[0] == "[\(expected)]")
        for table in ["connector_profiles", "flows", "flow_profile_links", "resource_tags", "executions",
                      "flow_watermarks", "idempotency_tokens", "customer_keys", "schema_migrations"] {
            #expect(lines[1].contains("'\(table)'"))
        }
    }

    @Test func rerunningIsANoOp() throws {
        let temp = TemporaryHome()
        _ = try temp.openStore()
        let connection = try Connection(path: temp.home.databaseURL.path)
        #expect(try Migrator().migrate(connection) == [])
        _ = try temp.openStore()
        #expect(try connection.query("SELECT COUNT(*) AS n FROM schema_migrations").first?.int64("n") == Int64(EmbeddedMigrations.all.count))
    }

    @Test func appliesInOrderEachInItsOwnTransaction() throws {
        let temp = TemporaryHome()
        try temp.home.prepare()
        let connection = try Connection(path: temp.home.databaseURL.path)
        let good = try Migration(fileName: "0001_first.sql", sql: "CREATE TABLE a (x INTEGER);")
        let second = try Migration(fileName: "0002_second.sql", sql: "CREATE TABLE b (x INTEGER); INSERT INTO a VALUES (1);")
        let broken = try Migration(fileName: "0003_broken.sql", sql: "CREATE TABLE c (x INTEGER); NOT SQL;")
        // Given out of order: the migrator sorts them.
        #expect(throws: SQLiteError.self) { try Migrator(migrations: [broken, second, good]).migrate(connection) }
        #expect(try Migrator.appliedVersion(connection) == 2)
        #expect(try connection.query("SELECT x FROM a").map { try $0.int64("x") } == [1])
        // The broken migration's table was rolled back with it.
        #expect(try connection.query("SELECT name FROM sqlite_master WHERE name = 'c'").isEmpty)
    }

    @Test func newerDatabaseIsRefused() throws {
        let temp = TemporaryHome()
        _ = try temp.openStore()
        let newest = Migrator().newestVersion
        let connection = try Connection(path: temp.home.databaseURL.path)
        try connection.run("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, 'future', 0)",
                           [.integer(Int64(newest + 41))])
        let error = #expect(throws: StoreError.self) { try temp.openStore() }
        #expect(error == .schemaTooNew(path: temp.home.databaseURL.path, found: newest + 41, known: newest))
        #expect("\(error!)".hasSuffix(
            "was written by a newer Flowline (schema version \(newest + 41); this binary knows up to \(newest))"))
    }
}
