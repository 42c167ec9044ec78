import Foundation
import Testing
@testable import FlowlineStore

@Suite struct TransactionTests {
    struct Abort: Error {}

    @Test func aThrowingWriteLeavesNothingBehind() throws {
        let temp = TemporaryHome()
        let store = try temp.openStore()
        #expect(throws: Abort.self) {
            try store.write { tx throws in
                try tx.insertProfile(sampleProfile("p1"), credentials: Data("pw".utf8))
                try tx.setTags(["team": "data"], forResource: sampleProfile("p1").arn)
                throw Abort()
            }
        }
        try store.read { tx throws in
            #expect(try tx.profile(named: "p1") == nil)
            #expect(try tx.tags(forResource: sampleProfile("p1").arn).isEmpty)
        }
        // The store is still usable after the rollback.
        try store.write { tx in try tx.insertProfile(sampleProfile("p1"), credentials: Data("pw".utf8)) }
        #expect(try store.read { try $0.profile(named: "p1") } == sampleProfile("p1"))
    }

    @Test func aTransactionUsedAfterItsBlockIsRefused() throws {
        let temp = TemporaryHome()
        let store = try temp.openStore()
        let escaped = try store.read { $0 }
        #expect(throws: StoreError.transactionClosed) { try escaped.profile(named: "p1") }
    }

    @Test func aNestedWriteFailsInsteadOfDeadlocking() throws {
        let temp = TemporaryHome()
        let store = try temp.openStore()
        #expect(throws: SQLiteError.self) {
            try store.write { _ in try store.write { _ in } }
        }
    }
}
