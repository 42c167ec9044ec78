import FlowlineAPI
import FlowlineCore
import NIOCore

/// Decodes a page whose records sit in one top-level array (`records`, `result`) straight into
/// rows of a schema, without building a `JSONValue` tree per record: member names are matched as
/// bytes and only the schema's fields are read. The page's other members (paging state such as
/// `done` and `nextRecordsUrl`) come back as a small `JSONValue` for the paginator. Values are
/// converted exactly as `JSONRecordConverter` converts them.
public struct JSONPageDecoder: Sendable {
    public let recordsKey: String
    public let converter: JSONRecordConverter
    let names: [[UInt8]]
    let key: [UInt8]

    public init(recordsKey: String, converter: JSONRecordConverter) {
        self.recordsKey = recordsKey
        self.converter = converter
        names = converter.schema.fields.map { Array($0.name.utf8) }
        key = Array(recordsKey.utf8)
    }

    public struct Page: Sendable {
        /// The page without its records array.
        public var envelope: JSONValue
        public var batch: RecordBatch
    }

    public struct Malformed: Error { public var detail: String }

    public func decode(_ body: ByteBuffer) throws(Malformed) -> Page {
        let result: Result<Page, Malformed> = body.withUnsafeReadableBytes { raw in
            var reader = Reader(bytes: raw.bindMemory(to: UInt8.self), decoder: self)
            return Result { () throws(Malformed) -> Page in try reader.page() }
        }
        return try result.get()
    }

    struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        let decoder: JSONPageDecoder
        var i = 0

        init(bytes: UnsafeBufferPointer<UInt8>, decoder: JSONPageDecoder) {
            self.bytes = bytes
            self.decoder = decoder
        }

        func fail(_ what: String) -> Malformed { Malformed(detail: "\(what) at byte \(i)") }

        mutating func space() {
            while i < bytes.count {
                let b = bytes[i]
                guard b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 else { return }
                i += 1
            }
        }

        mutating func expect(_ c: UInt8) throws(Malformed) {
            space()
            guard i < bytes.count, bytes[i] == c else { throw fail("expected '\(Character(Unicode.Scalar(c)))'") }
            i += 1
        }

        /// Whether the next byte (after space) is `c`; consumes it when so.
        mutating func accept(_ c: UInt8) -> Bool {
            space()
            if i < bytes.count, bytes[i] == c { i += 1; return true }
            return false
        }

        mutating func page() throws(Malformed) -> Page {
            var envelope: JSONValue.Members = []
            var batch = RecordBatch(schema: decoder.converter.schema)
            var found = false
            try expect(UInt8(ascii: "{"))
            if !accept(UInt8(ascii: "}")) {
                repeat {
                    space()
                    let (start, end, plain) = try stringRange()
                    try expect(UInt8(ascii: ":"))
                    space()
                    if plain, equals(start, end, decoder.key), i < bytes.count, bytes[i] == UInt8(ascii: "[") {
                        found = true
                        try records(into: &batch)
                    } else {
                        let name = try text(start, end, plain)
                        let from = i
                        try skipValue()
                        envelope.append((name, try parse(from, i)))
                    }
                } while accept(UInt8(ascii: ","))
                try expect(UInt8(ascii: "}"))
            }
            guard found else { throw Malformed(detail: "no '\(decoder.recordsKey)' array in the response") }
            return Page(envelope: .object(envelope), batch: batch)
        }

        mutating func records(into batch: inout RecordBatch) throws(Malformed) {
            i += 1  // [
            if accept(UInt8(ascii: "]")) { return }
            let width = decoder.names.count
            repeat {
                var row = [Value](repeating: .null, count: width)
                try expect(UInt8(ascii: "{"))
                var guess = 0
                if !accept(UInt8(ascii: "}")) {
                    repeat {
                        space()
                        let (start, end, plain) = try stringRange()
                        try expect(UInt8(ascii: ":"))
                        space()
                        // Services send members in a fixed order: try the field after the last one first.
                        var field = -1
                        if plain {
                            if guess < width, equals(start, end, decoder.names[guess]) {
                                field = guess
                            } else {
                                for f in 0..<width where equals(start, end, decoder.names[f]) { field = f; break }
                            }
                        } else {
                            let name = try text(start, end, plain)
                            field = decoder.converter.schema.fields.firstIndex { $0.name == name } ?? -1
                        }
                        if field < 0 {
                            try skipValue()
                        } else {
                            guess = field + 1
                            row[field] = JSONRecordConverter.value(try scalar(), as: decoder.converter.schema.fields[field].type)
                        }
                    } while accept(UInt8(ascii: ","))
                    try expect(UInt8(ascii: "}"))
                }
                batch.rows.append(row)
            } while accept(UInt8(ascii: ","))
            try expect(UInt8(ascii: "]"))
        }

