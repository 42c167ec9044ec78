import Foundation

/// One Reporting API v4 report request over a view's hits (see `GoogleAnalyticsRoutes` for the
/// documented behaviours and their sources).
struct UAReport {
    struct Failure: Error { var message: String }

    /// A filter on one column: `apply` is tested against the column's value.
    struct Condition {
        var field: String
        var negate: Bool
        var test: (String) -> Bool
    }

    let view: UAView
    let now: Int64
    var dimensions: [String] = []
    var metrics: [String] = []
    var ranges: [(Int64, Int64)] = []
    /// AND of ORs, on hits (dimensions) and on aggregated rows (metrics, first range).
    var hitFilters: [[Condition]] = []
    var rowFilters: [[Condition]] = []
    var orderBys: [[String: Any]] = []
    var pageSize = 1000
    var offset = 0
    var hideTotals = false
    var hideValueRanges = false

    static let fields = ["ga:dateHourMinute": 0, "ga:country": 1, "ga:deviceCategory": 2, "ga:pagePath": 3,
                         "ga:sessions": 4, "ga:users": 5, "ga:pageviews": 6, "ga:bounceRate": 7]

    init(request r: [String: Any], view: UAView, now: Int64, pageCap: Int) throws {
        self.view = view
        self.now = now
        dimensions = (r["dimensions"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
        metrics = (r["metrics"] as? [[String: Any]] ?? []).compactMap { $0["expression"] as? String }
        // Rather refused than silently ignored: a client relying on them would get wrong numbers.
        for field in ["pivots", "segments", "cohortGroup"] where r[field] != nil && !((r[field] as? [Any])?.isEmpty ?? false) {
            throw Failure(message: "\(field) is not emulated by flowline-sandbox")
        }
        let known = Set(GoogleAnalyticsRoutes.columns.filter { $0.status == "PUBLIC" }.map(\.id))
        if let bad = (dimensions + metrics).first(where: { !known.contains($0) }) {
            throw Failure(message: "Unknown dimension or metric: \(bad)")
        }
        guard !metrics.isEmpty, dimensions.count <= 9, metrics.count <= 10 else {
            throw Failure(message: "A report needs 1 to 10 metrics and at most 9 dimensions")
        }
        let rawRanges = r["dateRanges"] as? [[String: Any]] ?? []
        guard rawRanges.count <= 2 else { throw Failure(message: "A report request can have at most 2 date ranges") }
        for range in rawRanges.isEmpty ? [[:]] : rawRanges {
            guard let start = GoogleTime.day(range["startDate"] as? String ?? "7daysAgo", now: now, zone: view.zone),
                  let end = GoogleTime.day(range["endDate"] as? String ?? "yesterday", now: now, zone: view.zone), start <= end else {
                throw Failure(message: "Invalid date range: dates are YYYY-MM-DD, today, yesterday or NdaysAgo, and startDate is not after endDate")
            }
            ranges.append((start, end))
        }
        for clause in r["dimensionFilterClauses"] as? [[String: Any]] ?? [] {
            let group = try (clause["filters"] as? [[String: Any]] ?? []).map(Self.dimensionCondition)
            if (clause["operator"] as? String) == "AND" { hitFilters += group.map { [$0] } } else if !group.isEmpty { hitFilters.append(group) }
        }
        for clause in r["metricFilterClauses"] as? [[String: Any]] ?? [] {
            let group = try (clause["filters"] as? [[String: Any]] ?? []).map(Self.metricCondition)
            if (clause["operator"] as? String) == "AND" { rowFilters += group.map { [$0] } } else if !group.isEmpty { rowFilters.append(group) }
        }
        if let expression = r["filtersExpression"] as? String, !expression.isEmpty {
            for group in try Self.parse(expression) {
                if group.allSatisfy({ Self.kind($0.field) == "DIMENSION" }) {
                    hitFilters.append(group)
                } else if group.allSatisfy({ Self.kind($0.field) == "METRIC" }) {
                    rowFilters.append(group)
                } else {
                    throw Failure(message: "filtersExpression cannot combine dimensions and metrics in one OR expression")
                }
            }
        }
        for c in (hitFilters + rowFilters).joined() where !known.contains(c.field) {
            throw Failure(message: "Unknown dimension or metric in a filter: \(c.field)")
        }
        orderBys = r["orderBys"] as? [[String: Any]] ?? []
        for o in orderBys where !(dimensions + metrics).contains(o["fieldName"] as? String ?? "") {
            throw Failure(message: "orderBys fieldName \(o["fieldName"] ?? "") must be one of the request's dimensions or metrics")
        }
        guard let size = GoogleAPI.integer(r["pageSize"], absent: 1000), size >= 0 else { throw Failure(message: "pageSize must be >= 0") }
        pageSize = min(size == 0 ? 1000 : size, 100_000, pageCap)
        if let token = r["pageToken"] as? String, !token.isEmpty {
            guard let o = Int(token), o >= 0 else { throw Failure(message: "Invalid pageToken: \(token)") }
            offset = o
        }
        hideTotals = GoogleAPI.bool(r["hideTotals"])
        hideValueRanges = GoogleAPI.bool(r["hideValueRanges"])
    }

    static func kind(_ field: String) -> String? {
        GoogleAnalyticsRoutes.columns.first { $0.id == field }?.kind
    }

    static func dimensionCondition(_ f: [String: Any]) throws -> Condition {
        let name = f["dimensionName"] as? String ?? ""
        let expressions = f["expressions"] as? [String] ?? []
        let sensitive = GoogleAPI.bool(f["caseSensitive"])
        let first = expressions.first ?? ""
        let fold: (String) -> String = { sensitive ? $0 : $0.lowercased() }
        let test: (String) -> Bool
        switch f["operator"] as? String ?? "REGEXP" {
        case "BEGINS_WITH": test = { fold($0).hasPrefix(fold(first)) }
        case "ENDS_WITH": test = { fold($0).hasSuffix(fold(first)) }
        case "PARTIAL": test = { fold($0).contains(fold(first)) }
        case "EXACT": test = { fold($0) == fold(first) }
        case "IN_LIST": test = { v in expressions.contains { fold($0) == fold(v) } }
        case "NUMERIC_EQUAL": test = { Double($0) == Double(first) }
        case "NUMERIC_GREATER_THAN": test = { (Double($0) ?? -.infinity) > (Double(first) ?? .infinity) }
        case "NUMERIC_LESS_THAN": test = { (Double($0) ?? .infinity) < (Double(first) ?? -.infinity) }
        case "REGEXP", "OPERATOR_UNSPECIFIED":
            guard let re = try? NSRegularExpression(pattern: first, options: sensitive ? [] : [.caseInsensitive]) else {
                throw Failure(message: "Invalid regular expression in the filter on \(name): \(first)")
            }
            test = { re.firstMatch(in: $0, range: NSRange($0.startIndex..., in: $0)) != nil }
        case let other: throw Failure(message: "Unknown dimension filter operator \(other)")
        }
        return Condition(field: name, negate: GoogleAPI.bool(f["not"]), test: test)
    }

    static func metricCondition(_ f: [String: Any]) throws -> Condition {
        let name = f["metricName"] as? String ?? ""
        let target = Double(f["comparisonValue"] as? String ?? "") ?? 0
        let test: (String) -> Bool
        switch f["operator"] as? String ?? "EQUAL" {
        case "EQUAL", "OPERATOR_UNSPECIFIED": test = { Double($0) == target }
        case "LESS_THAN": test = { (Double($0) ?? 0) < target }
        case "GREATER_THAN": test = { (Double($0) ?? 0) > target }
        case "IS_MISSING": test = { $0.isEmpty }
        case let other: throw Failure(message: "Unknown metric filter operator \(other)")
        }
        return Condition(field: name, negate: GoogleAPI.bool(f["not"]), test: test)
    }

    /// A Core Reporting filters expression: `;` joins ANDs, `,` ORs, `\` escapes.
    static func parse(_ expression: String) throws -> [[Condition]] {
        // Backslash escapes `,`, `;` and `\`; an escape meant for the inner split is kept for it.
        func split(_ s: String, on sep: Character) -> [String] {
            var parts = [""], escaped = false
            for ch in s {
                if escaped {
                    if ch != sep { parts[parts.count - 1].append("\\") }
                    parts[parts.count - 1].append(ch)
                    escaped = false
                } else if ch == "\\" {
                    escaped = true
                } else if ch == sep {
                    parts.append("")
                } else {
                    parts[parts.count - 1].append(ch)
                }
            }
            return parts
        }
        return try split(expression, on: ";").map { and in
            try split(and, on: ",").map { part in
                for op in ["==", "!=", "=@", "!@", "=~", "!~", ">=", "<=", ">", "<"] {
                    guard let r = part.range(of: op) else { continue }
                    let field = String(part[..<r.lowerBound]), value = String(part[r.upperBound...])
                    let lower = value.lowercased()
                    switch op {
                    case "==": return Condition(field: field, negate: false) { $0 == value }
                    case "!=": return Condition(field: field, negate: true) { $0 == value }
                    case "=@": return Condition(field: field, negate: false) { $0.lowercased().contains(lower) }
                    case "!@": return Condition(field: field, negate: true) { $0.lowercased().contains(lower) }
                    case "=~", "!~":
                        guard let re = try? NSRegularExpression(pattern: value, options: [.caseInsensitive]) else {
                            throw Failure(message: "Invalid regular expression in filtersExpression: \(value)")
                        }
                        return Condition(field: field, negate: op == "!~") { re.firstMatch(in: $0, range: NSRange($0.startIndex..., in: $0)) != nil }
                    case ">=": return Condition(field: field, negate: false) { (Double($0) ?? 0) >= (Double(value) ?? 0) }
                    case "<=": return Condition(field: field, negate: false) { (Double($0) ?? 0) <= (Double(value) ?? 0) }
                    case ">": return Condition(field: field, negate: false) { (Double($0) ?? 0) > (Double(value) ?? 0) }
                    default: return Condition(field: field, negate: false) { (Double($0) ?? 0) < (Double(value) ?? 0) }
                    }
                }
                throw Failure(message: "Invalid filtersExpression part: \(part)")
            }
        }
    }

    static func passes(_ filters: [[Condition]], _ value: (String) -> String) -> Bool {
        filters.allSatisfy { group in group.contains { c in c.test(value(c.field)) != c.negate } }
    }

    /// A dimension's value for a hit, in the view's time zone.
    func dimension(_ name: String, _ row: [SandboxValue]) -> String {
        if name.hasPrefix("ga:date"), case .time(let t) = row[0] {
            let digits = GoogleTime.digits(t, view.zone)
            switch name {
            case "ga:date": return String(digits.prefix(8))
            case "ga:dateHour": return String(digits.prefix(10))
            default: return digits
            }
        }
        guard let i = Self.fields[name], i < row.count, case .string(let s) = row[i] else { return "(not set)" }
        return s
    }

    static func metric(_ name: String, _ row: [SandboxValue]) -> Double {
        guard let i = fields[name], i < row.count else { return 0 }
        switch row[i] { case .int(let v): return Double(v); case .double(let d): return d; default: return 0 }
    }

    struct Group {
        var key: [String]
        var sums: [[Double]]
        var counts: [Int]
    }

    func text(_ metric: String, _ sum: Double, _ count: Int) -> String {
        metric == "ga:bounceRate" ? String(format: "%.2f", count == 0 ? 0 : sum / Double(count)) : String(Int64(sum))
    }

    func values(_ g: Group, range r: Int) -> [String] {
        metrics.indices.map { text(metrics[$0], g.sums[r][$0], g.counts[r]) }
    }

    /// The Report object.
    func run(rows hits: [[SandboxValue]]) -> [String: Any] {
        let bounds = ranges.map { (GoogleTime.startOfDay($0.0, view.zone), GoogleTime.startOfDay($0.1 + 1, view.zone)) }
        var index: [String: Int] = [:]
        var groups: [Group] = []
        for row in hits {
            guard case .time(let t) = row[0] else { continue }
            let inRanges = bounds.indices.filter { bounds[$0].0 <= t && t < bounds[$0].1 }
            if inRanges.isEmpty || !Self.passes(hitFilters, { dimension($0, row) }) { continue }
            let key = dimensions.map { dimension($0, row) }
            let k = key.joined(separator: "\u{1}")
            let g: Int
            if let existing = index[k] { g = existing } else {
                g = groups.count
                index[k] = g
                groups.append(Group(key: key, sums: ranges.map { _ in metrics.map { _ in 0 } }, counts: ranges.map { _ in 0 }))
            }
            for r in inRanges {
                for j in metrics.indices { groups[g].sums[r][j] += Self.metric(metrics[j], row) }
                groups[g].counts[r] += 1
            }
        }
        if !rowFilters.isEmpty {
            groups = groups.filter { g in
                Self.passes(rowFilters) { name in metrics.firstIndex(of: name).map { text(name, g.sums[0][$0], g.counts[0]) } ?? "" }
            }
        }
        groups.sort(by: ordered)
        let end = min(groups.count, offset + pageSize)
        let page = offset < end ? Array(groups[offset..<end]) : []
        var data: [String: Any] = ["isDataGolden": golden(), "dataLastRefreshed": GoogleAPI.timestamp(now)]
        if !page.isEmpty {
            data["rows"] = page.map { g -> [String: Any] in
                var row: [String: Any] = ["metrics": ranges.indices.map { ["values": values(g, range: $0)] }]
                if !dimensions.isEmpty { row["dimensions"] = g.key }
                return row
            }
        }
        if !groups.isEmpty { data["rowCount"] = groups.count }
        if !hideTotals {
            data["totals"] = ranges.indices.map { r -> [String: Any] in
                var total = Group(key: [], sums: [metrics.map { _ in 0 }], counts: [0])
                for g in groups {
                    for j in metrics.indices { total.sums[0][j] += g.sums[r][j] }
                    total.counts[0] += g.counts[r]
                }
                return ["values": values(total, range: 0)]
            }
        }
        if !hideValueRanges, !groups.isEmpty {
            for (field, largest) in [("minimums", false), ("maximums", true)] {
                data[field] = ranges.indices.map { r -> [String: Any] in
                    ["values": metrics.indices.map { j -> String in
                        let all = groups.map { metrics[j] == "ga:bounceRate" ? $0.sums[r][j] / Double(max($0.counts[r], 1)) : $0.sums[r][j] }
                        return text(metrics[j], (largest ? all.max() : all.min()) ?? 0, 1)
                    }]
                }
            }
        }
        var columnHeader: [String: Any] = ["metricHeader": ["metricHeaderEntries": metrics.map { m in
            ["name": m, "type": GoogleAnalyticsRoutes.columns.first { $0.id == m }?.dataType ?? "INTEGER"]
        }]]
        if !dimensions.isEmpty { columnHeader["dimensions"] = dimensions }
        var report: [String: Any] = ["columnHeader": columnHeader, "data": data]
        if end < groups.count { report["nextPageToken"] = String(end) }
        return report
    }

    /// Golden once no hit for the last day of the ranges can still arrive: 48 hours after that day
    /// ends in the view's time zone.
    func golden() -> Bool {
        let last = ranges.map(\.1).max() ?? 0
        return now >= GoogleTime.startOfDay(last + 1, view.zone) + 48 * 3_600_000
    }

    /// `orderBys`, else the dimensions ascending.
    func ordered(_ a: Group, _ b: Group) -> Bool {
        for o in orderBys {
            guard let name = o["fieldName"] as? String else { continue }
            let descending = (o["sortOrder"] as? String) == "DESCENDING"
            var c = 0
            if let i = dimensions.firstIndex(of: name) {
                if (o["orderType"] as? String) == "DIMENSION_AS_INTEGER" {
                    let x = Int64(a.key[i]) ?? .min, y = Int64(b.key[i]) ?? .min
                    c = x < y ? -1 : x > y ? 1 : 0
                } else {
                    c = a.key[i] < b.key[i] ? -1 : a.key[i] > b.key[i] ? 1 : 0
                }
            } else if let j = metrics.firstIndex(of: name) {
                let x = Double(text(name, a.sums[0][j], a.counts[0])) ?? 0, y = Double(text(name, b.sums[0][j], b.counts[0])) ?? 0
                c = x < y ? -1 : x > y ? 1 : 0
            }
            if c != 0 { return descending ? c > 0 : c < 0 }
        }
        for i in dimensions.indices where a.key[i] != b.key[i] { return a.key[i] < b.key[i] }
        return false
    }
}
