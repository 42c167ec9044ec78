import Crypto
import Foundation

/// A local stand-in for a customer KMS key; its material stays sealed under the master key.
public struct CustomerKeyRecord: Sendable, Equatable {
    public var keyId: String
    /// `arn:aws:kms:REGION:ACCOUNT:key/UUID`, as the caller built it.
    public var arn: String
    public var description: String?
    public var createdAt: Date

    public init(keyId: String, arn: String, description: String?, createdAt: Date) {
        self.keyId = keyId
        self.arn = arn
        self.description = description
        self.createdAt = createdAt
    }
}

private let customerKeyColumns = "key_id, arn, description, created_at"

extension CustomerKeyRecord {
    init(row: Row) throws {
        self.init(keyId: try row.text("key_id"), arn: try row.text("arn"),
                  description: try row.optionalText("description"), createdAt: try row.date("created_at"))
    }
}

extension ReadTransaction {
    public func customerKey(arn: String) throws -> CustomerKeyRecord? {
        try query("SELECT \(customerKeyColumns) FROM customer_keys WHERE arn = ?", [.text(arn)])
            .first.map(CustomerKeyRecord.init(row:))
    }

    public func customerKey(id: String) throws -> CustomerKeyRecord? {
        try query("SELECT \(customerKeyColumns) FROM customer_keys WHERE key_id = ?", [.text(id)])
            .first.map(CustomerKeyRecord.init(row:))
    }

    public func listCustomerKeys() throws -> [CustomerKeyRecord] {
        try query("SELECT \(customerKeyColumns) FROM customer_keys ORDER BY created_at, key_id")
            .map(CustomerKeyRecord.init(row:))
    }
}

extension WriteTransaction {
    /// Creates a key with 32 fresh random bytes of material, sealed under the master key with
    /// the key's ARN as associated data. Throws `.duplicate` for a taken id or ARN.
    @discardableResult
    public func createCustomerKey(keyId: String, arn: String, description: String?,
                                  createdAt: Date) throws -> CustomerKeyRecord {
        let material = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
        let sealed = try sealer().seal(plaintext: material, keyId: nil, associatedData: Data(arn.utf8))
        try insert("""
            INSERT INTO customer_keys (key_id, arn, sealed_material, description, created_at) VALUES (?, ?, ?, ?, ?)
            """, [.text(keyId), .text(arn), .blob(sealed), .text(description), .timestamp(createdAt)],
            kind: .customerKey, key: arn)
        return CustomerKeyRecord(keyId: keyId, arn: arn, description: description, createdAt: createdAt)
    }
}
