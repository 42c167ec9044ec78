import Foundation

/// One numbered schema change, from `migrations/sqlite/NNNN_name.sql`.
public struct Migration: Sendable, Equatable {
    public let version: Int
    public let name: String
    public let fileName: String
    public let sql: String

    /// Parses the version and name from a file name such as `0001_init.sql`.
    public init(fileName: String, sql: String) throws {
        let stem = fileName.hasSuffix(".sql") ? String(fileName.dropLast(4)) : fileName
        let parts = stem.split(separator: "_", maxSplits: 1)
        guard parts.count == 2, let version = Int(parts[0]), version > 0 else {
            throw StoreError.corruptRecord(detail: "migration file \(fileName) is not named NNNN_name.sql")
        }
        self.version = version
        self.name = String(parts[1])
        self.fileName = fileName
        self.sql = sql
    }

    init(fileName: String, bytes: [UInt8]) {
        // Embedded files are ours and checked by a test, so a bad name is a programming error.
        try! self.init(fileName: fileName, sql: String(decoding: bytes, as: UTF8.self))
    }
}

/// Applies migrations in order, each in its own `BEGIN IMMEDIATE` transaction, recording each in
/// `schema_migrations`. Safe when several processes open the same home at once: each migration
/// re-reads the recorded version after taking the write lock.
public struct Migrator {
    public let migrations: [Migration]
    public let maxAttempts: Int

    public init(migrations: [Migration] = EmbeddedMigrations.all, maxAttempts: Int = 5) {
        self.migrations = migrations.sorted { $0.version < $1.version }
        self.maxAttempts = maxAttempts
    }

    /// The newest schema version this binary knows.
    public var newestVersion: Int { migrations.last?.version ?? 0 }

    /// Brings the database up to `newestVersion`; returns the versions it applied (empty when current).
    @discardableResult
    public func migrate(_ connection: Connection) throws -> [Int] {
        try connection.inTransaction(immediate: true, maxAttempts: maxAttempts) {
            try connection.execute("""
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version    INTEGER PRIMARY KEY NOT NULL,
                    name       TEXT    NOT NULL,
                    applied_at INTEGER NOT NULL
                ) STRICT
                """)
        }
        try refuseNewer(found: try Self.appliedVersion(connection), connection: connection)
        var applied: [Int] = []
        for migration in migrations {
            let didApply = try connection.inTransaction(immediate: true, maxAttempts: maxAttempts) { () throws -> Bool in
                let current = try Self.appliedVersion(connection)
                try refuseNewer(found: current, connection: connection)
                guard current < migration.version else { return false }
                try connection.execute(migration.sql)
                try connection.run(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                    [.integer(Int64(migration.version)), .text(migration.name), .timestamp(Date())])
                return true
            }
            if didApply { applied.append(migration.version) }
        }
        return applied
    }

    /// The highest version recorded in `schema_migrations` (0 when none).
    public static func appliedVersion(_ connection: Connection) throws -> Int {
        let rows = try connection.query("SELECT COALESCE(MAX(version), 0) AS version FROM schema_migrations")
        return Int(try rows.first?.int64("version") ?? 0)
    }

    private func refuseNewer(found: Int, connection: Connection) throws {
        if found > newestVersion {
            throw StoreError.schemaTooNew(path: connection.path, found: found, known: newestVersion)
        }
    }
}
