import Foundation

/// The system query options of one OData v2 entity-set request, parsed and checked
/// ([MS-ODATA] 2.2.3.6.1, https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-odata/72d4ebf9-5480-49a4-b88b-c5782f726c87):
/// an option the sandbox does not support is refused, not ignored, as the spec requires.
struct SAPODataQuery {
    enum Comparison: String { case eq, ne, gt, ge, lt, le }

    /// Column indexes to write (`$select`), all by default.
    var columns: [Int]
    var terms: [(field: Int, op: Comparison, literal: SandboxValue)] = []
    var orderBy: [(field: Int, descending: Bool)] = []
    var skip = 0
    var top: Int?
    /// Where in the client's `$skip`/`$top` window this page starts (our `$skiptoken`).
    var skipToken = 0
    var inlineCount = false

    /// A request the emulated service refuses: HTTP 400 with a Gateway message.
    struct Refusal: Error {
        var code: String
        var message: String
    }

    static let supported: Set<String> = ["$select", "$filter", "$orderby", "$skip", "$top", "$skiptoken", "$inlinecount", "$format"]

    init(_ p: [String: String], _ table: SandboxTable) throws(Refusal) {
        for key in p.keys where key.hasPrefix("$") && !Self.supported.contains(key) {
            throw Refusal(code: "/IWBEP/CM_MGW_RT/004", message: "System query option '\(key)' is not supported")
        }
        columns = Array(table.fields.indices)
        if let select = p["$select"], !select.isEmpty {
            columns = []
            for name in select.split(separator: ",") {
                guard let i = table.fields.firstIndex(where: { $0.name == name }) else {
                    throw Refusal(code: "/IWBEP/CM_MGW_RT/022", message: "Property '\(name)' is invalid")
                }
                columns.append(i)
            }
        }
        if let filter = p["$filter"], !filter.isEmpty {
            for term in filter.components(separatedBy: " and ") {
                guard let parsed = Self.term(term, table) else {
                    throw Refusal(code: "/IWBEP/CM_MGW_RT/022", message: "Invalid filter expression: '\(term)'")
                }
                terms.append(parsed)
            }
        }
        if let order = p["$orderby"], !order.isEmpty {
            for item in order.split(separator: ",") {
                let words = item.split(separator: " ").map(String.init)
                guard let name = words.first, let i = table.fields.firstIndex(where: { $0.name == name }), words.count <= 2,
                      words.count == 1 || words[1] == "asc" || words[1] == "desc" else {
                    throw Refusal(code: "/IWBEP/CM_MGW_RT/022", message: "Invalid $orderby expression: '\(item)'")
                }
                orderBy.append((i, words.count == 2 && words[1] == "desc"))
            }
        }
        // "If a value less than zero is specified, the URI should be considered malformed" ($top, $skip).
        skip = try Self.count(p, "$skip") ?? 0
        top = try Self.count(p, "$top")
        skipToken = try Self.count(p, "$skiptoken") ?? 0
        switch p["$inlinecount"] {
        case nil, "none": inlineCount = false
        case "allpages": inlineCount = true
        // [MS-ODATA] 2.2.3.6.1.10: any other value MUST get a 4xx.
        case let other?: throw Refusal(code: "/IWBEP/CM_MGW_RT/022", message: "Invalid $inlinecount value '\(other)' (allpages or none)")
        }
    }

    static func count(_ p: [String: String], _ name: String) throws(Refusal) -> Int? {
        guard let text = p[name] else { return nil }
        guard let n = Int(text), n >= 0 else {
            throw Refusal(code: "/IWBEP/CM_MGW_RT/022", message: "Invalid value '\(text)' for \(name): a whole number of 0 or more")
        }
        return n
    }

    /// The rows that pass `$filter`, in `$orderby` order (key order by default, which is the
    /// "full ordering by EntityKey" [MS-ODATA] 2.2.3.6.1.9 asks of a server that pages).
    func matched(_ table: SandboxTable) -> [Int] {
        var rows = table.rows.indices.filter { r in
            terms.allSatisfy { field, op, literal in
                guard let c = SOQLQuery.compare(table.rows[r][field], literal) else { return false }
                switch op {
                case .eq: return c == 0
                case .ne: return c != 0
                case .gt: return c > 0
                case .ge: return c >= 0
                case .lt: return c < 0
                case .le: return c <= 0
                }
            }
        }
        if !orderBy.isEmpty {
            rows = rows.enumerated().sorted { a, b in
                for (field, descending) in orderBy {
                    let c = SOQLQuery.compare(table.rows[a.element][field], table.rows[b.element][field]) ?? 0
                    if c != 0 { return descending ? c > 0 : c < 0 }
                }
                return a.offset < b.offset
            }.map(\.element)
        }
        return rows
    }

    /// `Field op literal` with `'text'`, numbers, `true`/`false`, `datetime'…'`, `datetimeoffset'…'`.
    static func term(_ text: String, _ table: SandboxTable) -> (field: Int, op: Comparison, literal: SandboxValue)? {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: " ", maxSplits: 2).map(String.init)
        guard parts.count == 3, let field = table.fields.firstIndex(where: { $0.name == parts[0] }),
              let op = Comparison(rawValue: parts[1]) else { return nil }
        let lit = parts[2]
        let value: SandboxValue
        if lit.hasPrefix("datetime'") || lit.hasPrefix("datetimeoffset'") {
            guard lit.hasSuffix("'"), let t = SandboxFormat.parseISO(String(lit.drop { $0 != "'" }.dropFirst().dropLast())) else { return nil }
            value = .time(t)
        } else if lit.hasPrefix("'"), lit.hasSuffix("'") {
            value = .string(String(lit.dropFirst().dropLast()).replacingOccurrences(of: "''", with: "'"))
        } else if lit == "true" || lit == "false" {
            value = .bool(lit == "true")
        } else if let d = Double(lit) {
            value = .double(d)
        } else {
            return nil
        }
        return (field, op, value)
    }
}

/// Which rows one response carries, and whether a next link follows: the arithmetic of paging,
/// apart from HTTP so it can be reasoned about on its own.
///
/// The client's `$skip`/`$top` pick a window of the matched rows ([MS-ODATA] 2.2.3.6.1.2: `$skip`,
/// then `$top`). A response carries at most `limit` rows of that window, from `skipToken` on; when
/// rows of the window remain, a next link continues within the same window, and the chain ends at
/// the window's end, not at the end of the data: a client that asked for `$top=97` gets 97 rows
/// over the chain and must ask for `$skip=97` itself.
struct SAPODataPage: Equatable {
    /// Offsets into the matched rows.
    var rows: Range<Int>
    /// Where the next page starts within the window, if one follows.
    var nextToken: Int?

    static func plan(matched: Int, skip: Int, top: Int?, skipToken: Int, limit: Int) -> SAPODataPage {
        let windowStart = min(skip, matched)
        let windowEnd = top.map { min(matched, windowStart + $0) } ?? matched
        let window = windowEnd - windowStart
        let start = min(skipToken, window)
        let count = min(max(limit, 0), window - start)
        let next = start + count < window ? start + count : nil
        return SAPODataPage(rows: (windowStart + start)..<(windowStart + start + count), nextToken: next)
    }
}
