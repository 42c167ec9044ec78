import Crypto
import Foundation

/// Flowline's metadata: connector profiles, flows, tags, executions, watermarks, idempotency
/// tokens and customer keys, in `flowline.db` under a `FlowlineHome`.
///
/// Every access goes through `read { tx in … }` or `write { tx in … }`, one transaction each.
/// Several stores (in one process or several) may use the same home at once.
///
/// `@unchecked Sendable`: the one sqlite connection and the cached master key are touched only
/// while `lock` is held, so calls from any thread are serialized.
public final class MetadataStore: @unchecked Sendable {
    /// How long sqlite waits for another writer before reporting SQLITE_BUSY.
    public static let busyTimeoutMilliseconds: Int32 = 10_000
    /// How many times a transaction that still found the database locked is retried.
    public static let maxAttempts = 5

    public let home: FlowlineHome
    private let connection: Connection
    // Recursive so a nested `write` inside a `write` fails with sqlite's clear
    // "cannot start a transaction within a transaction" instead of deadlocking.
    private let lock = NSRecursiveLock()
    private var masterKey: SymmetricKey?

    /// Opens (creating if needed) the home, the database and its schema.
    /// Throws `StoreError.schemaTooNew` for a database written by a newer Flowline.
    public init(home: FlowlineHome = .resolve()) throws {
        try home.prepare()
        try home.prepareDatabaseFiles()
        self.home = home
        self.connection = try Connection(path: home.databaseURL.path)
        try configure()
        try Migrator().migrate(connection)
    }

    /// Runs `body` in a read transaction: it sees one consistent snapshot.
    public func read<T>(_ body: (ReadTransaction) throws -> T) throws -> T {
        try inTransaction(immediate: false) {
            let transaction = ReadTransaction(connection: connection, store: self)
            defer { transaction.close() }
            return try body(transaction)
        }
    }

    /// Runs `body` in one `BEGIN IMMEDIATE` transaction: all its writes commit together or not at all.
    /// If the database stays locked past the busy timeout the transaction is retried, so `body` may
    /// run more than once; keep side effects outside the database out of it.
    public func write<T>(_ body: (WriteTransaction) throws -> T) throws -> T {
        try inTransaction(immediate: true) {
            let transaction = WriteTransaction(connection: connection, store: self)
            defer { transaction.close() }
            return try body(transaction)
        }
    }

    /// The schema version recorded in the database.
    public func schemaVersion() throws -> Int {
        lock.lock()
        defer { lock.unlock() }
        return try Migrator.appliedVersion(connection)
    }

    /// `PRAGMA integrity_check`: `["ok"]` for a healthy database, else sqlite's list of problems.
    public func integrityCheck() throws -> [String] {
        lock.lock()
        defer { lock.unlock() }
        return try connection.query("PRAGMA integrity_check").map { try $0.text("integrity_check") }
    }

    /// The home's master key, loaded (or created) at first use.
    func loadMasterKey() throws -> SymmetricKey {
        lock.lock()
        defer { lock.unlock() }
        if let masterKey { return masterKey }
        let key = try MasterKeyFile.loadOrCreate(at: home.masterKeyURL)
        masterKey = key
        return key
    }

    private func inTransaction<T>(immediate: Bool, _ body: () throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        return try connection.inTransaction(immediate: immediate, maxAttempts: Self.maxAttempts, body)
    }

    private func configure() throws {
        // Set first, so the pragmas below also wait for a concurrent opener instead of failing.
        try connection.setBusyTimeout(milliseconds: Self.busyTimeoutMilliseconds)
        try retryingBusy {
            let mode = try connection.query("PRAGMA journal_mode=WAL").first?.text("journal_mode")
            guard mode == "wal" else {
                throw SQLiteError(code: 1, message: "journal_mode is \(mode ?? "unknown"), not wal",
                                  sql: "PRAGMA journal_mode=WAL", operation: "configure")
            }
        }
        try connection.execute("PRAGMA foreign_keys=ON")
        // FULL, not NORMAL: in WAL mode NORMAL may lose the last commits on power loss, and a lost
        // watermark or execution update would make the next run pull data again. Metadata writes
        // are few, so one fsync per commit costs little.
        try connection.execute("PRAGMA synchronous=FULL")
    }

    private func retryingBusy(_ body: () throws -> Void) throws {
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try body()
            } catch let error as SQLiteError where error.isBusy && attempt < Self.maxAttempts {
                usleep(UInt32(attempt * 50_000))
            }
        }
    }
}
