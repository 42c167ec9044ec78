/// A small validating JSON scanner for one JSON-lines record: a top-level object whose members
/// it reports as byte spans, without building a tree or decoding anything it need not.
///
/// Chosen over Foundation's `JSONSerialization` because that builds an `NSDictionary` of
/// bridged `NSNumber`/`NSString` values per line, which measured about 8× slower on Linux
/// than scanning the bytes once and decoding only the strings we keep (see `JSONLinesReader`).
struct JSONLineScanner {
    enum Token {
        case null
        case bool(Bool)
        /// A number's text; `isInteger` when it has no fraction or exponent.
        case number(start: Int, end: Int, isInteger: Bool)
        /// A string's content between the quotes; `hasEscapes` when it holds a backslash.
        case string(start: Int, end: Int, hasEscapes: Bool)
        /// A nested object or array, as its JSON text.
        case nested(start: Int, end: Int)
    }

    struct Member {
        var keyStart: Int
        var keyEnd: Int
        var keyHasEscapes: Bool
        var value: Token
    }

    struct Failure: Error {
        let reason: String
        let offset: Int
    }

    /// Nesting deeper than this is rejected, so a hostile line cannot exhaust the stack.
    static let maxDepth = 256

    private let p: UnsafePointer<UInt8>
    private let end: Int
    private var i: Int

    private init(_ p: UnsafePointer<UInt8>, start: Int, end: Int) {
        self.p = p
        self.i = start
        self.end = end
    }

    /// Scans `p[start..<end]` as one JSON object (surrounding whitespace allowed) into `members`.
    static func scanObject(_ p: UnsafePointer<UInt8>, start: Int, end: Int,
                           into members: inout [Member]) throws(Failure) {
        members.removeAll(keepingCapacity: true)
        var scanner = JSONLineScanner(p, start: start, end: end)
        scanner.skipWhitespace()
        guard scanner.i < end, p[scanner.i] == UInt8(ascii: "{") else {
            throw scanner.failure(scanner.i < end ? "line is not a JSON object" : "empty line")
        }
        scanner.i += 1
        scanner.skipWhitespace()
        if scanner.peek == UInt8(ascii: "}") {
            scanner.i += 1
        } else {
            while true {
                scanner.skipWhitespace()
                guard scanner.peek == UInt8(ascii: "\"") else { throw scanner.failure("expected a string key") }
                let key = try scanner.scanString()
                scanner.skipWhitespace()
                guard scanner.peek == UInt8(ascii: ":") else { throw scanner.failure("expected ':' after key") }
                scanner.i += 1
                scanner.skipWhitespace()
                let value = try scanner.scanValue(depth: 1)
                guard case .string(let keyStart, let keyEnd, let keyEscaped) = key else { fatalError("unreachable") }
                members.append(Member(keyStart: keyStart, keyEnd: keyEnd, keyHasEscapes: keyEscaped, value: value))
                scanner.skipWhitespace()
                if scanner.peek == UInt8(ascii: ",") { scanner.i += 1; continue }
                if scanner.peek == UInt8(ascii: "}") { scanner.i += 1; break }
                throw scanner.failure("expected ',' or '}'")
            }
        }
        scanner.skipWhitespace()
        guard scanner.i == end else { throw scanner.failure("text after the object") }
    }

    private var peek: UInt8? { i < end ? p[i] : nil }

    private func failure(_ reason: String) -> Failure { Failure(reason: reason, offset: i) }

    private mutating func skipWhitespace() {
        while i < end {
            let b = p[i]
            guard b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D else { return }
            i += 1
        }
    }

    private mutating func scanValue(depth: Int) throws(Failure) -> Token {
        guard let b = peek else { throw failure("unexpected end of line") }
        switch b {
        case UInt8(ascii: "\""):
            return try scanString()
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            let start = i
            try skipContainer(depth: depth)
            return .nested(start: start, end: i)
        case UInt8(ascii: "t"):
            try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"):
            try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"):
            try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return try scanNumber()
        default:
            throw failure("unexpected character '\(Unicode.Scalar(b))'")
        }
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(Failure) {
        let count = literal.utf8CodeUnitCount
        guard end - i >= count else { throw failure("invalid literal") }
        let bytes = literal.utf8Start
        for k in 0..<count where p[i + k] != bytes[k] { throw failure("invalid literal") }
        i += count
    }

    private mutating func scanNumber() throws(Failure) -> Token {
        let start = i
        var isInteger = true
        if peek == UInt8(ascii: "-") { i += 1 }
        guard let first = peek, isDigit(first) else { throw failure("invalid number") }
        if first == UInt8(ascii: "0") {
            i += 1
        } else {
            while let d = peek, isDigit(d) { i += 1 }
        }
        if peek == UInt8(ascii: ".") {
            isInteger = false
            i += 1
            guard let d = peek, isDigit(d) else { throw failure("invalid number") }
            while let d = peek, isDigit(d) { i += 1 }
        }
        if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
            isInteger = false
            i += 1
            if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { i += 1 }
            guard let d = peek, isDigit(d) else { throw failure("invalid number") }
            while let d = peek, isDigit(d) { i += 1 }
        }
        return .number(start: start, end: i, isInteger: isInteger)
    }

    private func isDigit(_ b: UInt8) -> Bool { b &- UInt8(ascii: "0") < 10 }

    /// Scans a string starting at its opening quote; validates escapes and rejects raw control
    /// characters. UTF-8 validity is checked when the string is decoded.
    private mutating func scanString() throws(Failure) -> Token {
        i += 1
        let start = i
        var escaped = false
        while i < end {
            let b = p[i]
            if b == UInt8(ascii: "\"") {
                i += 1
                return .string(start: start, end: i - 1, hasEscapes: escaped)
            }
            if b == UInt8(ascii: "\\") {
                escaped = true
                guard i + 1 < end else { break }
                switch p[i + 1] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
                     UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    i += 2
                case UInt8(ascii: "u"):
                    guard i + 6 <= end, (2..<6).allSatisfy({ JSONText.hexValue(p[i + $0]) != nil }) else {
                        throw failure("invalid \\u escape")
                    }
                    i += 6
                default:
                    throw failure("invalid escape in string")
                }
                continue
            }
            if b < 0x20 { throw failure("control character in string") }
            i += 1
        }
        throw failure("unterminated string")
    }

    private mutating func skipContainer(depth: Int) throws(Failure) {
        guard depth <= Self.maxDepth else { throw failure("nesting deeper than \(Self.maxDepth)") }
        let isObject = p[i] == UInt8(ascii: "{")
        let close = isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")
        i += 1
        skipWhitespace()
        if peek == close { i += 1; return }
        while true {
            skipWhitespace()
            if isObject {
                guard peek == UInt8(ascii: "\"") else { throw failure("expected a string key") }
                _ = try scanString()
                skipWhitespace()
                guard peek == UInt8(ascii: ":") else { throw failure("expected ':' after key") }
                i += 1
                skipWhitespace()
            }
            _ = try scanValue(depth: depth + 1)
            skipWhitespace()
            if peek == UInt8(ascii: ",") { i += 1; continue }
            if peek == close { i += 1; return }
            throw failure(isObject ? "expected ',' or '}'" : "expected ',' or ']'")
        }
    }
}