        /// A member value: scalars decoded here; arrays and objects through the general parser.
        mutating func scalar() throws(Malformed) -> JSONValue {
            guard i < bytes.count else { throw fail("unexpected end of input") }
            switch bytes[i] {
            case UInt8(ascii: "\""):
                let (start, end, plain) = try stringRange()
                return .string(try text(start, end, plain))
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                let from = i
                while i < bytes.count, Self.isNumberByte(bytes[i]) { i += 1 }
                if let n = Self.integer(bytes, from, i) { return .number(n) }
                guard let d = Double(String(decoding: UnsafeBufferPointer(rebasing: bytes[from..<i]), as: UTF8.self)) else {
                    throw fail("invalid number")
                }
                return .number(d)
            default:
                let from = i
                try skipValue()
                return try parse(from, i)
            }
        }

        static func isNumberByte(_ b: UInt8) -> Bool {
            (b >= 0x30 && b <= 0x39) || b == UInt8(ascii: "-") || b == UInt8(ascii: "+") || b == UInt8(ascii: ".")
                || b == UInt8(ascii: "e") || b == UInt8(ascii: "E")
        }

        /// Plain integers of up to 15 digits, read without a string (exact as a Double).
        static func integer(_ bytes: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) -> Double? {
            var k = from
            let negative = bytes[k] == UInt8(ascii: "-")
            if negative { k += 1 }
            guard to - k >= 1, to - k <= 15, !(negative && to - k == 1 && bytes[k] == 0x30) else { return nil }
            var v: Int64 = 0
            while k < to {
                let b = bytes[k]
                guard b >= 0x30 && b <= 0x39 else { return nil }
                v = v * 10 + Int64(b - 0x30)
                k += 1
            }
            return Double(negative ? -v : v)
        }

        /// The bytes of a string literal between its quotes; `plain` when it has no escapes.
        mutating func stringRange() throws(Malformed) -> (Int, Int, Bool) {
            guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw fail("expected a string") }
            i += 1
            let start = i
            var plain = true
            while i < bytes.count {
                let b = bytes[i]
                if b == UInt8(ascii: "\"") { i += 1; return (start, i - 1, plain) }
                if b == UInt8(ascii: "\\") { plain = false; i += 2; continue }
                i += 1
            }
            throw fail("unterminated string")
        }

        func equals(_ start: Int, _ end: Int, _ name: [UInt8]) -> Bool {
            guard end - start == name.count else { return false }
            for k in 0..<name.count where bytes[start + k] != name[k] { return false }
            return true
        }

        /// A string literal's text; escapes go through the general parser.
        func text(_ start: Int, _ end: Int, _ plain: Bool) throws(Malformed) -> String {
            if plain { return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self) }
            guard case .string(let s) = try parse(start - 1, end + 1) else { throw Malformed(detail: "invalid string") }
            return s
        }

        func parse(_ from: Int, _ to: Int) throws(Malformed) -> JSONValue {
            do {
                return try JSONValue.parse(String(decoding: UnsafeBufferPointer(rebasing: bytes[from..<to]), as: UTF8.self))
            } catch {
                throw Malformed(detail: "\(error)")
            }
        }

        /// Moves past one value of any kind.
        mutating func skipValue() throws(Malformed) {
            space()
            guard i < bytes.count else { throw fail("unexpected end of input") }
            switch bytes[i] {
            case UInt8(ascii: "\""):
                _ = try stringRange()
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                var depth = 0
                while i < bytes.count {
                    let b = bytes[i]
                    if b == UInt8(ascii: "\"") { _ = try stringRange(); continue }
                    if b == UInt8(ascii: "{") || b == UInt8(ascii: "[") { depth += 1 }
                    if b == UInt8(ascii: "}") || b == UInt8(ascii: "]") {
                        depth -= 1
                        if depth == 0 { i += 1; return }
                    }
                    i += 1
                }
                throw fail("unterminated array or object")
            default:
                while i < bytes.count {
                    let b = bytes[i]
                    if b == UInt8(ascii: ",") || b == UInt8(ascii: "}") || b == UInt8(ascii: "]") || b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 { return }
                    i += 1
                }
            }
        }
    }
}
