import CSQLite
import Foundation

extension Connection {
    /// Runs `body` inside one transaction: `BEGIN IMMEDIATE` for writes (the write lock is taken
    /// up front, so a writer never fails half-way with SQLITE_BUSY) or `BEGIN` for reads.
    ///
    /// sqlite's busy timeout already waits for other writers; if the database is still locked
    /// after that, the whole transaction is rolled back and tried again, `maxAttempts` times at most.
    /// `body` may therefore run more than once: it must only touch the database.
    func inTransaction<T>(immediate: Bool, maxAttempts: Int, _ body: () throws -> T) throws -> T {
        var attempt = 0
        while true {
            attempt += 1
            do {
                try execute(immediate ? "BEGIN IMMEDIATE" : "BEGIN")
                do {
                    let result = try body()
                    try execute("COMMIT")
                    return result
                } catch {
                    rollbackIfOpen()
                    throw error
                }
            } catch let error as SQLiteError where error.isBusy {
                guard attempt < maxAttempts else { throw StoreError.busy(attempts: attempt) }
                // A short, growing, jittered pause so retrying writers do not collide in lock-step.
                usleep(UInt32(attempt * 20_000 + Int.random(in: 0..<20_000)))
            }
        }
    }

    func rollbackIfOpen() {
        if isInTransaction { try? execute("ROLLBACK") }
    }
}
