import Foundation
import Testing
@testable import FlowlineStore

@Suite struct ConnectionTests {
    @Test func boundValuesAreStoredLiterallyAndReadBack() throws {
        let temp = TemporaryHome()
        try temp.home.prepare()
        let connection = try Connection(path: temp.home.databaseURL.path)
        try connection.execute("CREATE TABLE t (s TEXT, i INTEGER, r REAL, b BLOB, n TEXT)")
        let hostile = "x'); DROP TABLE t; --"
        try connection.run("INSERT INTO t VALUES (?, ?, ?, ?, ?)",
                           [.text(hostile), .integer(-7), .real(2.5), .blob(Data([0, 1, 255])), .null])
        try connection.run("INSERT INTO t (s, b) VALUES (?, ?)", [.text("empty"), .blob(Data())])
        let rows = try connection.query("SELECT s, i, r, b, n FROM t ORDER BY rowid")
        #expect(rows[0].values == [.text(hostile), .integer(-7), .real(2.5), .blob(Data([0, 1, 255])), .null])
        // An empty blob stays a blob, not NULL.
        #expect(try rows[1].value("b") == .blob(Data()))
    }

    @Test func errorsCarryCodeMessageAndSQLButNotBoundValues() throws {
        let temp = TemporaryHome()
        try temp.home.prepare()
        let connection = try Connection(path: temp.home.databaseURL.path)
        try connection.execute("CREATE TABLE t (k TEXT PRIMARY KEY)")
        try connection.run("INSERT INTO t VALUES (?)", [.text("secret-value-1")])
        let error = #expect(throws: SQLiteError.self) {
            try connection.run("INSERT INTO t VALUES (?)", [.text("secret-value-1")])
        }
        #expect(error?.isUniqueViolation == true)
        #expect(error?.sql == "INSERT INTO t VALUES (?)")
        #expect(error?.message.contains("UNIQUE constraint failed") == true)
        #expect(!"\(error!)".contains("secret-value-1"))

        let syntax = #expect(throws: SQLiteError.self) { try connection.query("SELEC 1") }
        #expect(syntax?.operation == "prepare")
        #expect(syntax?.sql == "SELEC 1")
    }

    @Test func parameterCountMismatchIsAnError() throws {
        let temp = TemporaryHome()
        try temp.home.prepare()
        let connection = try Connection(path: temp.home.databaseURL.path)
        #expect(throws: SQLiteError.self) { try connection.query("SELECT ?, ?", [.integer(1)]) }
    }

    @Test func openingAnUnopenablePathFailsWithTheErrorAndClosesTheHandle() throws {
        let error = #expect(throws: SQLiteError.self) {
            _ = try Connection(path: "/nonexistent-dir-\(UUID().uuidString)/x.db")
        }
        #expect(error?.operation.hasPrefix("open ") == true)
    }

    @Test func timestampsRoundTripToTheMicrosecond() {
        let instant = Date(timeIntervalSince1970: 1_712_345_678.123456)
        let micros = Timestamp.microseconds(of: instant)
        #expect(micros == 1_712_345_678_123_456)
        #expect(Timestamp.microseconds(of: Timestamp.date(fromMicroseconds: micros)) == micros)
    }
}
