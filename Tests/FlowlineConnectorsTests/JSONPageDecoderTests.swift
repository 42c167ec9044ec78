import FlowlineAPI
import FlowlineCore
import Foundation
import NIOCore
import Testing
@testable import FlowlineConnectors

/// The fast page decoder must give exactly the rows the general parser and converter give.
@Suite struct JSONPageDecoderTests {
    let schema = Schema([Field(name: "Id", type: .string), Field(name: "Amount", type: .double), Field(name: "Count", type: .int),
                         Field(name: "When", type: .timestamp), Field(name: "Flag", type: .bool), Field(name: "Note", type: .string),
                         Field(name: "Day", type: .date), Field(name: "Price", type: .decimal)])

    let page = #"""
        { "totalSize": 3, "done": false, "nextRecordsUrl": "/services/data/v58.0/query/01g-2000",
          "records": [
            {"attributes": {"type": "Account", "url": "/x/1"}, "Id": "001", "Amount": 12.5, "Count": 42, "When": "2026-01-02T03:04:05.678+0000",
             "Flag": true, "Note": "Says \"hi\",\nthen \u00e9 \ud83d\ude00 leaves", "Day": "2026-02-03", "Price": "10.10"},
            {"Note": {"nested": [1, {"a": "]"}]}, "Id": "002", "Count": -0, "Amount": 1e3, "When": null, "Flag": "false", "Unknown": [1, 2, "x"]},
            {"Count": 12345678901234567, "Amount": -7, "Id": "0\u00303", "When": 1700000000, "Price": 3.25}
          ],
          "extra": {"k": [true, null]} }
        """#

    @Test func rowsAndEnvelopeMatchTheGeneralPath() throws {
        let converter = JSONRecordConverter(schema: schema)
        let decoded = try JSONPageDecoder(recordsKey: "records", converter: converter).decode(ByteBuffer(string: page))
        let json = try JSONValue.parse(page)
        let expected = converter.batch(json["records"]?.arrayValue ?? [])
        #expect(decoded.batch.rows.count == 3)
        #expect(decoded.batch.rows == expected.rows)
        #expect(decoded.envelope["done"] == .bool(false))
        #expect(decoded.envelope["nextRecordsUrl"]?.stringValue == "/services/data/v58.0/query/01g-2000")
        #expect(decoded.envelope["extra"] == json["extra"])
        #expect(decoded.envelope["records"] == nil)
    }

    @Test func aPageWithoutItsRecordsArrayIsMalformed() {
        let converter = JSONRecordConverter(schema: schema)
        #expect(throws: JSONPageDecoder.Malformed.self) {
            try JSONPageDecoder(recordsKey: "records", converter: converter).decode(ByteBuffer(string: #"{"result": []}"#))
        }
        #expect(throws: JSONPageDecoder.Malformed.self) {
            try JSONPageDecoder(recordsKey: "records", converter: converter).decode(ByteBuffer(string: #"{"records": [{"Id": "1"}"#))
        }
    }
}
