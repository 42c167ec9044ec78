#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A dictionary of distinct byte strings for one column chunk, keyed by exact bytes.
///
/// Keys are bytes rather than `String` because Swift's `String ==` treats canonically equivalent
/// texts (precomposed "é" and "e" + combining accent) as equal, which would rewrite data.
/// Entries are stored already PLAIN-encoded (4-byte little-endian length, then bytes), so the
/// dictionary page body is `entries` as is.
struct ByteArrayDictionary {
    private struct Entry {
        var hash: UInt64
        /// Offset of the entry's bytes (after its length prefix) in `entries`.
        var offset: Int
        var length: Int
    }

    private var entries = ByteVector()
    private var table: [Entry] = []
    /// Open addressing with linear probing; -1 marks an empty slot. Kept at most half full.
    private var slots: [Int32]
    private var mask: Int

    var count: Int { table.count }
    /// Size of the dictionary page body.
    var entryBytes: Int { entries.count }
    /// The dictionary page body; empties the dictionary.
    mutating func takePageBody() -> [UInt8] {
        let body = entries.take()
        removeAll()
        return body
    }

    init(initialSlots: Int = 1024) {
        slots = Array(repeating: -1, count: initialSlots)
        mask = initialSlots - 1
    }

    /// The index of `bytes`, inserting them when new.
    mutating func index(of bytes: UnsafeRawBufferPointer) -> UInt32 {
        let hash = Self.hash(bytes)
        var slot = Int(truncatingIfNeeded: hash) & mask
        let found: Int32? = slots.withUnsafeBufferPointer { slotsBuffer in
            table.withUnsafeBufferPointer { tableBuffer in
                entries.withUnsafeBytes { stored in
                    while true {
                        let candidate = slotsBuffer[slot]
                        if candidate < 0 { return nil }
                        let entry = tableBuffer[Int(candidate)]
                        if entry.hash == hash && entry.length == bytes.count
                            && (bytes.isEmpty || memcmp(stored.baseAddress! + entry.offset, bytes.baseAddress!, bytes.count) == 0) {
                            return candidate
                        }
                        slot = (slot + 1) & mask
                    }
                }
            }
        }
        if let found { return UInt32(found) }

        let index = table.count
        slots[slot] = Int32(index)
        entries.appendUInt32LE(UInt32(bytes.count))
        table.append(Entry(hash: hash, offset: entries.count, length: bytes.count))
        entries.append(bytes)
        if table.count * 2 > slots.count { grow() }
        return UInt32(index)
    }

    mutating func removeAll() {
        entries.removeAll()
        table.removeAll(keepingCapacity: true)
        slots.withUnsafeMutableBufferPointer { $0.update(repeating: -1) }
    }

    private mutating func grow() {
        let newCount = slots.count * 2
        slots = Array(repeating: -1, count: newCount)
        mask = newCount - 1
        for (index, entry) in table.enumerated() {
            var slot = Int(truncatingIfNeeded: entry.hash) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(index)
        }
    }

    /// A fast multiplicative hash over 8-byte words; the final mix spreads it into the low bits.
    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        let multiplier: UInt64 = 0x9E37_79B9_7F4A_7C15
        var h: UInt64 = UInt64(bytes.count) &* multiplier
        var i = 0
        let n = bytes.count
        while i + 8 <= n {
            let word = bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            h = (h ^ word) &* multiplier
            h ^= h >> 29
            i += 8
        }
        if i < n {
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            while i < n {
                tail |= UInt64(bytes[i]) << shift
                shift += 8
                i += 1
            }
            h = (h ^ tail) &* multiplier
            h ^= h >> 29
        }
        h = (h ^ (h >> 32)) &* multiplier
        return h ^ (h >> 31)
    }
}
