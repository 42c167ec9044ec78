import Foundation

/// The response an operation gave for a client token, replayed when the token comes again.
public struct IdempotencyRecord: Sendable, Equatable {
    public var operation: String
    public var clientToken: String
    public var response: Data
    public var createdAt: Date

    public init(operation: String, clientToken: String, response: Data, createdAt: Date) {
        self.operation = operation
        self.clientToken = clientToken
        self.response = response
        self.createdAt = createdAt
    }
}

extension ReadTransaction {
    public func idempotencyRecord(operation: String, clientToken: String) throws -> IdempotencyRecord? {
        try query("""
            SELECT response, created_at FROM idempotency_tokens WHERE operation = ? AND client_token = ?
            """, [.text(operation), .text(clientToken)]).first.map { row in
            IdempotencyRecord(operation: operation, clientToken: clientToken,
                              response: try row.data("response"), createdAt: try row.date("created_at"))
        }
    }
}

extension WriteTransaction {
    /// Throws `.duplicate(.idempotencyToken, …)` when the token was already used for this operation.
    public func insertIdempotencyRecord(_ record: IdempotencyRecord) throws {
        try insert("""
            INSERT INTO idempotency_tokens (operation, client_token, response, created_at) VALUES (?, ?, ?, ?)
            """, [.text(record.operation), .text(record.clientToken), .blob(record.response),
                  .timestamp(record.createdAt)],
            kind: .idempotencyToken, key: "\(record.operation)/\(record.clientToken)")
    }

    /// Forgets tokens older than `date`; returns how many went.
    @discardableResult
    public func deleteIdempotencyRecords(olderThan date: Date) throws -> Int {
        try run("DELETE FROM idempotency_tokens WHERE created_at < ?", [.timestamp(date)])
    }
}
