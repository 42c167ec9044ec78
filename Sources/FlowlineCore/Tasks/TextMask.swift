/// Masking and truncation by characters as people see them (grapheme clusters), so an accented
/// letter or an emoji with modifiers counts as one character.
enum TextMask {
    static func mask(_ text: String, _ style: MaskStyle, with mark: String) -> String {
        if let fast = asciiMask(text, style, with: mark) { return fast }
        switch style {
        case .all:
            return String(repeating: mark, count: text.count)
        case .firstN(let n):
            let kept = text.dropFirst(n)
            return String(repeating: mark, count: text.count - kept.count) + String(kept)
        case .lastN(let n):
            let kept = text.dropLast(n)
            return String(kept) + String(repeating: mark, count: text.count - kept.count)
        }
    }

    /// Byte-wise masking when both the text and the mark are ASCII without CR (CR LF is one
    /// grapheme cluster), where one byte is one character.
    private static func asciiMask(_ text: String, _ style: MaskStyle, with mark: String) -> String? {
        let m = mark.utf8
        guard m.count == 1, let markByte = m.first, markByte < 0x80 else { return nil }
        let u = text.utf8
        guard u.allSatisfy({ $0 < 0x80 && $0 != 0x0D }) else { return nil }
        let count = u.count
        let range: Range<Int>
        switch style {
        case .all: range = 0..<count
        case .firstN(let n): range = 0..<min(n, count)
        case .lastN(let n): range = max(0, count - n)..<count
        }
        return String(unsafeUninitializedCapacity: count) { buffer in
            var i = 0
            for b in u {
                buffer[i] = range.contains(i) ? markByte : b
                i += 1
            }
            return count
        }
    }

    static func truncate(_ text: String, to n: Int) -> String {
        // UTF-8 length bounds the character count, so short text needs no walk.
        if text.utf8.count <= n { return text }
        return String(text.prefix(n))
    }

    /// Applies a rewrite to a value: null stays null, other values are rewritten as text.
    static func rewrite(_ value: Value, _ kind: PlanSteps.Rewrite.Kind) -> Value {
        guard let text = value.text else { return .null }
        switch kind {
        case .mask(let style, let mark): return .string(mask(text, style, with: mark))
        case .truncate(let n): return .string(truncate(text, to: n))
        }
    }
}
