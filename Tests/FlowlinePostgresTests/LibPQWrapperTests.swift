import Foundation
import Testing
import FlowlineCore
@testable import FlowlinePostgres

/// The libpq wrapper against a real server: parameters, results, errors, COPY.
@Suite struct LibPQWrapperTests {
    @Test func parameterisedQueryReturnsTextAndNulls() throws {
        let c = try PostgresConnection(try TestDatabase.settings())
        let r = try c.query("SELECT $1::text, $2::text, $3::int + 1", ["it's \"quoted\"", nil, "41"])
        #expect(r.rowCount == 1)
        #expect(r.rows[0] == ["it's \"quoted\"", nil, "42"])
    }

    @Test func serverErrorsCarrySQLStateAndMessage() throws {
        let c = try PostgresConnection(try TestDatabase.settings())
        do {
            try c.query("SELECT $1::numeric", ["abc"])
            Issue.record("expected an error")
        } catch {
            #expect(error.sqlState == "22P02")
            #expect(error.message.contains("invalid input syntax for type numeric"))
        }
        // The connection is still usable after an error outside a transaction.
        #expect(try c.query("SELECT 1").text(0, 0) == "1")
    }

    @Test func wrongPasswordIsAClearErrorWithoutThePassword() throws {
        var settings = try TestDatabase.settings()
        let secret = "Wr0ng-S3cret-\(UUID().uuidString.prefix(6))"
        settings.password = secret
        do {
            _ = try PostgresConnection(settings)
            Issue.record("expected the sign-in to fail")
        } catch {
            #expect(error.isAuthenticationFailure)
            #expect(error.description.contains("password authentication failed"))
            #expect(!error.description.contains(secret))
            #expect(!settings.description.contains(secret))
        }
    }

    @Test func jdbcRedshiftURLAndCredentialsMakeTheSettings() throws {
        let s = try PostgresConnectionSettings(url: "jdbc:redshift://db.example.com:5439/dev", user: "loader", password: "pw", database: nil)
        #expect(s.host == "db.example.com" && s.port == 5439 && s.database == "dev" && s.user == "loader")
        let t = try PostgresConnectionSettings(url: "jdbc:redshift://db.example.com/dev", user: "u", password: nil, database: "other")
        #expect(t.port == 5439 && t.database == "other")
        #expect(throws: PostgresError.self) { try PostgresConnectionSettings(url: "mysql://h/db", user: "u") }
        do {
            _ = try PostgresConnectionSettings(url: "postgresql://u:TopSecret@/db")
        } catch {
            #expect(!error.description.contains("TopSecret"))
        }
    }

    @Test func copyInLoadsEveryByteAndCopyFailLeavesNothing() throws {
        let table = TestDatabase.uniqueTable("copy")
        try TestDatabase.psql("CREATE TABLE \(table) (id bigint, note text)")
        let c = try PostgresConnection(try TestDatabase.settings())
        let name = QualifiedName(schema: nil, name: table)
        let notes: [Value] = [.string("tab\there"), .string("new\nline\r\n"), .string("back\\slash \\N"), .string(""), .null,
                              .string("Ünïcödé ✓ 日本")]
        let copied = try c.copyIn(table: name, columns: ["id", "note"]) { writer in
            for (i, note) in notes.enumerated() { try writer.write(row: [.int(Int64(i + 1)), note]) }
        }
        #expect(copied == Int64(notes.count))
        let rows = try TestDatabase.rows("SELECT id, note FROM \(table) ORDER BY id")
        #expect(rows.map { $0["note"] as? String } == ["tab\there", "new\nline\r\n", "back\\slash \\N", "", nil, "Ünïcödé ✓ 日本"])
        #expect(rows[4]["note"] is NSNull)

        struct Stop: Error {}
        #expect(throws: Stop.self) {
            try c.copyIn(table: name, columns: ["id", "note"]) { writer in
                try writer.write(row: [.int(99), .string("never")])
                throw Stop()
            }
        }
        #expect(try TestDatabase.count(table) == notes.count)
        #expect(try c.query("SELECT 1").text(0, 0) == "1")
    }

    @Test func asyncSessionRunsTheScopedCopyOffTheCooperativePool() async throws {
        let table = TestDatabase.uniqueTable("acopy")
        try TestDatabase.psql("CREATE TABLE \(table) (id bigint)")
        let session = try await PostgresSession.connect(try TestDatabase.settings())
        let n = try await session.copyIn(table: QualifiedName(schema: nil, name: table), columns: ["id"]) { writer in
            var e = CopyTextEncoder()
            for i in 1...1000 { e.append(row: [.int(Int64(i))]) }
            try await writer.write(e.bytes)
        }
        #expect(n == 1000)
        #expect(try TestDatabase.psql("SELECT sum(id) FROM \(table)") == "500500")
    }

    @Test func qualifiedNamesParseAndQuoteLikePostgreSQL() throws {
        #expect(try QualifiedName(parsing: "Public.Orders") == QualifiedName(schema: "public", name: "orders"))
        #expect(try QualifiedName(parsing: #""My Schema"."Or""ders""#) == QualifiedName(schema: "My Schema", name: "Or\"ders"))
        #expect(QualifiedName(schema: "a\"b", name: "c").quoted == #""a""b"."c""#)
        #expect(throws: PostgresError.self) { try QualifiedName(parsing: "a.b.c") }
        #expect(throws: PostgresError.self) { try QualifiedName(parsing: "\"open") }
    }

    @Test func copyErrorContextNamesLineAndColumn() {
        #expect(CopyErrorContext(#"COPY orders, line 3, column amount: "abc""#) == CopyErrorContext(line: 3, column: "amount"))
        #expect(CopyErrorContext("COPY orders, line 12: \"x\"")?.line == 12)
        #expect(CopyErrorContext("COPY orders, line 12: \"x\"")?.column == nil)
        #expect(CopyErrorContext(nil) == nil)
    }
}
