import Foundation

/// The part of SOQL the sandbox understands: `SELECT f, … FROM Object [WHERE cond] [LIMIT n]`,
/// conditions of `AND`/`OR`/parentheses over `=, !=, <, <=, >, >=`, `[NOT] IN (…)` and `LIKE`,
/// with string, number, boolean, null, date and datetime literals. Text compares case-insensitively,
/// as in Salesforce.
struct SOQLQuery {
    var fields: [String]
    var object: String
    var condition: Condition?
    var limit: Int?

    indirect enum Condition {
        case and(Condition, Condition)
        case or(Condition, Condition)
        case compare(field: String, op: String, value: SandboxValue)
        case inList(field: String, negated: Bool, values: [SandboxValue])
        case like(field: String, pattern: String)
    }

    struct ParseError: Error { var message: String }

    enum Token: Equatable {
        case word(String)
        case string(String)
        case symbol(String)
    }

    init(_ text: String) throws {
        var p = Parser(tokens: try Self.tokenize(text))
        try p.expectKeyword("SELECT")
        var fields: [String] = []
        repeat { fields.append(try p.word()) } while p.accept(.symbol(","))
        try p.expectKeyword("FROM")
        let object = try p.word()
        var condition: Condition?
        if p.acceptKeyword("WHERE") { condition = try p.orExpr() }
        var limit: Int?
        if p.acceptKeyword("LIMIT") { limit = Int(try p.word()) }
        guard p.atEnd else { throw ParseError(message: "unexpected token near position \(p.index)") }
        self.fields = fields
        self.object = object
        self.condition = condition
        self.limit = limit
    }

