import FlowlineCore

/// UTF-8 strings as BYTE_ARRAY: dictionary indices (RLE_DICTIONARY) while the chunk's dictionary
/// stays under its limit, PLAIN (4-byte length + bytes) after that.
///
/// With `textOfAnyValue`, non-string values are written as their `Value.text`
/// (for files written with `preserveTypes: false`).
struct ByteArrayColumnEncoder: ParquetValueEncoder {
    private let textOfAnyValue: Bool
    private let dictionaryLimit: Int
    private var dictionary = ByteArrayDictionary()
    private var dictionaryEnabled: Bool
    /// Set when the dictionary outgrew its limit mid-page; the page ends and PLAIN takes over.
    private var fallbackPending = false
    private var chunkHasDictionaryPages = false
    private var indices: [UInt32] = []
    private var plain = ByteVector()

    init(textOfAnyValue: Bool, useDictionary: Bool, dictionaryLimit: Int, pageValues: Int) {
        self.textOfAnyValue = textOfAnyValue
        self.dictionaryEnabled = useDictionary
        self.dictionaryLimit = dictionaryLimit
        if useDictionary { indices.reserveCapacity(pageValues) }
    }

    mutating func append(_ cells: ParquetCells, range: Range<Int>,
                levels: inout [UInt8], limits: ParquetPageLimits, context: ParquetColumnContext) throws -> Int {
        var r = range.lowerBound
        if let column = cells.column, case .text(let bytes, let offsets) = column.storage {
            // Text straight from the column's bytes: no String per value.
            bytes.withUnsafeBytes { raw in
                while r < range.upperBound && levels.count < limits.values && pageValueBytes < limits.bytes {
                    if column.isNull(r) {
                        levels.append(0)
                    } else {
                        levels.append(1)
                        add(UnsafeRawBufferPointer(rebasing: raw[offsets[r]..<offsets[r + 1]]))
                    }
                    r += 1
                }
            }
            return r
        }
        while r < range.upperBound && levels.count < limits.values && pageValueBytes < limits.bytes {
            switch cells[r] {
            case .string(let s):
                levels.append(1)
                add(s)
            case .null:
                levels.append(0)
            case let other:
                guard textOfAnyValue, let text = other.text else { throw context.typeMismatch(row: r, found: other) }
                levels.append(1)
                add(text)
            }
            r += 1
        }
        return r
    }

    private mutating func add(_ string: String) {
        let done: Void? = string.utf8.withContiguousStorageIfAvailable { utf8 in
            add(UnsafeRawBufferPointer(utf8))
        }
        if done == nil {
            var copy = string
            copy.withUTF8 { add(UnsafeRawBufferPointer($0)) }
        }
    }

    private mutating func add(_ bytes: UnsafeRawBufferPointer) {
        if dictionaryEnabled {
            indices.append(dictionary.index(of: bytes))
            if dictionary.entryBytes > dictionaryLimit {
                fallbackPending = true
            }
        } else {
            plain.appendUInt32LE(UInt32(bytes.count))
            plain.append(bytes)
        }
    }

    var pageValueBytes: Int {
        if fallbackPending { return Int.max }
        if dictionaryEnabled {
            let width = RLEBitPackedHybridEncoder.bitWidth(forMax: UInt64(max(dictionary.count, 1) - 1))
            return 1 + (indices.count * width + 7) / 8
        }
        return plain.count
    }

    var chunkBufferedBytes: Int { chunkHasDictionaryPages || dictionaryEnabled ? dictionary.entryBytes : 0 }

    mutating func finishPage(into body: inout [UInt8]) -> ParquetEncoding {
        defer {
            if fallbackPending {
                fallbackPending = false
                dictionaryEnabled = false
            }
        }
        if dictionaryEnabled {
            // A page of nulls only has no index to write; PLAIN says so without needing a dictionary.
            guard !indices.isEmpty else { return .plain }
            let width = RLEBitPackedHybridEncoder.bitWidth(forMax: UInt64(dictionary.count - 1))
            body.append(UInt8(width))
            indices.withUnsafeBufferPointer {
                RLEBitPackedHybridEncoder.encode($0, bitWidth: width, into: &body)
            }
            indices.removeAll(keepingCapacity: true)
            chunkHasDictionaryPages = true
            return .rleDictionary
        }
        plain.withUnsafeBytes { body.append(contentsOf: $0) }
        plain.removeAll()
        return .plain
    }

    mutating func finishChunk() -> (dictionary: (body: [UInt8], count: Int)?, min: [UInt8]?, max: [UInt8]?) {
        var page: (body: [UInt8], count: Int)? = nil
        if chunkHasDictionaryPages {
            let count = dictionary.count
            page = (dictionary.takePageBody(), count)
        }
        chunkHasDictionaryPages = false
        // A column that outgrew its dictionary keeps PLAIN in later chunks: it is not repetitive.
        if dictionaryEnabled {
            dictionary.removeAll()
        } else {
            dictionary = ByteArrayDictionary(initialSlots: 8)
        }
        return (page, nil, nil)
    }
}
