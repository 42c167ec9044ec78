/// A table name as `schema.table` (or just `table`), quoted for SQL in one place.
///
/// Parsing follows PostgreSQL: a part in double quotes is taken as written (with `""` for a
/// quote); an unquoted part is folded to lower case, as the server folds it.
public struct QualifiedName: Sendable, Hashable, CustomStringConvertible {
    public var schema: String?
    public var name: String

    public init(schema: String?, name: String) {
        self.schema = schema
        self.name = name
    }

    /// Reads AppFlow's `object` (`schema.table`, `table`, or with quoted parts `"My Schema"."T.1"`).
    public init(parsing text: String) throws(PostgresError) {
        var parts: [String] = []
        var current = ""
        var quoted = false, wasQuoted = false
        var chars = Array(text)[...]
        func fail(_ why: String) -> PostgresError {
            PostgresError(message: "Table name '\(text)' is not valid: \(why); use schema.table", operation: "read the destination object")
        }
        while let c = chars.popFirst() {
            if quoted {
                if c == "\"" {
                    if chars.first == "\"" { chars.removeFirst(); current.append("\"") } else { quoted = false }
                } else {
                    current.append(c)
                }
            } else if c == "\"" {
                guard current.isEmpty else { throw fail("a quote in the middle of a name") }
                quoted = true
                wasQuoted = true
            } else if c == "." {
                guard !current.isEmpty else { throw fail("an empty part") }
                parts.append(wasQuoted ? current : current.lowercased())
                current = ""
                wasQuoted = false
            } else {
                guard !wasQuoted else { throw fail("text after a closing quote") }
                current.append(c)
            }
        }
        guard !quoted else { throw fail("an unclosed quote") }
        guard !current.isEmpty else { throw fail("an empty part") }
        parts.append(wasQuoted ? current : current.lowercased())
        guard parts.count <= 2 else { throw fail("more than two parts") }
        self.init(schema: parts.count == 2 ? parts[0] : nil, name: parts.last!)
    }

    /// The identifier in double quotes, inner quotes doubled: safe to place in SQL text.
    public static func quote(_ identifier: String) -> String {
        "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// `"schema"."table"` for SQL text.
    public var quoted: String {
        schema.map { Self.quote($0) + "." + Self.quote(name) } ?? Self.quote(name)
    }

    public var description: String { schema.map { "\($0).\(name)" } ?? name }
}