    static func tokenize(_ text: String) throws -> [Token] {
        var tokens: [Token] = []
        let chars = Array(text.unicodeScalars)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == " " || c == "\n" || c == "\t" || c == "\r" { i += 1; continue }
            if c == "'" {
                var s = ""
                i += 1
                while i < chars.count, chars[i] != "'" {
                    if chars[i] == "\\", i + 1 < chars.count {
                        i += 1
                        switch chars[i] {
                        case "n": s += "\n"
                        case "r": s += "\r"
                        case "t": s += "\t"
                        case "%": s += "\\%"
                        case "_": s += "\\_"
                        default: s.unicodeScalars.append(chars[i])
                        }
                    } else {
                        s.unicodeScalars.append(chars[i])
                    }
                    i += 1
                }
                guard i < chars.count else { throw ParseError(message: "unterminated string literal") }
                i += 1
                tokens.append(.string(s))
                continue
            }
            if "(),".unicodeScalars.contains(c) { tokens.append(.symbol(String(c))); i += 1; continue }
            if "<>=!".unicodeScalars.contains(c) {
                var op = String(c)
                if i + 1 < chars.count, chars[i + 1] == "=" || (c == "<" && chars[i + 1] == ">") { op.unicodeScalars.append(chars[i + 1]); i += 1 }
                tokens.append(.symbol(op))
                i += 1
                continue
            }
            var w = ""
            while i < chars.count, !" \n\t\r'(),<>=!".unicodeScalars.contains(chars[i]) { w.unicodeScalars.append(chars[i]); i += 1 }
            tokens.append(.word(w))
        }
        return tokens
    }

    struct Parser {
        var tokens: [Token]
        var index = 0
        var atEnd: Bool { index >= tokens.count }

        mutating func accept(_ t: Token) -> Bool {
            if index < tokens.count, tokens[index] == t { index += 1; return true }
            return false
        }

        mutating func acceptKeyword(_ k: String) -> Bool {
            if index < tokens.count, case .word(let w) = tokens[index], w.uppercased() == k { index += 1; return true }
            return false
        }

        mutating func expectKeyword(_ k: String) throws {
            guard acceptKeyword(k) else { throw ParseError(message: "expecting \(k)") }
        }

        mutating func word() throws -> String {
            guard index < tokens.count, case .word(let w) = tokens[index] else { throw ParseError(message: "expecting a name") }
            index += 1
            return w
        }

        mutating func orExpr() throws -> Condition {
            var left = try andExpr()
            while acceptKeyword("OR") { left = .or(left, try andExpr()) }
            return left
        }

        mutating func andExpr() throws -> Condition {
            var left = try primary()
            while acceptKeyword("AND") { left = .and(left, try primary()) }
            return left
        }

        mutating func primary() throws -> Condition {
            if accept(.symbol("(")) {
                let c = try orExpr()
                guard accept(.symbol(")")) else { throw ParseError(message: "expecting )") }
                return c
            }
            let field = try word()
            if acceptKeyword("LIKE") {
                guard index < tokens.count, case .string(let s) = tokens[index] else { throw ParseError(message: "LIKE needs a string") }
                index += 1
                return .like(field: field, pattern: s)
            }
            let negated = acceptKeyword("NOT")
            if acceptKeyword("IN") {
                guard accept(.symbol("(")) else { throw ParseError(message: "expecting ( after IN") }
                var values: [SandboxValue] = []
                repeat { values.append(try literal()) } while accept(.symbol(","))
                guard accept(.symbol(")")) else { throw ParseError(message: "expecting )") }
                return .inList(field: field, negated: negated, values: values)
            }
            guard !negated, index < tokens.count, case .symbol(let op) = tokens[index], op != "(", op != ")", op != "," else {
                throw ParseError(message: "expecting an operator after \(field)")
            }
            index += 1
            return .compare(field: field, op: op == "<>" ? "!=" : op, value: try literal())
        }

        mutating func literal() throws -> SandboxValue {
            guard index < tokens.count else { throw ParseError(message: "expecting a value") }
            let t = tokens[index]
            index += 1
            switch t {
            case .string(let s): return .string(s)
            case .symbol: throw ParseError(message: "expecting a value")
            case .word(let w):
                switch w.uppercased() {
                case "TRUE": return .bool(true)
                case "FALSE": return .bool(false)
                case "NULL": return .null
                default: break
                }
                if let i = Int64(w) { return .int(i) }
                if let d = Double(w) { return .double(d) }
                if let t = SandboxFormat.parseISO(w) { return w.count == 10 ? .date(t / 86_400_000) : .time(t) }
                throw ParseError(message: "unknown literal \(w)")
            }
        }
    }

    func matches(_ row: [SandboxValue], in table: SandboxTable) throws -> Bool {
        guard let condition else { return true }
        return try Self.eval(condition, row, table)
    }

    static func eval(_ c: Condition, _ row: [SandboxValue], _ t: SandboxTable) throws -> Bool {
        func value(_ f: String) throws -> SandboxValue {
            guard let i = t.index(of: f) else { throw ParseError(message: "No such column '\(f)' on entity '\(t.name)'") }
            return row[i]
        }
        switch c {
        case .and(let a, let b): return try eval(a, row, t) && eval(b, row, t)
        case .or(let a, let b): return try eval(a, row, t) || eval(b, row, t)
        case .compare(let f, let op, let lit):
            let v = try value(f)
            if case .null = lit { return op == "=" ? v.isNull : !v.isNull }
            guard let c = compare(v, lit) else { return op == "!=" }
            switch op {
            case "=": return c == 0
            case "!=": return c != 0
            case "<": return c < 0
            case "<=": return c <= 0
            case ">": return c > 0
            case ">=": return c >= 0
            default: throw ParseError(message: "unknown operator \(op)")
            }
        case .inList(let f, let negated, let values):
            let v = try value(f)
            let hit = values.contains { compare(v, $0) == 0 }
            return negated ? !hit : hit
        case .like(let f, let pattern):
            guard case .string(let s) = try value(f) else { return false }
            return like(s.lowercased(), pattern.lowercased())
        }
    }

    /// Three-way comparison; nil when either side is null or the kinds differ.
    static func compare(_ a: SandboxValue, _ b: SandboxValue) -> Int? {
        func o<T: Comparable>(_ x: T, _ y: T) -> Int { x < y ? -1 : (x == y ? 0 : 1) }
        switch (a, b) {
        case (.string(let x), .string(let y)): return o(x.lowercased(), y.lowercased())
        case (.int(let x), .int(let y)): return o(x, y)
        case (.int(let x), .double(let y)): return o(Double(x), y)
        case (.double(let x), .int(let y)): return o(x, Double(y))
        case (.double(let x), .double(let y)): return o(x, y)
        case (.bool(let x), .bool(let y)): return x == y ? 0 : (x ? 1 : -1)
        case (.time(let x), .time(let y)): return o(x, y)
        case (.date(let x), .date(let y)): return o(x, y)
        default: return nil
        }
    }

    /// SOQL LIKE: `%` any run, `_` one character, `\%` and `\_` themselves.
    static func like(_ s: String, _ pattern: String) -> Bool {
        let p = Array(pattern), t = Array(s)
        var tokens: [(Character, Bool)] = []   // (char, isWildcard)
        var i = 0
        while i < p.count {
            if p[i] == "\\", i + 1 < p.count { tokens.append((p[i + 1], false)); i += 2; continue }
            tokens.append((p[i], p[i] == "%" || p[i] == "_"))
            i += 1
        }
        func m(_ a: Int, _ b: Int) -> Bool {
            if a == tokens.count { return b == t.count }
            let (c, wild) = tokens[a]
            if wild && c == "%" { return (b...t.count).contains { m(a + 1, $0) } }
            guard b < t.count else { return false }
            if wild && c == "_" { return m(a + 1, b + 1) }
            return c == t[b] && m(a + 1, b + 1)
        }
        return m(0, 0)
    }
}

extension SandboxValue {
    var isNull: Bool {
        if case .null = self { return true }
        return false
    }
}
