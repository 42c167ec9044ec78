/// `ValueConversion.convert` over a whole column, for the columnar path of `TaskPlan`.
///
/// Text columns are parsed straight from their bytes with the same parsers, in the same order, that
/// `ValueConversion` applies first to a string (after the same trimming); any text those first steps
/// do not take goes through `ValueConversion.convert` itself, so every value comes out exactly as the
/// row path makes it.
enum ColumnConversion {
    /// The converted column, and the records that cannot be converted (their slots hold placeholders).
    static func convert(_ column: Column, to type: FieldType) -> (column: Column, failed: [Int]) {
        switch (column.storage, type) {
        case (.text, .string), (.int, .int), (.double, .double), (.date, .date), (.timestamp, .timestamp):
            return (column, [])
        case (.text(let bytes, let offsets), .int):
            return fromText(column, bytes, offsets, type, fast: { u in
                guard let n = NumberText.read(u), n.form == .integer else { return nil }
                return n.int64
            }, unwrap: { if case .int(let v) = $0 { return v } else { return nil } }, make: Column.Storage.int)
        case (.text(let bytes, let offsets), .double):
            return fromText(column, bytes, offsets, type, fast: NumberText.nearestDouble,
                            unwrap: { if case .double(let v) = $0 { return v } else { return nil } }, make: Column.Storage.double)
        case (.text(let bytes, let offsets), .date):
            return fromText(column, bytes, offsets, type, fast: ValueFormat.parseDate(bytes:),
                            unwrap: { if case .date(let v) = $0 { return v } else { return nil } }, make: Column.Storage.date)
        case (.text(let bytes, let offsets), .timestamp):
            return fromText(column, bytes, offsets, type, fast: ValueFormat.parseTimestamp(bytes:),
                            unwrap: { if case .timestamp(let v) = $0 { return v } else { return nil } }, make: Column.Storage.timestamp)
        default:
            var values: [Value] = []
            values.reserveCapacity(column.count)
            var failed: [Int] = []
            for r in 0..<column.count {
                if let v = ValueConversion.convert(column[r], to: type) {
                    values.append(v)
                } else {
                    values.append(.null)
                    failed.append(r)
                }
            }
            return (Column(values: values), failed)
        }
    }

    private static func fromText<T: Numeric>(_ column: Column, _ bytes: [UInt8], _ offsets: [Int], _ type: FieldType,
                                             fast: (UnsafeBufferPointer<UInt8>) -> T?, unwrap: (Value) -> T?,
                                             make: ([T]) -> Column.Storage) -> (column: Column, failed: [Int]) {
        let n = column.count
        var values = [T](repeating: 0, count: n)
        var valid = column.valid
        var failed: [Int] = []
        bytes.withUnsafeBufferPointer { all in
            values.withUnsafeMutableBufferPointer { out in
                for r in 0..<n where !column.isNull(r) {
                    let text = UnsafeBufferPointer(rebasing: all[offsets[r]..<offsets[r + 1]])
                    if let v = fast(trimmed(text)) {
                        out[r] = v
                    } else if let v = ValueConversion.convert(.string(String(decoding: text, as: UTF8.self)), to: type).flatMap(unwrap) {
                        out[r] = v
                    } else {
                        failed.append(r)
                    }
                }
            }
        }
        if !failed.isEmpty {
            if valid == nil { valid = [Bool](repeating: true, count: n) }
            for r in failed { valid![r] = false }
        }
        return (Column(storage: make(values), valid: valid, count: n), failed)
    }

    /// `text` without surrounding ASCII spaces, tabs and line breaks (as `ValueConversion.trimmed`).
    @inline(__always)
    private static func trimmed(_ text: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        func isSpace(_ b: UInt8) -> Bool { b == 0x20 || (b >= 0x09 && b <= 0x0D) }
        var start = 0, end = text.count
        while start < end, isSpace(text[start]) { start += 1 }
        while end > start, isSpace(text[end - 1]) { end -= 1 }
        return UnsafeBufferPointer(rebasing: text[start..<end])
    }
}
