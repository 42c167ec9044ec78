#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A byte array for hot append loops: short appends are one capacity check and a copy.
///
/// `Array.append(contentsOf:)` costs about a hundred instructions per call whatever the length,
/// which dominated dictionary inserts of short strings. Here the storage array is kept a little
/// ahead of what is used (zero-filled a few KB at a time) and `count` says how much of it is used.
struct ByteVector {
    private var storage: [UInt8]
    private(set) var count = 0

    init() {
        storage = []
    }

    var isEmpty: Bool { count == 0 }

    @inline(__always)
    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        let n = bytes.count
        guard n > 0 else { return }
        reserve(n)
        let at = count
        storage.withUnsafeMutableBytes { dst in
            _ = memcpy(dst.baseAddress! + at, bytes.baseAddress!, n)
        }
        count += n
    }

    /// Appends `value` as 4 little-endian bytes (PLAIN's BYTE_ARRAY length prefix).
    @inline(__always)
    mutating func appendUInt32LE(_ value: UInt32) {
        reserve(4)
        let at = count
        storage.withUnsafeMutableBytes { dst in
            dst.storeBytes(of: value.littleEndian, toByteOffset: at, as: UInt32.self)
        }
        count += 4
    }

    @inline(__always)
    private mutating func reserve(_ n: Int) {
        if count + n > storage.count {
            // A few KB at a time: the array still grows its capacity geometrically, but only pages
            // about to be used are written (and so made resident).
            storage.append(contentsOf: repeatElement(0, count: max(4096, count + n - storage.count)))
        }
    }

    mutating func removeAll() {
        count = 0
    }

    func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try storage.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
    }

    /// The used bytes as an array, without a copy; leaves the vector empty.
    mutating func take() -> [UInt8] {
        var taken: [UInt8] = []
        swap(&taken, &storage)
        taken.removeLast(taken.count - count)
        count = 0
        return taken
    }
}
