import FlowlineCore

/// Streams an RFC 4180 CSV file as batches of text columns, in bounded memory.
///
/// - The first record is the header; it names the fields, each of type `.string`. A UTF-8 byte
///   order mark before it is skipped. Empty or duplicate names are a `CSVError`.
/// - Records end with LF, CRLF or CR; quoted fields may hold delimiters, doubled quotes and
///   line breaks.
/// - Null vs empty follows PostgreSQL's CSV convention: an empty unquoted field is `.null`,
///   a quoted empty field `""` is `.string("")`.
/// - Blank lines are skipped, except in a one-column file, where a blank line is the only way
///   to write a null (and is how `CSVWriter` writes one).
/// - A record with the wrong number of fields, a quote inside an unquoted field, text after
///   a closing quote, invalid UTF-8, or a quote still open at end of file (or after
///   `maxRecordBytes`) becomes a `MalformedRow` in the chunk and reading goes on; for an open
///   quote it resumes on the line after the one the record started on.
public final class CSVReader {
    public let path: String
    public let options: CSVReadOptions
    /// One `.string` field per header column, in file order.
    public private(set) var schema: Schema

    /// Bytes read from the file so far (for progress and execution statistics).
    public var bytesRead: Int64 { buffer.bytesRead }

    private let buffer: FileReadBuffer
    private let scanner: CSVRecordScanner
    private var spans: [CSVRecordScanner.FieldSpan] = []
    /// Reused to collapse `""` pairs in quoted fields.
    private var unescaped: [UInt8] = []
    /// Text bytes of each column in the last batch: the next batch's buffers start that big.
    private var lastByteCounts: [Int] = []
    /// 1-based physical line where the next record starts.
    private var line = 1
    private var finished = false

    public init(path: String, options: CSVReadOptions = CSVReadOptions()) throws {
        self.path = path
        self.options = options
        buffer = try FileReadBuffer(path: path, chunkSize: options.chunkSize)
        scanner = CSVRecordScanner(delimiter: options.delimiter)
        schema = Schema([])
        schema = try readHeader()
    }

    /// Reads up to `maxRows` records (good and malformed together, so a run of bad input
    /// cannot grow one chunk without bound). Returns nil at end of file.
    ///
    /// The batch is columnar (text columns of UTF-8 bytes): no `String` is made per field.
    public func next(maxRows: Int = 8192) throws -> CSVChunk? {
        let width = schema.fields.count
        let limit = max(maxRows, 1)
        var columns = (0..<width).map { c in
            TextColumnBuilder(capacity: min(limit, 65_536), byteCapacity: c < lastByteCounts.count ? lastByteCounts[c] + lastByteCounts[c] / 8 : 0)
        }
        var good = 0
        var malformed: [MalformedRow] = []
        while !finished, good + malformed.count < limit {
            switch try scanRecord() {
            case .endOfFile:
                finished = true
            case .malformed(let row):
                malformed.append(row)
            case .record(let recordStart, let recordEnd, let recordLine):
                if spans.count == 1, width > 1, isBlankLine(recordStart) { continue }
                if let reason = appendRecord(width: width, from: recordStart, to: recordEnd, into: &columns) {
                    malformed.append(MalformedRow(line: recordLine, reason: reason,
                                                  raw: rawText(from: recordStart, to: recordEnd)))
                } else {
                    good += 1
                }
            }
        }
        if finished { buffer.closeFile() }
        if good == 0, malformed.isEmpty { return nil }
        lastByteCounts = columns.map(\.byteCount)
        let batch = RecordBatch(schema: schema, columns: columns.indices.map { columns[$0].finish() }, count: good)
        return CSVChunk(batch: batch, malformedRows: malformed)
    }

    // MARK: - Records

    private enum ScanOutcome {
        /// `spans` hold the record's fields; its bytes stay in the buffer until the next scan.
        case record(start: Int, end: Int, line: Int)
        case malformed(MalformedRow)
        case endOfFile
    }

    private func scanRecord() throws -> ScanOutcome {
        while true {
            if buffer.available == 0 {
                if buffer.isAtEOF { return .endOfFile }
                if try !buffer.refill() { return .endOfFile }
            }
            let start = buffer.start
            let result = scanner.scan(buffer.base, from: start, end: buffer.end,
                                      atEOF: buffer.isAtEOF, fields: &spans)
            switch result {
            case .record(let next, let lines, let problem):
                let recordLine = line
                line += lines
                buffer.start = next
                if let problem {
                    return .malformed(MalformedRow(line: recordLine, reason: problem.reason,
                                                   raw: rawText(from: start, to: next)))
                }
                return .record(start: start, end: next, line: recordLine)
            case .unterminatedQuote:
                return .malformed(skipFirstLine(reason: "quoted field not closed before end of file"))
            case .needMore:
                if buffer.available > options.maxRecordBytes {
                    return try .malformed(skipOversizedRecord())
                }
                try buffer.refill()
            }
        }
    }

    /// Rejects the record starting at `buffer.start` and resumes after its first physical line.
    private func skipFirstLine(reason: String) -> MalformedRow {
        let start = buffer.start
        let next = endOfFirstLine(from: start) ?? buffer.end
        let row = MalformedRow(line: line, reason: reason, raw: rawText(from: start, to: next))
        buffer.start = next
        line += 1
        return row
    }

