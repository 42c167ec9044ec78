#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Hands back the `String` already made for the same bytes in one column, when that column repeats
/// itself (stages, countries, names): a hit costs a hash and a compare instead of validating,
/// allocating and copying, and repeated large strings share one buffer.
///
/// The table is small and direct-mapped (a newer value replaces an older one in its slot). Each
/// batch starts by sampling: a column whose first values rarely hit stops interning until the next
/// batch, so columns of unique values (ids, emails) pay next to nothing.
struct StringInterner {
    private struct Slot {
        var hash: UInt64
        var string: String
    }

    private static let slotCount = 256
    /// Values sampled at the start of a batch before deciding.
    private static let sampleSize = 256
    /// Fields longer than this are never interned (rarely repeated, and slow to compare).
    static let maxLength = 128

    private var slots: [Slot?] = Array(repeating: nil, count: StringInterner.slotCount)
    private var sampled = 0
    private var hits = 0
    private var enabled = true

    /// Call at the start of each batch: sample again.
    mutating func startBatch() {
        sampled = 0
        hits = 0
        enabled = true
    }

    /// The string for `bytes`; `make` builds it (or returns nil for invalid text) on a miss.
    @inline(__always)
    mutating func string(_ bytes: UnsafeBufferPointer<UInt8>, make: (UnsafeBufferPointer<UInt8>) -> String?) -> String? {
        guard enabled, bytes.count <= Self.maxLength else { return make(bytes) }
        if sampled < Self.sampleSize {
            sampled += 1
        } else if hits * 2 < Self.sampleSize {
            enabled = false
            return make(bytes)
        }
        let hash = Self.hash(bytes)
        let index = Int(truncatingIfNeeded: hash) & (Self.slotCount - 1)
        if let slot = slots[index], slot.hash == hash, Self.equal(slot.string, bytes) {
            hits += 1
            return slot.string
        }
        guard let made = make(bytes) else { return nil }
        slots[index] = Slot(hash: hash, string: made)
        return made
    }

    /// A quick hash of the length and the first and last 8 bytes; equal strings are compared in full anyway.
    @inline(__always)
    private static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        let n = bytes.count
        let raw = UnsafeRawBufferPointer(bytes)
        var h = UInt64(truncatingIfNeeded: n) &* 0x9E37_79B9_7F4A_7C15
        if n >= 8 {
            h ^= raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self)
            h = (h &* 0xFF51_AFD7_ED55_8CCD) ^ raw.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
        } else {
            for b in bytes { h = (h << 8) | UInt64(b) }
        }
        h = (h ^ (h >> 32)) &* 0x9E37_79B9_7F4A_7C15
        return h ^ (h >> 29)
    }

    private static func equal(_ string: String, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let same = string.utf8.withContiguousStorageIfAvailable { stored in
            stored.count == bytes.count && (bytes.isEmpty || memcmp(stored.baseAddress!, bytes.baseAddress!, bytes.count) == 0)
        }
        return same ?? false
    }
}
