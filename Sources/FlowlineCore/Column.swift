/// One field's values for every record of a batch, stored contiguously by kind: the fast path
/// between readers, the task plan and writers that understand it (see `RecordBatch.columns`).
///
/// Text is kept as UTF-8 bytes with offsets, numbers and dates in plain arrays, so a batch costs a
/// few large allocations instead of one `String` and one row array per record. `self[i]` gives any
/// value as a `Value`, exactly as the row form would hold it.
public struct Column: Sendable {
    public enum Storage: Sendable {
        /// Value `i` is `bytes[offsets[i]..<offsets[i + 1]]`, well-formed UTF-8 (`offsets` has count + 1 entries).
        case text(bytes: [UInt8], offsets: [Int])
        case int([Int64])
        case double([Double])
        /// Days since 1970-01-01.
        case date([Int32])
        /// Microseconds since the epoch.
        case timestamp([Int64])
        /// Any kind, one `Value` per record (nulls included; `valid` is nil).
        case values([Value])
    }

    public var storage: Storage
    /// `valid[i] == false` marks record `i` null; nil when no record is null. A null's slot in
    /// `storage` holds a placeholder (zero, or empty text).
    public var valid: [Bool]?
    public let count: Int

    public init(storage: Storage, valid: [Bool]?, count: Int) {
        self.storage = storage
        self.valid = valid
        self.count = count
    }

    public init(values: [Value]) {
        self.init(storage: .values(values), valid: nil, count: values.count)
    }

    @inline(__always)
    public func isNull(_ i: Int) -> Bool {
        if let valid { return !valid[i] }
        if case .values(let v) = storage { return v[i].isNull }
        return false
    }

    /// Record `i`'s value.
    public subscript(i: Int) -> Value {
        if let valid, !valid[i] { return .null }
        switch storage {
        case .text(let bytes, let offsets):
            return .string(bytes.withUnsafeBufferPointer {
                String(decoding: UnsafeBufferPointer(rebasing: $0[offsets[i]..<offsets[i + 1]]), as: UTF8.self)
            })
        case .int(let v): return .int(v[i])
        case .double(let v): return .double(v[i])
        case .date(let v): return .date(v[i])
        case .timestamp(let v): return .timestamp(v[i])
        case .values(let v): return v[i]
        }
    }

    /// The column without the records at `drop` (sorted, distinct indexes).
    public func removing(_ drop: [Int]) -> Column {
        guard !drop.isEmpty else { return self }
        var keep = [Bool](repeating: true, count: count)
        for i in drop { keep[i] = false }
        func kept<T>(_ a: [T]) -> [T] {
            var out: [T] = []
            out.reserveCapacity(count - drop.count)
            for i in 0..<count where keep[i] { out.append(a[i]) }
            return out
        }
        let newValid = valid.map(kept)
        let n = count - drop.count
        switch storage {
        case .text(let bytes, let offsets):
            var builder = TextColumnBuilder(capacity: n, byteCapacity: bytes.count)
            bytes.withUnsafeBytes { raw in
                for i in 0..<count where keep[i] {
                    builder.append(UnsafeRawBufferPointer(rebasing: raw[offsets[i]..<offsets[i + 1]]))
                }
            }
            return Column(storage: builder.finish().storage, valid: newValid, count: n)
        case .int(let v): return Column(storage: .int(kept(v)), valid: newValid, count: n)
        case .double(let v): return Column(storage: .double(kept(v)), valid: newValid, count: n)
        case .date(let v): return Column(storage: .date(kept(v)), valid: newValid, count: n)
        case .timestamp(let v): return Column(storage: .timestamp(kept(v)), valid: newValid, count: n)
        case .values(let v): return Column(storage: .values(kept(v)), valid: nil, count: n)
        }
    }
}

/// Builds a text column from byte ranges, growing its buffers geometrically (no per-value allocation).
public struct TextColumnBuilder: Sendable {
    private var bytes: [UInt8]
    private var used = 0
    private var offsets: [Int]
    private var valid: [Bool] = []
    private var nulls = 0

    public init(capacity: Int, byteCapacity: Int = 0) {
        offsets = [0]
        offsets.reserveCapacity(capacity + 1)
        valid.reserveCapacity(capacity)
        bytes = Self.unfilled(max(byteCapacity, 256))
    }

    /// An array of `count` bytes not yet written (bytes need no initialization; only `used` are ever read).
    private static func unfilled(_ count: Int) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: count) { _, initialized in initialized = count }
    }

    public var count: Int { valid.count }
    /// Text bytes so far.
    public var byteCount: Int { used }

    @inline(__always)
    public mutating func append(_ text: UnsafeRawBufferPointer) {
        let n = text.count
        if used + n > bytes.count {
            var bigger = Self.unfilled(max(bytes.count * 2, used + n))
            let kept = used
            bigger.withUnsafeMutableBytes { dst in bytes.withUnsafeBytes { dst.baseAddress!.copyMemory(from: $0.baseAddress!, byteCount: kept) } }
            bytes = bigger
        }
        if n > 0 {
            let at = used
            bytes.withUnsafeMutableBytes { $0.baseAddress!.advanced(by: at).copyMemory(from: text.baseAddress!, byteCount: n) }
        }
        used += n
        offsets.append(used)
        valid.append(true)
    }

    public mutating func append(_ string: String) {
        var s = string
        s.withUTF8 { append(UnsafeRawBufferPointer($0)) }
    }

    @inline(__always)
    public mutating func appendNull() {
        offsets.append(used)
        valid.append(false)
        nulls += 1
    }

    public mutating func finish() -> Column {
        bytes.removeLast(bytes.count - used)
        return Column(storage: .text(bytes: bytes, offsets: offsets), valid: nulls > 0 ? valid : nil, count: valid.count)
    }
}
