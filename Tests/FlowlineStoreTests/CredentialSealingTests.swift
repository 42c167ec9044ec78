import Crypto
import Foundation
import Testing
@testable import FlowlineStore

@Suite struct CredentialSealingTests {
    let sealer = CredentialSealer(masterKey: SymmetricKey(size: .bits256))

    @Test func sealsAndOpensWithTheSameAssociatedDataOnly() throws {
        let secret = Data("p@ssw0rd".utf8)
        let sealed = try sealer.seal(plaintext: secret, keyId: nil, associatedData: Data("arn:a".utf8))
        #expect(sealed[0] == CredentialSealer.formatVersion)
        #expect(try CredentialSealer.keyId(of: sealed) == CredentialSealer.masterKeyId)
        #expect(sealed.range(of: secret) == nil)
        #expect(try sealer.open(sealed, associatedData: Data("arn:a".utf8)) == secret)
        #expect(throws: SealingError.authenticationFailed(keyId: "master")) {
            try sealer.open(sealed, associatedData: Data("arn:b".utf8))
        }
        // Two seals of the same secret differ (fresh nonce each time).
        #expect(try sealer.seal(plaintext: secret, keyId: nil, associatedData: Data()) !=
                sealer.seal(plaintext: secret, keyId: nil, associatedData: Data()))
    }

    @Test func tamperedOrForeignBlobsDoNotOpen() throws {
        let sealed = try sealer.seal(plaintext: Data("x".utf8), keyId: nil, associatedData: Data())
        var flipped = sealed
        flipped[flipped.count - 1] ^= 1
        #expect(throws: SealingError.authenticationFailed(keyId: "master")) { try sealer.open(flipped, associatedData: Data()) }
        var newer = sealed
        newer[0] = 9
        #expect(throws: SealingError.unsupportedVersion(9)) { try sealer.open(newer, associatedData: Data()) }
        #expect(throws: SealingError.self) { try sealer.open(Data([1]), associatedData: Data()) }
        let otherMaster = CredentialSealer(masterKey: SymmetricKey(size: .bits256))
        #expect(throws: SealingError.authenticationFailed(keyId: "master")) { try otherMaster.open(sealed, associatedData: Data()) }
        #expect(throws: SealingError.unknownKey(keyId: "k1")) {
            try sealer.seal(plaintext: Data(), keyId: "k1", associatedData: Data())
        }
    }

    @Test func aProfileWithACustomerKeyIsSealedUnderThatKey() throws {
        let temp = TemporaryHome()
        let store = try temp.openStore()
        let keyId = UUID().uuidString.lowercased()
        let keyArn = "arn:aws:kms:us-east-1:000000000000:key/\(keyId)"
        try store.write { tx throws in
            let key = try tx.createCustomerKey(keyId: keyId, arn: keyArn, description: "test key", createdAt: date(0))
            #expect(try tx.customerKey(arn: keyArn) == key)
            #expect(try tx.customerKey(id: keyId) == key)
            #expect(try tx.listCustomerKeys() == [key])
            try tx.insertProfile(sampleProfile("kms", kmsArn: keyArn), credentials: Data("under-cmk".utf8))
        }
        #expect(throws: StoreError.duplicate(.customerKey, key: keyArn)) {
            try store.write { try $0.createCustomerKey(keyId: keyId, arn: keyArn, description: nil, createdAt: date(0)) }
        }
        let sealed = try rawSealedCredentials(temp, profile: "kms")
        #expect(try CredentialSealer.keyId(of: sealed) == keyId)
        #expect(try store.read { try $0.profileCredentials(named: "kms") } == Data("under-cmk".utf8))
        // A second store on the same home (same master key) opens it too.
        #expect(try temp.openStore().read { try $0.profileCredentials(named: "kms") } == Data("under-cmk".utf8))
        #expect(throws: StoreError.notFound(.customerKey, key: "arn:aws:kms:us-east-1:000000000000:key/none")) {
            try store.write {
                try $0.insertProfile(sampleProfile("x", kmsArn: "arn:aws:kms:us-east-1:000000000000:key/none"),
                                     credentials: Data())
            }
        }
    }

    @Test func credentialsCopiedOntoAnotherProfileDoNotOpen() throws {
        let temp = TemporaryHome()
        let store = try temp.openStore()
        try store.write { tx throws in
            try tx.insertProfile(sampleProfile("a"), credentials: Data("secret-a".utf8))
            try tx.insertProfile(sampleProfile("b"), credentials: Data("secret-b".utf8))
        }
        let connection = try Connection(path: temp.home.databaseURL.path)
        try connection.run("""
            UPDATE connector_profiles SET sealed_credentials =
                (SELECT sealed_credentials FROM connector_profiles WHERE name = 'a') WHERE name = 'b'
            """)
        #expect(throws: SealingError.authenticationFailed(keyId: "master")) {
            try store.read { try $0.profileCredentials(named: "b") }
        }
    }

    @Test func plaintextCredentialsNeverReachTheDatabaseFiles() throws {
        let temp = TemporaryHome()
        let store = try temp.openStore()
        let password = "Tr0ub4dor&3-very-secret-password"
        try store.write { tx throws in
            try tx.insertProfile(sampleProfile("pg"), credentials: Data(#"{"username":"u","password":"\#(password)"}"#.utf8))
        }
        try store.write { tx throws in
            try tx.updateProfile(named: "pg", connectionMode: "Public", properties: Data("{}".utf8),
                                 credentials: Data(#"{"password":"\#(password)-2"}"#.utf8), lastUpdatedAt: date(1))
        }
        let files = [temp.home.databaseURL.path, temp.home.databaseURL.path + "-wal"]
        #expect(FileManager.default.fileExists(atPath: files[1]))
        for path in files {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
            #expect(bytes.range(of: Data(password.utf8)) == nil, "plaintext found in \(path)")
        }
        // The profile's non-secret fields are there, so the search above looks at real content.
        let walAndDb = try files.map { try Data(contentsOf: URL(fileURLWithPath: $0)) }
        #expect(walAndDb.contains { $0.range(of: Data("secretsmanager".utf8)) != nil })
        #expect(try store.read { try $0.profileCredentials(named: "pg") } == Data(#"{"password":"\#(password)-2"}"#.utf8))
    }

    func rawSealedCredentials(_ temp: TemporaryHome, profile: String) throws -> Data {
        let connection = try Connection(path: temp.home.databaseURL.path)
        let rows = try connection.query("SELECT sealed_credentials FROM connector_profiles WHERE name = ?", [.text(profile)])
        return try #require(rows.first).data("sealed_credentials")
    }
}
