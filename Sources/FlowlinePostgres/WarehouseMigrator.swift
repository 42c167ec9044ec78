/// Brings the warehouse's `flowline` schema up to date: each migration of `WarehouseMigrations`
/// not yet recorded in `flowline.schema_migrations` runs in its own transaction together with
/// its record, in order. An advisory lock makes concurrent runs take turns, so two flows
/// starting at once against a fresh warehouse do not race.
public enum WarehouseMigrator {
    /// An arbitrary constant naming Flowline's migration lock among the database's advisory locks.
    static let lockKey = "7286354411"

    public static func migrate(_ connection: PostgresConnection) throws(PostgresError) {
        try connection.query("SELECT pg_advisory_lock($1::bigint)", [lockKey], operation: "lock the warehouse migrations")
        defer { _ = try? connection.query("SELECT pg_advisory_unlock($1::bigint)", [lockKey], operation: "unlock the warehouse migrations") }
        try connection.execute("""
            CREATE SCHEMA IF NOT EXISTS flowline;
            CREATE TABLE IF NOT EXISTS flowline.schema_migrations (
                id text PRIMARY KEY,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """, operation: "create the flowline schema")
        let applied = Set(try connection.query("SELECT id FROM flowline.schema_migrations", operation: "read applied migrations")
            .rows.compactMap { $0[0] })
        for migration in WarehouseMigrations.all where !applied.contains(migration.id) {
            do {
                try connection.execute("BEGIN")
                try connection.execute(migration.sql, operation: "apply warehouse migration \(migration.id)")
                try connection.query("INSERT INTO flowline.schema_migrations (id) VALUES ($1)", [migration.id],
                                     operation: "record warehouse migration \(migration.id)")
                try connection.execute("COMMIT")
            } catch {
                _ = try? connection.execute("ROLLBACK")
                throw error
            }
        }
    }
}
