import Foundation
import Testing
@testable import FlowlineStore

/// The binary must carry exactly the files in migrations/sqlite, byte for byte.
@Suite struct EmbeddedMigrationsTests {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("migrations/sqlite")

    @Test func embeddedCopyMatchesTheMigrationFiles() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.directory.path)
            .filter { $0.hasSuffix(".sql") }.sorted()
        #expect(!files.isEmpty)
        #expect(EmbeddedMigrations.all.map(\.fileName) == files)
        for migration in EmbeddedMigrations.all {
            let onDisk = try String(contentsOf: Self.directory.appendingPathComponent(migration.fileName), encoding: .utf8)
            #expect(migration.sql == onDisk, "embedded \(migration.fileName) differs from the file")
        }
    }

    @Test func versionsAreNumberedFromOneWithoutGaps() {
        let versions = EmbeddedMigrations.all.map(\.version)
        #expect(versions == Array(1...versions.count))
        #expect(EmbeddedMigrations.all.first?.name == "init")
    }

    @Test func fileNamesMustBeNumbered() throws {
        #expect(throws: StoreError.self) { try Migration(fileName: "init.sql", sql: "") }
        #expect(throws: StoreError.self) { try Migration(fileName: "0000_zero.sql", sql: "") }
        #expect(try Migration(fileName: "0012_add_things.sql", sql: "").version == 12)
    }
}
