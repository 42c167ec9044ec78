import FlowlineCore

/// Encoders of Flowline types stored as PLAIN fixed-width little-endian numbers. The shared logic
/// lives in the extension; each conforming struct names its number type and how to read a `Value`.
protocol FixedWidthColumnEncoder: ParquetValueEncoder {
    associatedtype Stored: Comparable
    var values: [Stored] { get set }
    var minValue: Stored? { get set }
    var maxValue: Stored? { get set }
    /// The stored number for `value`, or nil when `value` is not of this kind (nulls are handled earlier).
    static func stored(_ value: Value) -> Stored?
    /// A column's values, when its storage holds this kind.
    static func stored(_ storage: Column.Storage) -> [Stored]?
    /// Whether `value` takes part in min/max (NaN does not).
    static func isOrdered(_ value: Stored) -> Bool
    /// Statistics bounds as written; doubles widen zero to -0.0 / +0.0 as the format asks.
    static func bounds(min: Stored, max: Stored) -> (Stored, Stored)
}

extension FixedWidthColumnEncoder {
    static func isOrdered(_ value: Stored) -> Bool { true }
    static func bounds(min: Stored, max: Stored) -> (Stored, Stored) { (min, max) }

    private var stride: Int { MemoryLayout<Stored>.stride }

    mutating func append(_ cells: ParquetCells, range: Range<Int>,
                         levels: inout [UInt8], limits: ParquetPageLimits, context: ParquetColumnContext) throws -> Int {
        // Every value adds at most `stride` bytes, so the room left is known up front.
        let roomByBytes = max(1, (limits.bytes - pageValueBytes + stride - 1) / stride)
        let room = max(1, min(limits.values - levels.count, roomByBytes))
        let end = min(range.upperBound, range.lowerBound + room)
        if let column = cells.column, let stored = Self.stored(column.storage) {
            appendStored(stored, valid: column.valid, range.lowerBound..<end, levels: &levels)
            return end
        }
        for r in range.lowerBound..<end {
            let value = cells[r]
            if let stored = Self.stored(value) {
                levels.append(1)
                values.append(stored)
            } else if value.isNull {
                levels.append(0)
            } else {
                throw context.typeMismatch(row: r, found: value)
            }
        }
        return end
    }

    private mutating func appendStored(_ stored: [Stored], valid: [Bool]?, _ range: Range<Int>, levels: inout [UInt8]) {
        if let valid {
            for r in range {
                if valid[r] {
                    levels.append(1)
                    values.append(stored[r])
                } else {
                    levels.append(0)
                }
            }
        } else {
            levels.append(contentsOf: repeatElement(1, count: range.count))
            values.append(contentsOf: stored[range])
        }
    }

    var pageValueBytes: Int { values.count * stride }

    var chunkBufferedBytes: Int { 0 }

    mutating func finishPage(into body: inout [UInt8]) -> ParquetEncoding {
        var low = minValue, high = maxValue
        for v in values where Self.isOrdered(v) {
            if let current = low, !(v < current) {} else { low = v }
            if let current = high, !(v > current) {} else { high = v }
        }
        minValue = low
        maxValue = high
        body.appendRawBytes(of: values)
        values.removeAll(keepingCapacity: true)
        return .plain
    }

    mutating func finishChunk() -> (dictionary: (body: [UInt8], count: Int)?, min: [UInt8]?, max: [UInt8]?) {
        defer { minValue = nil; maxValue = nil }
        guard let low = minValue, let high = maxValue else { return (nil, nil, nil) }
        let (lower, upper) = Self.bounds(min: low, max: high)
        var minBytes: [UInt8] = [], maxBytes: [UInt8] = []
        minBytes.appendRawBytes(of: [lower])
        maxBytes.appendRawBytes(of: [upper])
        return (nil, minBytes, maxBytes)
    }
}

struct Int64ColumnEncoder: FixedWidthColumnEncoder {
    var values: [Int64] = []
    var minValue: Int64?
    var maxValue: Int64?

    static func stored(_ value: Value) -> Int64? {
        if case .int(let v) = value { return v }
        return nil
    }

    static func stored(_ storage: Column.Storage) -> [Stored]? {
        if case .int(let v) = storage { return v }
        return nil
    }
}

struct TimestampColumnEncoder: FixedWidthColumnEncoder {
    var values: [Int64] = []
    var minValue: Int64?
    var maxValue: Int64?

    static func stored(_ value: Value) -> Int64? {
        if case .timestamp(let micros) = value { return micros }
        return nil
    }

    static func stored(_ storage: Column.Storage) -> [Stored]? {
        if case .timestamp(let v) = storage { return v }
        return nil
    }
}

struct DateColumnEncoder: FixedWidthColumnEncoder {
    var values: [Int32] = []
    var minValue: Int32?
    var maxValue: Int32?

    static func stored(_ value: Value) -> Int32? {
        if case .date(let days) = value { return days }
        return nil
    }

    static func stored(_ storage: Column.Storage) -> [Stored]? {
        if case .date(let v) = storage { return v }
        return nil
    }
}

struct DoubleColumnEncoder: FixedWidthColumnEncoder {
    var values: [Double] = []
    var minValue: Double?
    var maxValue: Double?

    static func stored(_ value: Value) -> Double? {
        if case .double(let v) = value { return v }
        return nil
    }

    static func stored(_ storage: Column.Storage) -> [Stored]? {
        if case .double(let v) = storage { return v }
        return nil
    }

    static func isOrdered(_ value: Double) -> Bool { !value.isNaN }

    static func bounds(min: Double, max: Double) -> (Double, Double) {
        (min == 0 ? -0.0 : min, max == 0 ? 0.0 : max)
    }
}
