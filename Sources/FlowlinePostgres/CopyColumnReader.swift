import FlowlineCore
import Foundation

/// One column of a columnar batch seen through pointers to its buffers, with what its target
/// column asks of every value. It holds nothing reference-counted, so the per-value loop of
/// `CopyBatchEncoder` copies it freely: no retain, release or array copy per value.
///
/// Valid only inside `CopyColumnReader.withReaders`, which keeps the buffers pinned.
struct CopyColumnReader {
    enum Buffers {
        /// `noNUL`: the whole byte buffer holds no NUL, so values need not be scanned for one.
        case text(bytes: UnsafeBufferPointer<UInt8>, offsets: UnsafeBufferPointer<Int>, noNUL: Bool)
        case int(UnsafeBufferPointer<Int64>)
        case double(UnsafeBufferPointer<Double>)
        case date(UnsafeBufferPointer<Int32>)
        case timestamp(UnsafeBufferPointer<Int64>)
        case values(UnsafeBufferPointer<Value>)
    }

    let buffers: Buffers
    /// `valid[i] == false` marks record `i` null; nil when no record is (or nulls are among `.values`).
    let valid: UnsafeBufferPointer<Bool>?
    let kind: TargetColumn.Kind
    let notNull: Bool
    let integerByteWidth: Int

    /// Calls `body` with one reader per column, `targets[c]` describing `data[c]`'s destination.
    static func withReaders<R>(_ data: [Column], targets: [TargetColumn],
                               _ body: (UnsafeBufferPointer<CopyColumnReader>) -> R) -> R {
        var readers: [CopyColumnReader] = []
        readers.reserveCapacity(data.count)
        return bind(data, targets, from: 0, into: &readers, body)
    }

    /// Pins column `c`'s buffers, then the next column's inside that, and so on: a nesting of
    /// `withUnsafeBufferPointer` as deep as the batch has columns, so every pointer stays valid.
    private static func bind<R>(_ data: [Column], _ targets: [TargetColumn], from c: Int, into readers: inout [CopyColumnReader],
                                _ body: (UnsafeBufferPointer<CopyColumnReader>) -> R) -> R {
        if c == data.count { return readers.withUnsafeBufferPointer(body) }
        let column = data[c], target = targets[c]
        func next(_ valid: UnsafeBufferPointer<Bool>?, _ buffers: Buffers) -> R {
            readers.append(CopyColumnReader(buffers: buffers, valid: valid, kind: target.kind, notNull: target.notNull,
                                            integerByteWidth: target.integerByteWidth))
            return bind(data, targets, from: c + 1, into: &readers, body)
        }
        func storage(_ valid: UnsafeBufferPointer<Bool>?) -> R {
            switch column.storage {
            case .text(let bytes, let offsets):
                return bytes.withUnsafeBufferPointer { b in
                    offsets.withUnsafeBufferPointer { o in next(valid, .text(bytes: b, offsets: o, noNUL: !holdsNUL(b))) }
                }
            case .int(let v): return v.withUnsafeBufferPointer { next(valid, .int($0)) }
            case .double(let v): return v.withUnsafeBufferPointer { next(valid, .double($0)) }
            case .date(let v): return v.withUnsafeBufferPointer { next(valid, .date($0)) }
            case .timestamp(let v): return v.withUnsafeBufferPointer { next(valid, .timestamp($0)) }
            case .values(let v): return v.withUnsafeBufferPointer { next(valid, .values($0)) }
            }
        }
        if let valid = column.valid { return valid.withUnsafeBufferPointer { storage($0) } }
        return storage(nil)
    }
}

/// Whether any byte is NUL: memchr scans words at a time, where `contains(0)` goes byte by byte.
private func holdsNUL(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let base = bytes.baseAddress, !bytes.isEmpty else { return false }
    return memchr(base, 0, bytes.count) != nil
}

extension CopyFieldEncoder {
    /// Record `i` of a column when it plainly fits its column (the same type, in range, no NUL to
    /// look for): appended without any check that could refuse it. False when it needs the full
    /// path (`append(_:at:for:)`), which then appends it or says why not; nothing appended here then.
    @inline(__always)
    mutating func appendPlain(_ x: CopyColumnReader, at i: Int) -> Bool {
        if let valid = x.valid, !valid[i] {
            if x.notNull { return false }
            appendNull()
            return true
        }
        switch x.buffers {
        case .text(let bytes, let offsets, let noNUL):
            guard noNUL else { return false }
            switch x.kind {
            case .text(maxLength: .none), .other:
                appendText(UnsafeBufferPointer(rebasing: bytes[offsets[i]..<offsets[i + 1]]))
                return true
            default: return false
            }
        case .int(let v):
            guard case .integer(let min, let max) = x.kind, v[i] >= min, v[i] <= max else { return false }
            appendInteger(v[i], byteWidth: x.integerByteWidth)
        case .double(let v):
            guard case .float(let single) = x.kind else { return false }
            appendFloat(v[i], single: single)
        case .date(let v):
            guard case .date = x.kind else { return false }
            appendDate(days: v[i])
        case .timestamp(let v):
            guard case .timestamp = x.kind else { return false }
            appendTimestamp(micros: v[i])
        case .values:
            return false
        }
        return true
    }

    /// Record `i` of a column, checked and appended for `target` (see ValueEncoding.swift).
    mutating func append(_ x: CopyColumnReader, at i: Int, for target: TargetColumn) -> String? {
        if let valid = x.valid, !valid[i] { return appendNull(for: target) }
        switch x.buffers {
        case .text(let bytes, let offsets, let noNUL):
            return append(text: UnsafeBufferPointer(rebasing: bytes[offsets[i]..<offsets[i + 1]]), for: target, mayHoldNUL: !noNUL)
        case .int(let v): return append(integer: v[i], for: target)
        case .double(let v): return append(double: v[i], for: target)
        case .date(let v): return append(days: v[i], for: target)
        case .timestamp(let v): return append(micros: v[i], for: target)
        case .values(let v): return append(v[i], for: target)
        }
    }
}