    private func skipOversizedRecord() throws -> MalformedRow {
        let reason = "record longer than \(options.maxRecordBytes) bytes (is a quote left open?)"
        let start = buffer.start
        if endOfFirstLine(from: start) != nil {
            let row = skipFirstLine(reason: reason)
            buffer.shrinkIfOversized()
            return row
        }
        // Even the first line does not fit: drop bytes until its line break.
        let row = MalformedRow(line: line, reason: reason, raw: rawText(from: start, to: buffer.end))
        line += 1
        buffer.discardAll()
        while try buffer.refill() || buffer.available > 0 {
            if let next = endOfFirstLine(from: buffer.start) {
                buffer.start = next
                break
            }
            buffer.discardAll()
            if buffer.isAtEOF { break }
        }
        buffer.shrinkIfOversized()
        return row
    }

    /// The index after the first LF, CRLF or CR at or after `from`, if the window holds one.
    /// A CR as the last byte before more data may arrive is not yet a line end.
    private func endOfFirstLine(from: Int) -> Int? {
        let p = buffer.base, end = buffer.end
        var i = from
        while i < end {
            let b = p[i]
            if b == UInt8(ascii: "\n") { return i + 1 }
            if b == UInt8(ascii: "\r") {
                if i + 1 < end { return p[i + 1] == UInt8(ascii: "\n") ? i + 2 : i + 1 }
                return buffer.isAtEOF ? i + 1 : nil
            }
            i += 1
        }
        return nil
    }

    private func isBlankLine(_ recordStart: Int) -> Bool {
        let span = spans[0]
        return !span.quoted && span.start == span.end && span.start == recordStart
    }

    /// The record's text for `MalformedRow.raw`, without its line terminator.
    private func rawText(from start: Int, to recordEnd: Int) -> String {
        var end = recordEnd
        let p = buffer.base
        while end > start, p[end - 1] == UInt8(ascii: "\n") || p[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        let bytes = UnsafeBufferPointer(start: p + start, count: end - start)
        return MalformedRow.rawText(bytes, limit: options.maxRawBytes)
    }

    // MARK: - Values

    /// Appends the record in `spans` to the columns; returns why it was rejected instead, if it was
    /// (then no column has changed).
    private func appendRecord(width: Int, from start: Int, to end: Int, into columns: inout [TextColumnBuilder]) -> String? {
        guard spans.count == width else { return "expected \(width) fields, found \(spans.count)" }
        let base = buffer.base
        // One check of the whole record: delimiters, quotes and line breaks are ASCII, so no field of
        // well-formed UTF-8 can split a character. Only a bad record is checked field by field.
        if !UTF8Validation.isValid(UnsafeBufferPointer(start: base + start, count: end - start)) {
            for index in 0..<width {
                let span = spans[index]
                if !UTF8Validation.isValid(UnsafeBufferPointer(start: base + span.start, count: span.end - span.start)) {
                    return "invalid UTF-8 in field \(index + 1)"
                }
            }
        }
        spans.withUnsafeBufferPointer { spans in
            columns.withUnsafeMutableBufferPointer { columns in
                for index in 0..<width {
                    let span = spans[index]
                    if !span.quoted, span.start == span.end {
                        columns[index].appendNull()
                    } else if span.hasDoubledQuotes {
                        collapseQuotes(span)
                        unescaped.withUnsafeBytes { columns[index].append($0) }
                    } else {
                        columns[index].append(UnsafeRawBufferPointer(start: base + span.start, count: span.end - span.start))
                    }
                }
            }
        }
        return nil
    }

    /// Fills `unescaped` with a quoted field's text, each `""` pair collapsed to one quote.
    private func collapseQuotes(_ span: CSVRecordScanner.FieldSpan) {
        let bytes = UnsafeBufferPointer(start: buffer.base + span.start, count: span.end - span.start)
        unescaped.removeAll(keepingCapacity: true)
        var i = 0
        while i < bytes.count {
            unescaped.append(bytes[i])
            // Inside a closed quoted field every quote is half of a doubled pair.
            i += bytes[i] == UInt8(ascii: "\"") ? 2 : 1
        }
    }

    /// The field's text, or nil if it is not valid UTF-8.
    private func decode(_ span: CSVRecordScanner.FieldSpan) -> String? {
        guard span.hasDoubledQuotes else {
            return UTF8Validation.string(UnsafeBufferPointer(start: buffer.base + span.start, count: span.end - span.start))
        }
        collapseQuotes(span)
        return unescaped.withUnsafeBufferPointer { UTF8Validation.string($0) }
    }

    // MARK: - Header

    private func readHeader() throws -> Schema {
        // Skip a UTF-8 byte order mark (Excel writes one).
        while buffer.available < 3, try buffer.refill() {}
        if buffer.available >= 3, buffer.base[0] == 0xEF, buffer.base[1] == 0xBB, buffer.base[2] == 0xBF {
            buffer.start += 3
        }
        switch try scanRecord() {
        case .endOfFile:
            throw CSVError.missingHeader(path: path)
        case .malformed(let row):
            throw CSVError.malformedHeader(path: path, reason: row.reason)
        case .record:
            var names: [String] = []
            for (index, span) in spans.enumerated() {
                guard let name = decode(span) else {
                    throw CSVError.malformedHeader(path: path, reason: "invalid UTF-8 in column \(index + 1)")
                }
                if name.isEmpty { throw CSVError.emptyHeaderName(path: path, column: index + 1) }
                names.append(name)
            }
            var seen = Set<String>()
            for name in names where !seen.insert(name).inserted {
                let columns = names.indices.filter { names[$0] == name }.map { $0 + 1 }
                throw CSVError.duplicateHeaderName(path: path, name: name, columns: columns)
            }
            return Schema(names.map { Field(name: $0, type: .string) })
        }
    }
}
