import Crypto
import Foundation

/// The reads available inside `MetadataStore.read` (and `write`).
///
/// Valid only inside the block it was handed to; using it afterwards throws
/// `StoreError.transactionClosed`. Not Sendable: it is the store's connection, borrowed.
public class ReadTransaction {
    private let connection: Connection
    private let store: MetadataStore
    private var isOpen = true

    init(connection: Connection, store: MetadataStore) {
        self.connection = connection
        self.store = store
    }

    func close() { isOpen = false }

    /// The connection, checked to be still inside its transaction.
    func database() throws -> Connection {
        guard isOpen else { throw StoreError.transactionClosed }
        return connection
    }

    func query(_ sql: String, _ parameters: [SQLiteValue] = []) throws -> [Row] {
        try database().query(sql, parameters)
    }

    /// A sealer using the home's master key and the customer keys stored in this database.
    public func sealer() throws -> CredentialSealer {
        let masterKey = try store.loadMasterKey()
        return CredentialSealer(masterKey: masterKey) { [self] keyId in
            try self.customerKeyMaterial(keyId: keyId, masterKey: masterKey)
        }
    }

    /// A customer key's material, opened from under the master key.
    private func customerKeyMaterial(keyId: String, masterKey: SymmetricKey) throws -> SymmetricKey {
        let rows = try query("SELECT arn, sealed_material FROM customer_keys WHERE key_id = ?", [.text(keyId)])
        guard let row = rows.first else { throw SealingError.unknownKey(keyId: keyId) }
        let material = try CredentialSealer(masterKey: masterKey)
            .open(try row.data("sealed_material"), associatedData: Data(try row.text("arn").utf8))
        return SymmetricKey(data: material)
    }
}

/// The reads and writes available inside `MetadataStore.write`.
public final class WriteTransaction: ReadTransaction {
    /// Runs an INSERT, mapping a UNIQUE/PRIMARY KEY violation to `StoreError.duplicate`.
    func insert(_ sql: String, _ parameters: [SQLiteValue], kind: RecordKind, key: String) throws {
        do {
            try database().run(sql, parameters)
        } catch let error as SQLiteError where error.isUniqueViolation {
            throw StoreError.duplicate(kind, key: key)
        }
    }

    /// Runs an UPDATE or DELETE; throws `StoreError.notFound` when it changed no row.
    func change(_ sql: String, _ parameters: [SQLiteValue], kind: RecordKind, key: String) throws {
        if try database().run(sql, parameters) == 0 {
            throw StoreError.notFound(kind, key: key)
        }
    }

    @discardableResult
    func run(_ sql: String, _ parameters: [SQLiteValue] = []) throws -> Int {
        try database().run(sql, parameters)
    }
}
