import Foundation
import Testing
@testable import FlowlinePostgres

@Suite struct WarehouseMigrationsTests {
    /// migrations/postgres, found from this file's place in the repository.
    static var folder: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("migrations/postgres")
    }

    @Test func embeddedMigrationsMatchTheSQLFiles() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path).filter { $0.hasSuffix(".sql") }.sorted()
        #expect(files.map { String($0.dropLast(4)) } == WarehouseMigrations.all.map(\.id))
        for (file, migration) in zip(files, WarehouseMigrations.all) {
            let text = try String(contentsOf: Self.folder.appendingPathComponent(file), encoding: .utf8)
            #expect(text.trimmingCharacters(in: .whitespacesAndNewlines) == migration.sql.trimmingCharacters(in: .whitespacesAndNewlines),
                    "Sources/FlowlinePostgres/WarehouseMigrations.swift is out of date with migrations/postgres/\(file)")
        }
    }

    @Test func migratingTwiceAndConcurrentlyIsIdempotent() async throws {
        let settings = try TestDatabase.settings()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<3 {
                group.addTask {
                    let session = try await PostgresSession.connect(settings)
                    try await session.run { c in try WarehouseMigrator.migrate(c) }
                }
            }
            try await group.waitForAll()
        }
        let c = try PostgresConnection(settings)
        try WarehouseMigrator.migrate(c)
        #expect(try TestDatabase.psql("SELECT id FROM flowline.schema_migrations ORDER BY id") == "0001_flowline_load_ledger")
        #expect(try TestDatabase.psql("SELECT to_regclass('flowline.load_ledger') IS NOT NULL") == "t")
    }
}
