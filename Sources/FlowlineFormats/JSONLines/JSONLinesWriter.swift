import Foundation
import FlowlineCore

/// Writes record batches as JSON lines: one object per row, keys in schema order, LF after each.
///
/// - Strings are escaped for `"`, `\` and control characters (as `\n`, `\t`, … or `\u00XX`);
///   other characters, non-ASCII included, are written as their UTF-8 bytes.
/// - Null is `null`; booleans and integers are JSON literals; doubles are JSON numbers in
///   Swift's shortest round-trip form, and NaN and ±infinity, which JSON cannot express, are
///   written as `null`; decimals are numbers printed exactly from `Decimal.description` (a
///   NaN decimal is `null`); dates and timestamps are ISO 8601 strings (`ValueFormat`).
///
/// The writer does not own the sink: the caller syncs and closes it.
public final class JSONLinesWriter {
    public let sink: FileSink
    public let schema: Schema
    /// Rows written so far.
    public private(set) var rowsWritten = 0

    /// Each key already quoted and followed by a colon, with the separator before it.
    private let keyPrefixes: [[UInt8]]
    private var pending: [UInt8] = []
    private let flushThreshold = 1 << 18

    public init(sink: FileSink, schema: Schema) {
        self.sink = sink
        self.schema = schema
        keyPrefixes = schema.fields.enumerated().map { index, field in
            var bytes: [UInt8] = [index == 0 ? UInt8(ascii: "{") : UInt8(ascii: ",")]
            JSONText.appendQuoted(field.name, to: &bytes)
            bytes.append(UInt8(ascii: ":"))
            return bytes
        }
        pending.reserveCapacity(flushThreshold + 4096)
    }

    /// Appends the batch's rows; each row must have one value per schema field.
    public func write(_ batch: RecordBatch) throws {
        let width = schema.fields.count
        for row in batch.rows {
            guard row.count == width else {
                throw JSONLinesError.rowWidthMismatch(path: sink.path, expected: width, found: row.count)
            }
            if width == 0 { pending.append(UInt8(ascii: "{")) }
            for index in 0..<width {
                pending.append(contentsOf: keyPrefixes[index])
                append(row[index])
            }
            pending.append(UInt8(ascii: "}"))
            pending.append(UInt8(ascii: "\n"))
            if pending.count >= flushThreshold { try flush() }
        }
        rowsWritten += batch.rows.count
        try flush()
    }

    private func flush() throws {
        guard !pending.isEmpty else { return }
        try pending.withUnsafeBytes { try sink.write($0) }
        pending.removeAll(keepingCapacity: true)
    }

    private static let nullBytes = Array("null".utf8)
    private static let trueBytes = Array("true".utf8)
    private static let falseBytes = Array("false".utf8)

    private func append(_ value: Value) {
        switch value {
        case .null:
            pending.append(contentsOf: Self.nullBytes)
        case .bool(let flag):
            pending.append(contentsOf: flag ? Self.trueBytes : Self.falseBytes)
        case .int(let number):
            appendASCII(String(number))
        case .double(let number):
            if number.isFinite { appendASCII(number.description) } else { pending.append(contentsOf: Self.nullBytes) }
        case .decimal(let number):
            if number.isNaN { pending.append(contentsOf: Self.nullBytes) } else { appendASCII(number.description) }
        case .string(let text):
            JSONText.appendQuoted(text, to: &pending)
        case .date(let days):
            JSONText.appendQuoted(ValueFormat.dateString(days: days), to: &pending)
        case .timestamp(let micros):
            JSONText.appendQuoted(ValueFormat.timestampString(micros: micros), to: &pending)
        }
    }

    private func appendASCII(_ text: String) {
        pending.append(contentsOf: text.utf8)
    }
}
