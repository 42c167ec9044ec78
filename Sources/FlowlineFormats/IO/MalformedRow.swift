/// An input record a text reader could not turn into a row.
///
/// Readers return these next to the good rows of the same chunk and carry on reading, so a
/// flow can count, log or reject them without losing the rows around them.
public struct MalformedRow: Sendable, Hashable, CustomStringConvertible {
    /// 1-based physical line of the file where the record starts.
    public var line: Int
    /// Why the record was rejected, e.g. "expected 3 fields, found 2".
    public var reason: String
    /// The start of the record's text (at most the reader's `maxRawBytes`), invalid UTF-8 replaced.
    public var raw: String

    public init(line: Int, reason: String, raw: String) {
        self.line = line
        self.reason = reason
        self.raw = raw
    }

    public var description: String { "line \(line): \(reason)" }

    /// Decodes at most `limit` bytes of a record for display, cut at a character boundary.
    static func rawText(_ bytes: UnsafeBufferPointer<UInt8>, limit: Int) -> String {
        guard bytes.count > limit else { return String(decoding: bytes, as: UTF8.self) }
        var cut = limit
        // Back up over UTF-8 continuation bytes so we do not split a character.
        while cut > 0, bytes[cut] & 0xC0 == 0x80 { cut -= 1 }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[0..<cut]), as: UTF8.self) + "…"
    }
}
