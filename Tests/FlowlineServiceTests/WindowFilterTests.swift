import Testing
import FlowlineCore
@testable import FlowlineService

@Suite struct WindowFilterTests {
    let window = IncrementalWindow(field: "t", from: 1_700_000_000_000_000, to: 1_700_000_060_000_000)

    @Test func theWindowIsHalfOpen() throws {
        let schema = Schema([Field(name: "t", type: .timestamp)])
        let batch = RecordBatch(schema: schema, rows: [[.timestamp(window.from)], [.timestamp(window.to)], [.timestamp(window.to - 1)]])
        var rejected: [RejectedRecord] = []
        let kept = try WindowFilter(window: window, schema: schema).apply(batch, rejected: &rejected)
        #expect(kept.rows == [[.timestamp(window.from)], [.timestamp(window.to - 1)]])
        #expect(rejected.isEmpty)
    }

    @Test func epochNumbersAreReadBySize() {
        #expect(WindowFilter.instant(.int(1_700_000_000)) == 1_700_000_000_000_000)          // seconds
        #expect(WindowFilter.instant(.int(1_700_000_000_123)) == 1_700_000_000_123_000)      // milliseconds
        #expect(WindowFilter.instant(.string("1700000000123456")) == 1_700_000_000_123_456)  // microseconds
        #expect(WindowFilter.instant(.string("2023-11-14T22:13:20Z")) == 1_700_000_000_000_000)
        #expect(WindowFilter.instant(.string("not a time")) == nil)
        #expect(WindowFilter.instant(.null) == nil)
    }

    @Test func recordsWithoutATimestampAreRejectedNotDropped() throws {
        let schema = Schema([Field(name: "t", type: .string)])
        var rejected: [RejectedRecord] = []
        let kept = try WindowFilter(window: window, schema: schema).apply(RecordBatch(schema: schema, rows: [[.null], [.string("x")]]), rejected: &rejected)
        #expect(kept.isEmpty)
        #expect(rejected.count == 2)
        #expect(rejected[0].reason.contains("'t'"))
    }

    @Test func aMissingFieldIsAnError() {
        let schema = Schema([Field(name: "other", type: .string)])
        var rejected: [RejectedRecord] = []
        #expect(throws: (any Error).self) {
            try WindowFilter(window: window, schema: schema).apply(RecordBatch(schema: schema), rejected: &rejected)
        }
    }
}
