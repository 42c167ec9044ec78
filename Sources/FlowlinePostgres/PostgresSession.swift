import Dispatch
import Foundation

/// A connection for async code: every libpq call runs on the connection's own serial queue and
/// the caller awaits it through a continuation, so blocking network calls never hold one of
/// Swift's cooperative threads.
public final class PostgresSession: @unchecked Sendable {
    // @unchecked: `connection` is touched only inside `queue`, a serial queue, one job at a time.
    private let connection: PostgresConnection
    private let queue: DispatchQueue
    public let settings: PostgresConnectionSettings

    private init(connection: PostgresConnection, queue: DispatchQueue) {
        self.connection = connection
        self.queue = queue
        settings = connection.settings
    }

    public static func connect(_ settings: PostgresConnectionSettings) async throws -> PostgresSession {
        let queue = DispatchQueue(label: "flowline.postgres.\(settings.host):\(settings.port)")
        let box = try await onQueue(queue) { UncheckedBox(try PostgresConnection(settings)) }
        return PostgresSession(connection: box.value, queue: queue)
    }

    /// Runs `body` with the connection on its queue.
    public func run<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) throws -> T) async throws -> T {
        let box = UncheckedBox(connection)
        return try await Self.onQueue(queue) { try body(box.value) }
    }

    /// Queues `body` on the connection's queue now, behind the work already queued, and returns
    /// at once: the caller goes on (encoding the next batch, say) while the connection works.
    /// Await the result with `PendingWork.value`.
    public func submit<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) throws -> T) -> PendingWork<T> {
        let pending = PendingWork<T>()
        let box = UncheckedBox(connection)
        queue.async { pending.complete(Result { try body(box.value) }) }
        return pending
    }

    /// A scoped COPY from async code: CopyDone when `body` returns, CopyFail when it throws.
    @discardableResult
    public func copyIn(table: QualifiedName, columns: [String],
                       _ body: (AsyncCopyInWriter) async throws -> Void) async throws -> Int64 {
        try await run { c in try c.beginCopy(table: table, columns: columns) }
        do {
            try await body(AsyncCopyInWriter(session: self, table: table))
        } catch {
            let message = "aborted by the client: \(error)"
            _ = try? await run { c in try c.endCopy(failure: message, table: table) }
            throw error
        }
        return try await run { c in try c.endCopy(failure: nil, table: table) }
    }

    private static func onQueue<T: Sendable>(_ queue: DispatchQueue, _ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { try work() })
            }
        }
    }
}

/// Sends COPY data from async code through a `PostgresSession`.
public struct AsyncCopyInWriter: Sendable {
    let session: PostgresSession
    let table: QualifiedName

    public func write(_ bytes: [UInt8]) async throws {
        let table = self.table
        try await session.run { c in try c.putCopyData(bytes, table: table) }
    }
}

/// Carries a non-Sendable value into a closure that runs on the owner's serial queue.
struct UncheckedBox<T>: @unchecked Sendable {
    // @unchecked: used only to hand the connection to work that runs on its own serial queue.
    let value: T
    init(_ value: T) { self.value = value }
}

/// The outcome of work queued with `PostgresSession.submit`, awaited once.
public final class PendingWork<T: Sendable>: @unchecked Sendable {
    // @unchecked: `result` and `waiter` are only touched under `lock`.
    private let lock = NSLock()
    private var result: Result<T, Error>?
    private var waiter: CheckedContinuation<T, Error>?

    init() {}

    func complete(_ outcome: Result<T, Error>) {
        lock.lock()
        if let waiter {
            self.waiter = nil
            lock.unlock()
            waiter.resume(with: outcome)
        } else {
            result = outcome
            lock.unlock()
        }
    }

    /// Waits for the work to finish; its result, or its error. Await it from one task only.
    public var value: T {
        get async throws {
            try await withCheckedThrowingContinuation { continuation in
                lock.lock()
                if let result {
                    lock.unlock()
                    continuation.resume(with: result)
                } else {
                    waiter = continuation
                    lock.unlock()
                }
            }
        }
    }
}
