import Foundation
import Testing
import FlowlinePostgres
import FlowlineTestSupport

/// The throwaway PostgreSQL that `scripts/test` starts (`scripts/postgres start`), named by
/// `FLOWLINE_TEST_PG_URL`. Tests that need it fail with this message when it is missing.
enum TestDatabase {
    struct Missing: Error, CustomStringConvertible {
        var description: String {
            "FLOWLINE_TEST_PG_URL is not set: run the tests with scripts/test (which starts a throwaway PostgreSQL), or `eval \"$(scripts/postgres start)\"` first"
        }
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func url() throws -> String {
        guard let url = ProcessInfo.processInfo.environment["FLOWLINE_TEST_PG_URL"], !url.isEmpty else { throw Missing() }
        return url
    }

    static func settings() throws -> PostgresConnectionSettings {
        try PostgresConnectionSettings(url: url())
    }

    /// The parts of the URL a profile needs: `jdbc:redshift://host:port/db`, user, password.
    static func profileParts() throws -> (jdbcURL: String, user: String, password: String) {
        let s = try settings()
        return ("jdbc:redshift://\(s.host):\(s.port)/\(s.database)", s.user, s.password ?? "")
    }

    /// A table name no other test uses.
    static func uniqueTable(_ label: String) -> String {
        "\(label)_\(UUID().uuidString.prefix(8).lowercased())"
    }

    /// Runs SQL with `psql` (an independent client) and returns its unaligned output.
    @discardableResult
    static func psql(_ sql: String) throws -> String {
        guard let psql = Subprocess.which("psql") else { throw Failure(description: "psql is not on PATH (apt-get install postgresql-client)") }
        let r = try Subprocess.run(psql, [try url(), "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-c", sql])
        guard r.status == 0 else { throw Failure(description: "psql failed: \(r.stderr)") }
        return r.stdout.trimmingCharacters(in: .newlines)
    }

    /// Rows of a query as JSON objects, read back by psql (`json_agg` keeps null and "" apart).
    static func rows(_ query: String) throws -> [[String: Any]] {
        let out = try psql("SELECT coalesce(json_agg(q), '[]') FROM (\(query)) q")
        return try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [[String: Any]] ?? []
    }

    static func count(_ table: String) throws -> Int {
        Int(try psql("SELECT count(*) FROM \(table)")) ?? -1
    }
}
