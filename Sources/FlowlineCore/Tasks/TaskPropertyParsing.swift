import Foundation

/// Parsers for the text forms task properties take.
enum TaskPropertyParsing {
    /// A list property: a JSON array (`["a","b"]`, numbers allowed) or comma-separated text
    /// (`a, b`). Nil when the JSON is malformed or an entry is empty.
    static func list(_ text: String) -> [String]? {
        let t = ValueConversion.trimmed(text)
        if t.first == "[" {
            guard let data = t.data(using: .utf8),
                  let array = try? JSONSerialization.jsonObject(with: data) as? [Any] else { return nil }
            var out: [String] = []
            for item in array {
                if let s = item as? String { out.append(s) }
                else if let n = item as? NSNumber { out.append(n.stringValue) }
                else { return nil }
            }
            return out
        }
        if t.isEmpty { return [] }
        let parts = t.split(separator: ",", omittingEmptySubsequences: false).map { String(ValueConversion.trimmed(String($0))) }
        return parts.contains(where: \.isEmpty) ? nil : parts
    }

    /// A positive whole number (at most 1,000,000, far beyond any field AppFlow moves).
    static func positiveCount(_ text: String) -> Int? {
        guard let n = Int(ValueConversion.trimmed(text)), n >= 1, n <= 1_000_000 else { return nil }
        return n
    }

    enum FormatProblem: Error {
        case unterminated
        case emptyName
    }

    /// Splits a CONCAT_FORMAT like `${FirstName} ${LastName}` into literals and placeholders.
    /// A `$` not followed by `{` is literal text.
    static func concatFormat(_ text: String) throws(FormatProblem) -> [MergePart] {
        var parts: [MergePart] = []
        var literal = ""
        var rest = Substring(text)
        while let dollar = rest.firstIndex(of: "$") {
            let afterDollar = rest.index(after: dollar)
            guard afterDollar < rest.endIndex, rest[afterDollar] == "{" else {
                literal += rest[...dollar]
                rest = rest[afterDollar...]
                continue
            }
            literal += rest[..<dollar]
            let nameStart = rest.index(after: afterDollar)
            guard let close = rest[nameStart...].firstIndex(of: "}") else { throw .unterminated }
            let name = String(rest[nameStart..<close])
            guard !name.isEmpty else { throw .emptyName }
            if !literal.isEmpty { parts.append(.literal(literal)); literal = "" }
            parts.append(.field(name))
            rest = rest[rest.index(after: close)...]
        }
        literal += rest
        if !literal.isEmpty { parts.append(.literal(literal)) }
        return parts
    }

    /// A filter operand as a typed value of `type`: numbers must be numbers of that kind, dates
    /// and timestamps ISO text or epoch milliseconds.
    static func operand(_ text: String, as type: FieldType) -> Value? {
        switch type {
        case .string: return .string(text)
        case .int:
            guard case .int(let i)? = ValueConversion.parseNumber(text) else { return nil }
            return .int(i)
        default:
            let v = ValueConversion.convert(.string(text), to: type)
            if case .null? = v { return nil }
            return v
        }
    }
}
