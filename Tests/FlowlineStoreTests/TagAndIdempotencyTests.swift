import Foundation
import Testing
@testable import FlowlineStore

@Suite struct TagAndIdempotencyTests {
    @Test func tagsMergeAndRemove() throws {
        let temp = TemporaryHome()
        let store = try temp.openStore()
        let arn = "arn:aws:appflow:us-east-1:000000000000:flow/x"
        try store.write { tx throws in
            try tx.setTags(["a": "1", "b": "2"], forResource: arn)
            try tx.setTags(["b": "20", "c": "3"], forResource: arn)
            try tx.setTags(["a": "other"], forResource: arn + "-other")
        }
        #expect(try store.read { try $0.tags(forResource: arn) } == ["a": "1", "b": "20", "c": "3"])
        try store.write { try $0.removeTags(keys: ["a", "zzz"], fromResource: arn) }
        #expect(try store.read { try $0.tags(forResource: arn) } == ["b": "20", "c": "3"])
        #expect(try store.read { try $0.tags(forResource: arn + "-other") } == ["a": "other"])
    }

    @Test func idempotencyTokensStoreOneResponse() throws {
        let temp = TemporaryHome()
        let store = try temp.openStore()
        let record = IdempotencyRecord(operation: "CreateFlow", clientToken: "tok-1",
                                       response: Data(#"{"flowArn":"a"}"#.utf8), createdAt: date(10))
        try store.write { try $0.insertIdempotencyRecord(record) }
        #expect(try store.read { try $0.idempotencyRecord(operation: "CreateFlow", clientToken: "tok-1") } == record)
        #expect(try store.read { try $0.idempotencyRecord(operation: "StartFlow", clientToken: "tok-1") } == nil)
        #expect(throws: StoreError.duplicate(.idempotencyToken, key: "CreateFlow/tok-1")) {
            try store.write { try $0.insertIdempotencyRecord(record) }
        }
        #expect(try store.write { try $0.deleteIdempotencyRecords(olderThan: date(11)) } == 1)
        #expect(try store.read { try $0.idempotencyRecord(operation: "CreateFlow", clientToken: "tok-1") } == nil)
    }
}
