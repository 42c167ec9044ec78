/// Finds the fields of one RFC 4180 record in a byte window, without copying or decoding.
///
/// The scanner is a pure function of the bytes: it reports field boundaries as spans and
/// leaves string building to the reader, so a row with the wrong width costs no allocations.
/// When the window ends before the record does it answers `.needMore`; the reader then reads
/// another chunk and scans the record again from its start (only records straddling a chunk
/// boundary are scanned twice).
struct CSVRecordScanner {
    /// Where a field's content lies in the window. For a quoted field the span excludes the
    /// surrounding quotes; `hasDoubledQuotes` says `""` pairs inside still need collapsing.
    struct FieldSpan {
        var start: Int
        var end: Int
        var quoted: Bool
        var hasDoubledQuotes: Bool
    }

    enum Problem: Equatable {
        case strayQuote(field: Int)
        case textAfterClosingQuote(field: Int)

        var reason: String {
            switch self {
            case .strayQuote(let field): return "quote inside unquoted field \(field)"
            case .textAfterClosingQuote(let field): return "text after the closing quote of field \(field)"
            }
        }
    }

    enum Result {
        /// A whole record: `next` is the first byte after its line terminator, `lines` the number
        /// of physical lines it covered, `problem` the first quoting error found in it.
        case record(next: Int, lines: Int, problem: Problem?)
        /// The window ends inside the record and more bytes may follow.
        case needMore
        /// The file ends inside a quoted field.
        case unterminatedQuote
    }

    private static let quote = UInt8(ascii: "\"")
    private static let lf = UInt8(ascii: "\n")
    private static let cr = UInt8(ascii: "\r")

    let delimiter: UInt8
    /// `special[b]` is true for the delimiter, quote, CR and LF: one load per byte in the hot loop.
    private let special: [Bool]

    init(delimiter: UInt8) {
        self.delimiter = delimiter
        var table = [Bool](repeating: false, count: 256)
        for b in [delimiter, Self.quote, Self.cr, Self.lf] { table[Int(b)] = true }
        special = table
    }

    func scan(_ p: UnsafePointer<UInt8>, from: Int, end: Int, atEOF: Bool,
              fields: inout [FieldSpan]) -> Result {
        fields.removeAll(keepingCapacity: true)
        return special.withUnsafeBufferPointer { table in
            scan(p, from: from, end: end, atEOF: atEOF, table: table.baseAddress!, fields: &fields)
        }
    }

    private func scan(_ p: UnsafePointer<UInt8>, from: Int, end: Int, atEOF: Bool,
                      table: UnsafePointer<Bool>, fields: inout [FieldSpan]) -> Result {
        let quote = Self.quote, lf = Self.lf, cr = Self.cr, delimiter = self.delimiter
        var i = from
        var lines = 0
        var problem: Problem?
        while true {
            let fieldNumber = fields.count + 1
            if i < end, p[i] == quote {
                i += 1
                let contentStart = i
                var doubled = false
                while true {
                    while i < end {
                        let b = p[i]
                        if b == quote { break }
                        if b == lf {
                            lines += 1
                        } else if b == cr {
                            if i + 1 < end {
                                if p[i + 1] != lf { lines += 1 }
                            } else if atEOF {
                                lines += 1
                            } else {
                                return .needMore
                            }
                        }
                        i += 1
                    }
                    if i >= end { return atEOF ? .unterminatedQuote : .needMore }
                    // p[i] is a quote: either the first of a doubled pair, or the closing quote.
                    if i + 1 < end {
                        if p[i + 1] == quote { doubled = true; i += 2; continue }
                    } else if !atEOF {
                        return .needMore
                    }
                    break
                }
                fields.append(FieldSpan(start: contentStart, end: i, quoted: true, hasDoubledQuotes: doubled))
                i += 1
                if i < end, p[i] != delimiter, p[i] != lf, p[i] != cr {
                    // `"ab"cd`: keep the quoted part, skip to the field's end, reject the record.
                    if problem == nil { problem = .textAfterClosingQuote(field: fieldNumber) }
                    while i < end, p[i] != delimiter, p[i] != lf, p[i] != cr { i += 1 }
                    if i >= end, !atEOF { return .needMore }
                }
            } else {
                let fieldStart = i
                while i < end {
                    let b = p[i]
                    if table[Int(b)] {
                        if b != quote { break }
                        // A quote in an unquoted field is not RFC 4180; read it as text to find
                        // the record's end, and reject the record.
                        if problem == nil { problem = .strayQuote(field: fieldNumber) }
                    }
                    i += 1
                }
                if i >= end, !atEOF { return .needMore }
                fields.append(FieldSpan(start: fieldStart, end: i, quoted: false, hasDoubledQuotes: false))
            }
            if i >= end { return .record(next: end, lines: lines + 1, problem: problem) }
            let b = p[i]
            if b == delimiter { i += 1; continue }
            if b == lf { return .record(next: i + 1, lines: lines + 1, problem: problem) }
            // CR, alone or as the first half of CRLF.
            if i + 1 < end {
                return .record(next: p[i + 1] == lf ? i + 2 : i + 1, lines: lines + 1, problem: problem)
            }
            if !atEOF { return .needMore }
            return .record(next: i + 1, lines: lines + 1, problem: problem)
        }
    }
}
