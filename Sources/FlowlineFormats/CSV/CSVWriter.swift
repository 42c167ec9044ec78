import FlowlineCore

/// Writes record batches as RFC 4180 CSV: a header row of field names, then one line per row.
///
/// - Fields holding the delimiter, a quote, CR or LF, or starting or ending with a space or
///   tab, are quoted, with quotes doubled. Quoting the edge spaces keeps readers that trim
///   unquoted fields from changing the value.
/// - Null is an empty unquoted field, the empty string is `""`, so `CSVReader` (and
///   PostgreSQL's CSV COPY) tell them apart after a round trip. In a one-column file a null
///   row is therefore a blank line.
/// - Non-string values are written as `Value.text` (ISO 8601 dates and timestamps, exact decimals).
/// - Lines end with LF alone, not RFC 4180's CRLF: it is what Unix tools, S3 consumers and
///   Athena/Spark expect, a CR would otherwise leak into the last field of readers that split
///   on LF, and Python's csv, pyarrow and `CSVReader` accept either.
///
/// The writer does not own the sink: the caller syncs and closes it.
public final class CSVWriter {
    public let sink: FileSink
    public let schema: Schema
    public let delimiter: UInt8
    /// Rows written so far (the header not counted).
    public private(set) var rowsWritten = 0

    /// Bytes of the batch being written; handed to the sink once per batch, or sooner when large.
    private var pending: [UInt8] = []
    private let flushThreshold = 1 << 18

    private static let quote = UInt8(ascii: "\"")
    private static let newline = UInt8(ascii: "\n")

    /// Writes the header row at once, so even a run with no rows leaves a readable file.
    public init(sink: FileSink, schema: Schema, delimiter: UInt8 = UInt8(ascii: ",")) throws {
        self.sink = sink
        self.schema = schema
        self.delimiter = delimiter
        pending.reserveCapacity(flushThreshold + 4096)
        var out: [UInt8] = []
        for (index, field) in schema.fields.enumerated() {
            if index > 0 { out.append(delimiter) }
            Self.appendText(field.name, delimiter: delimiter, to: &out)
        }
        out.append(Self.newline)
        try flush(&out)
    }

    /// Appends the batch's rows; each row must have one value per schema field.
    public func write(_ batch: RecordBatch) throws {
        let width = schema.fields.count
        // Work on a local buffer: appends to a class property pay an exclusivity check each.
        var out = pending
        pending = []
        defer { pending = out; pending.removeAll(keepingCapacity: true) }
        if let columns = batch.columns {
            guard columns.count == width else {
                throw CSVError.rowWidthMismatch(path: sink.path, expected: width, found: columns.count)
            }
            for r in 0..<batch.count {
                for index in 0..<width {
                    if index > 0 { out.append(delimiter) }
                    Self.append(columns[index], r, delimiter: delimiter, to: &out)
                }
                out.append(Self.newline)
                if out.count >= flushThreshold { try flush(&out) }
            }
            rowsWritten += batch.count
            try flush(&out)
            return
        }
        for row in batch.rows {
            guard row.count == width else {
                throw CSVError.rowWidthMismatch(path: sink.path, expected: width, found: row.count)
            }
            for index in 0..<width {
                if index > 0 { out.append(delimiter) }
                Self.append(row[index], delimiter: delimiter, to: &out)
            }
            out.append(Self.newline)
            if out.count >= flushThreshold { try flush(&out) }
        }
        rowsWritten += batch.rows.count
        try flush(&out)
    }

    private func flush(_ out: inout [UInt8]) throws {
        guard !out.isEmpty else { return }
        try out.withUnsafeBytes { try sink.write($0) }
        out.removeAll(keepingCapacity: true)
    }

    /// Record `r` of a column: text straight from its bytes, integers as digits, the rest as `append(Value)`.
    private static func append(_ column: Column, _ r: Int, delimiter: UInt8, to out: inout [UInt8]) {
        if column.isNull(r) { return }
        switch column.storage {
        case .text(let bytes, let offsets):
            let start = offsets[r], end = offsets[r + 1]
            if start == end {
                out.append(quote)
                out.append(quote)
                return
            }
            bytes.withUnsafeBufferPointer {
                appendText(bytes: UnsafeBufferPointer(rebasing: $0[start..<end]), delimiter: delimiter, to: &out)
            }
        case .int(let numbers):
            appendInteger(numbers[r], to: &out)
        default:
            append(column[r], delimiter: delimiter, to: &out)
        }
    }

    private static func append(_ value: Value, delimiter: UInt8, to out: inout [UInt8]) {
        switch value {
        case .null:
            break
        case .string(let text):
            appendText(text, delimiter: delimiter, to: &out)
        case .int(let number):
            appendInteger(number, to: &out)
        case .bool(let flag):
            out.append(contentsOf: flag ? trueBytes : falseBytes)
        default:
            // Doubles, decimals, dates and timestamps never need quoting, but check anyway:
            // their text comes from other code.
            appendText(value.text ?? "", delimiter: delimiter, to: &out)
        }
    }

    private static let trueBytes = Array("true".utf8)
    private static let falseBytes = Array("false".utf8)

    private static func appendText(_ text: String, delimiter: UInt8, to out: inout [UInt8]) {
        if text.isEmpty {
            out.append(quote)
            out.append(quote)
            return
        }
        let done: Void? = text.utf8.withContiguousStorageIfAvailable {
            appendText(bytes: $0, delimiter: delimiter, to: &out)
        }
        if done == nil {
            Array(text.utf8).withUnsafeBufferPointer { appendText(bytes: $0, delimiter: delimiter, to: &out) }
        }
    }

    private static func appendText(bytes: UnsafeBufferPointer<UInt8>, delimiter: UInt8, to out: inout [UInt8]) {
        if needsQuoting(bytes, delimiter: delimiter) {
            out.append(quote)
            for byte in bytes {
                if byte == quote { out.append(quote) }
                out.append(byte)
            }
            out.append(quote)
        } else {
            out.append(contentsOf: bytes)
        }
    }

    private static func needsQuoting(_ bytes: UnsafeBufferPointer<UInt8>, delimiter: UInt8) -> Bool {
        let space = UInt8(ascii: " "), tab = UInt8(ascii: "\t")
        if let first = bytes.first, first == space || first == tab { return true }
        if let last = bytes.last, last == space || last == tab { return true }
        for byte in bytes where byte == delimiter || byte == quote
            || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
            return true
        }
        return false
    }

    /// Decimal digits straight into the buffer, with no intermediate String.
    private static func appendInteger(_ number: Int64, to out: inout [UInt8]) {
        if number == 0 { out.append(UInt8(ascii: "0")); return }
        if number < 0 { out.append(UInt8(ascii: "-")) }
        var magnitude = number.magnitude
        let digitsStart = out.count
        while magnitude > 0 {
            out.append(UInt8(ascii: "0") + UInt8(magnitude % 10))
            magnitude /= 10
        }
        out[digitsStart...].reverse()
    }
}
