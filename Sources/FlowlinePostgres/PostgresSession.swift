import Dispatch

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
