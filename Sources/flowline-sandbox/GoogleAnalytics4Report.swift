import Foundation

/// The Data API v1beta `runReport` computation over a property's events, from
/// https://developers.google.com/analytics/devguides/reporting/data/v1/rest/v1beta/properties/runReport
/// and its linked types (DateRange, FilterExpression, OrderBy, RunReportResponse):
/// - Only events that have arrived by Google's `now` count (late data keeps changing recent hours).
/// - `dateRanges` (1 to 4) are dates in the property's time zone; `today`, `yesterday`, `NdaysAgo`
///   are taken there too. With more than one range a `dateRange` column is added, valued with each
///   range's `name` or `date_range_N`.
/// - Up to 9 dimensions and 10 metrics; unknown names are `400 INVALID_ARGUMENT`.
/// - `dimensionFilter` is applied to events before aggregation (any known dimension, requested or
///   not); `metricFilter` to aggregated rows. Both take `andGroup`, `orGroup`, `notExpression` and
///   `filter` with `stringFilter` (EXACT, BEGINS_WITH, ENDS_WITH, CONTAINS, FULL_REGEXP,
///   PARTIAL_REGEXP; `caseSensitive`), `inListFilter`, `numericFilter`, `betweenFilter`, `emptyFilter`.
/// - Rows whose metrics are all 0 are dropped unless `keepEmptyRows`.
/// - Rows are ordered by `orderBys` (metric, or dimension ALPHANUMERIC, CASE_INSENSITIVE_ALPHANUMERIC,
///   NUMERIC; `desc`); by default descending by the first metric (Google's stated default), ties by
///   the dimensions ascending.
/// - `offset` (default 0) and `limit` (default 10,000, at most 250,000 whatever is asked; negative is
///   an error) select the rows; `rowCount` counts them all. int64 fields arrive as strings or numbers.
/// - `metricAggregations` TOTAL, MINIMUM, MAXIMUM give `totals`, `minimums`, `maximums` rows
///   (dimension values `RESERVED_TOTAL`, `RESERVED_MIN`, `RESERVED_MAX`).
/// - `metadata.timeZone` and `metadata.currencyCode` are the property's.
/// Not emulated, and refused rather than ignored: `cohortSpec`, `comparisons`, dimension and metric
/// expressions. Thresholding and sampling do not happen (no dimension here is thresholded).
struct GA4Report {
    struct Failure: Error {
        var code = 400
        var status = "INVALID_ARGUMENT"
        var message: String
    }

    struct Range { var start: Int64; var end: Int64; var name: String }

    let property: GA4Property
    var dimensions: [String] = []
    var metrics: [String] = []
    var ranges: [Range] = []
    var dimensionFilter: [String: Any]?
    var metricFilter: [String: Any]?
    var offset = 0
    var limit = 10_000
    var aggregations: [String] = []
    var orderBys: [[String: Any]] = []
    var keepEmptyRows = false
    var returnPropertyQuota = false

    static let matchTypes = [1: "EXACT", 2: "BEGINS_WITH", 3: "ENDS_WITH", 4: "CONTAINS", 5: "FULL_REGEXP", 6: "PARTIAL_REGEXP"]
    static let orderTypes = [1: "ALPHANUMERIC", 2: "CASE_INSENSITIVE_ALPHANUMERIC", 3: "NUMERIC"]
    static let aggregationNames = [1: "TOTAL", 4: "COUNT", 5: "MINIMUM", 6: "MAXIMUM"]
    static let operations = [1: "EQUAL", 2: "LESS_THAN", 3: "LESS_THAN_OR_EQUAL", 4: "GREATER_THAN", 5: "GREATER_THAN_OR_EQUAL"]

    init(property: GA4Property, body: [String: Any], now: Int64) throws {
        self.property = property
        // Rather refused than silently ignored: a client relying on them would get wrong numbers.
        for field in ["cohortSpec", "comparisons"] where body[field] != nil && !((body[field] as? [Any])?.isEmpty ?? false) {
            throw Failure(message: "\(field) is not emulated by flowline-sandbox.")
        }
        dimensions = try Self.names(body["dimensions"], key: "name", field: "dimensions")
        metrics = try Self.names(body["metrics"], key: "name", field: "metrics")
        guard dimensions.count <= 9 else { throw Failure(message: "Requests can have at most 9 dimensions; this request has \(dimensions.count).") }
        guard metrics.count <= 10 else { throw Failure(message: "Requests can have at most 10 metrics; this request has \(metrics.count).") }
        for d in dimensions where GA4Schema.dimension(d) == nil {
            throw Failure(message: "Field \(d) is not a valid dimension. For a list of valid dimensions and metrics, see https://developers.google.com/analytics/devguides/reporting/data/v1/api-schema ")
        }
        for m in metrics where GA4Schema.metric(m) == nil {
            throw Failure(message: "Field \(m) is not a valid metric. For a list of valid dimensions and metrics, see https://developers.google.com/analytics/devguides/reporting/data/v1/api-schema ")
        }
        if Set(dimensions).count != dimensions.count || Set(metrics).count != metrics.count {
            throw Failure(message: "Each dimension and metric may be requested only once.")
        }
        let rawRanges = body["dateRanges"] as? [[String: Any]] ?? []
        guard !rawRanges.isEmpty else { throw Failure(message: "Must specify at least one date range (dateRanges).") }
        guard rawRanges.count <= 4 else { throw Failure(message: "Requests are allowed up to 4 date ranges.") }
        for (i, r) in rawRanges.enumerated() {
            let startText = r["startDate"] as? String ?? "", endText = r["endDate"] as? String ?? ""
            guard let start = GoogleTime.day(startText, now: now, zone: property.zone) else {
                throw Failure(message: "Invalid startDate '\(startText)': use YYYY-MM-DD, NdaysAgo, yesterday or today.")
            }
            guard let end = GoogleTime.day(endText, now: now, zone: property.zone) else {
                throw Failure(message: "Invalid endDate '\(endText)': use YYYY-MM-DD, NdaysAgo, yesterday or today.")
            }
            guard start <= end else { throw Failure(message: "The dateRange's startDate (\(startText)) must not be after its endDate (\(endText)).") }
            let name = r["name"] as? String ?? ""
            if name.hasPrefix("date_range_") || name.hasPrefix("RESERVED_") {
                throw Failure(message: "A dateRange name cannot begin with date_range_ or RESERVED_.")
            }
            ranges.append(Range(start: start, end: end, name: name.isEmpty ? "date_range_\(i)" : name))
        }
        dimensionFilter = body["dimensionFilter"] as? [String: Any]
        metricFilter = body["metricFilter"] as? [String: Any]
        if let f = dimensionFilter { try Self.validate(f, known: { GA4Schema.dimension($0) != nil }, kind: "dimension") }
        if let f = metricFilter { try Self.validate(f, known: { GA4Schema.metric($0) != nil }, kind: "metric") }
        guard let offset = GoogleAPI.integer(body["offset"], absent: 0), offset >= 0 else {
            throw Failure(message: "offset must be a non-negative integer.")
        }
        guard let limit = GoogleAPI.integer(body["limit"], absent: 0), limit >= 0 else {
            throw Failure(message: "limit must be positive.")
        }
        self.offset = offset
        // 0 is protobuf's "unset": the default applies. Larger limits are capped, not refused.
        self.limit = limit == 0 ? 10_000 : min(limit, 250_000)
        for a in body["metricAggregations"] as? [Any] ?? [] {
            guard let name = GoogleAPI.enumName(a, Self.aggregationNames) else { throw Failure(message: "Unknown metricAggregation \(a).") }
            aggregations.append(name)
        }
        orderBys = body["orderBys"] as? [[String: Any]] ?? []
        for o in orderBys {
            if let m = o["metric"] as? [String: Any] {
                let name = m["metricName"] as? String ?? ""
                guard metrics.contains(name) else { throw Failure(message: "orderBys metric \(name) must be one of the request's metrics.") }
            } else if let d = o["dimension"] as? [String: Any] {
                let name = d["dimensionName"] as? String ?? ""
                guard dimensions.contains(name) else { throw Failure(message: "orderBys dimension \(name) must be one of the request's dimensions.") }
            } else {
                throw Failure(message: "An orderBy needs a metric or a dimension.")
            }
        }
        keepEmptyRows = GoogleAPI.bool(body["keepEmptyRows"])
        returnPropertyQuota = GoogleAPI.bool(body["returnPropertyQuota"])
    }

    static func names(_ value: Any?, key: String, field: String) throws -> [String] {
        guard let value else { return [] }
        guard let list = value as? [[String: Any]] else { throw Failure(message: "\(field) must be a list of objects.") }
        return try list.map { item throws in
            guard let name = item[key] as? String, !name.isEmpty else { throw Failure(message: "Every entry of \(field) needs a \(key).") }
            if item["expression"] != nil || item["dimensionExpression"] != nil {
                throw Failure(message: "\(field) expressions are not emulated by flowline-sandbox.")
            }
            return name
        }
    }

    static func validate(_ expr: [String: Any], known: (String) -> Bool, kind: String) throws {
        if let g = expr["andGroup"] as? [String: Any] ?? expr["orGroup"] as? [String: Any] {
            for e in g["expressions"] as? [[String: Any]] ?? [] { try validate(e, known: known, kind: kind) }
        } else if let e = expr["notExpression"] as? [String: Any] {
            try validate(e, known: known, kind: kind)
        } else if let f = expr["filter"] as? [String: Any] {
            let name = f["fieldName"] as? String ?? ""
            guard known(name) else {
                throw Failure(message: "Field \(name) in the \(kind) filter is not a valid \(kind). For a list of valid dimensions and metrics, see https://developers.google.com/analytics/devguides/reporting/data/v1/api-schema ")
            }
            let kinds = ["stringFilter", "inListFilter", "numericFilter", "betweenFilter", "emptyFilter"].filter { f[$0] != nil }
            guard kinds.count == 1 else { throw Failure(message: "A filter on \(name) needs exactly one of stringFilter, inListFilter, numericFilter, betweenFilter, emptyFilter.") }
            if let s = f["stringFilter"] as? [String: Any], (s["matchType"] != nil && GoogleAPI.enumName(s["matchType"], matchTypes) == nil) {
                throw Failure(message: "Unknown stringFilter matchType on \(name).")
            }
        } else {
            throw Failure(message: "A FilterExpression needs one of andGroup, orGroup, notExpression, filter.")
        }
    }

    /// A dimension's value for an event; `local` is `yyyyMMddHHmm` in the property's time zone.
    static func dimension(_ name: String, _ e: GA4Event, local: String) -> String {
        switch name {
        case "date": return String(local.prefix(8))
        case "dateHour": return String(local.prefix(10))
        case "dateHourMinute": return local
        case "hour": return String(local.dropFirst(8).prefix(2))
        case "minute": return String(local.suffix(2))
        case "country": return GA4Schema.countries[Int(e.country)]
        case "deviceCategory": return GA4Schema.devices[Int(e.device)]
        case "sessionSource": return GA4Schema.sources[Int(e.source)]
        case "eventName": return GA4Schema.eventNames[Int(e.name)]
        default: return "(not set)"
        }
    }

    struct Group {
        var key: [String]
        var range: Int
        var sessions = 0, newUsers = 0, views = 0, events = 0
        var users = Set<Int32>()

        mutating func add(_ e: GA4Event) {
            events += 1
            users.insert(e.user)
            switch e.name { case 0: sessions += 1; case 1: views += 1; case 4: newUsers += 1; default: break }
        }

        mutating func merge(_ g: Group) {
            sessions += g.sessions; newUsers += g.newUsers; views += g.views; events += g.events
            users.formUnion(g.users)
        }

        func value(_ metric: String) -> Double {
            switch metric {
            case "sessions": return Double(sessions)
            case "activeUsers": return Double(users.count)
            case "newUsers": return Double(newUsers)
            case "screenPageViews": return Double(views)
            case "eventCount": return Double(events)
            case "eventsPerSession": return sessions == 0 ? 0 : Double(events) / Double(sessions)
            default: return 0
            }
        }
    }

    static func text(_ metric: String, _ v: Double) -> String {
        GA4Schema.metric(metric)?.type == "TYPE_INTEGER" ? String(Int64(v)) : String(v)
    }

    /// The report as a RunReportResponse object (without `propertyQuota`), and its token cost.
    func run(events: [GA4Event], now: Int64, integerEnums: Bool) throws -> (response: [String: Any], cost: Int) {
        var groups: [String: Int] = [:]
        var list: [Group] = []
        // Each range's first and last instant, so an event's local date is only computed when it may count.
        let bounds = ranges.map { (GoogleTime.startOfDay($0.start, property.zone), GoogleTime.startOfDay($0.end + 1, property.zone)) }
        for e in events where e.arrival <= now && e.time <= now {
            let hits = bounds.indices.filter { bounds[$0].0 <= e.time && e.time < bounds[$0].1 }
            if hits.isEmpty { continue }
            let local = GoogleTime.digits(e.time, property.zone)
            if let f = dimensionFilter, !(try Self.matches(f, { Self.dimension($0, e, local: local) })) { continue }
            let key = dimensions.map { Self.dimension($0, e, local: local) }
            for r in hits {
                let k = key.joined(separator: "\u{1}") + "\u{2}\(r)"
                if let g = groups[k] { list[g].add(e) } else {
                    groups[k] = list.count
                    var g = Group(key: key, range: r)
                    g.add(e)
                    list.append(g)
                }
            }
        }
        if !keepEmptyRows && !metrics.isEmpty {
            list.removeAll { g in metrics.allSatisfy { g.value($0) == 0 } }
        }
        if let f = metricFilter {
            list = try list.filter { g throws in try Self.matches(f, { Self.text($0, g.value($0)) }) }
        }
        list.sort(by: ordered)

        let multi = ranges.count > 1
        func row(_ g: Group, dims: [String]? = nil) -> [String: Any] {
            var values = (dims ?? g.key).map { ["value": $0] }
            if multi { values.append(["value": ranges[g.range].name]) }
            var r: [String: Any] = ["metricValues": metrics.map { ["value": Self.text($0, g.value($0))] }]
            if !values.isEmpty { r["dimensionValues"] = values }
            return r
        }
        let page = offset < list.count ? Array(list[offset..<min(list.count, offset + limit)]) : []
        var out: [String: Any] = ["kind": "analyticsData#runReport",
                                  "metadata": ["currencyCode": property.currencyCode, "timeZone": property.timeZone]]
        var headers = dimensions.map { ["name": $0] }
        if multi { headers.append(["name": "dateRange"]) }
        if !headers.isEmpty { out["dimensionHeaders"] = headers }
        if !metrics.isEmpty {
            out["metricHeaders"] = metrics.map { m -> [String: Any] in
                let type = GA4Schema.metric(m)?.type ?? "TYPE_INTEGER"
                return ["name": m, "type": integerEnums ? GA4Schema.metricTypeNumbers[type] ?? 0 : type]
            }
        }
        if !page.isEmpty { out["rows"] = page.map { row($0) } }
        if !list.isEmpty { out["rowCount"] = list.count }
        for (aggregation, field, label) in [("TOTAL", "totals", "RESERVED_TOTAL"), ("MAXIMUM", "maximums", "RESERVED_MAX"), ("MINIMUM", "minimums", "RESERVED_MIN")]
            where aggregations.contains(aggregation) && !metrics.isEmpty {
            out[field] = ranges.indices.map { r -> [String: Any] in
                let members = list.filter { $0.range == r }
                var g = Group(key: dimensions.map { _ in label }, range: r)
                if aggregation == "TOTAL" { for m in members { g.merge(m) } }
                var result = row(g, dims: g.key)
                if aggregation != "TOTAL" {
                    result["metricValues"] = metrics.map { m -> [String: String] in
                        let values = members.map { $0.value(m) }
                        let v = (aggregation == "MAXIMUM" ? values.max() : values.min()) ?? 0
                        return ["value": Self.text(m, v)]
                    }
                }
                return result
            }
        }
        let days = ranges.reduce(0) { $0 + Int($1.end - $1.start + 1) }
        let cost = 1 + page.count / 2_000 + days / 90 + (dimensionFilter != nil || metricFilter != nil ? 1 : 0)
        return (out, cost)
    }

    /// `orderBys`, else the first metric descending; ties by dimension values ascending, then range.
    func ordered(_ a: Group, _ b: Group) -> Bool {
        for o in orderBys {
            let desc = GoogleAPI.bool(o["desc"])
            var c = 0
            if let m = (o["metric"] as? [String: Any])?["metricName"] as? String {
                let x = a.value(m), y = b.value(m)
                c = x < y ? -1 : x > y ? 1 : 0
            } else if let d = o["dimension"] as? [String: Any], let name = d["dimensionName"] as? String,
                      let i = dimensions.firstIndex(of: name) {
                c = Self.compare(a.key[i], b.key[i], type: GoogleAPI.enumName(d["orderType"], Self.orderTypes) ?? "ALPHANUMERIC")
            }
            if c != 0 { return desc ? c > 0 : c < 0 }
        }
        if orderBys.isEmpty, let first = metrics.first {
            let x = a.value(first), y = b.value(first)
            if x != y { return x > y }
        }
        for i in dimensions.indices where a.key[i] != b.key[i] { return a.key[i] < b.key[i] }
        return a.range < b.range
    }

    static func compare(_ x: String, _ y: String, type: String) -> Int {
        switch type {
        case "NUMERIC":
            let p = Double(x) ?? -.infinity, q = Double(y) ?? -.infinity
            return p < q ? -1 : p > q ? 1 : 0
        case "CASE_INSENSITIVE_ALPHANUMERIC":
            let p = x.lowercased(), q = y.lowercased()
            return p < q ? -1 : p > q ? 1 : 0
        default:
            return x < y ? -1 : x > y ? 1 : 0
        }
    }

    /// Evaluates a FilterExpression against field values.
    static func matches(_ expr: [String: Any], _ value: (String) -> String) throws -> Bool {
        if let g = expr["andGroup"] as? [String: Any] {
            for e in g["expressions"] as? [[String: Any]] ?? [] where !(try matches(e, value)) { return false }
            return true
        }
        if let g = expr["orGroup"] as? [String: Any] {
            for e in g["expressions"] as? [[String: Any]] ?? [] where try matches(e, value) { return true }
            return false
        }
        if let e = expr["notExpression"] as? [String: Any] { return !(try matches(e, value)) }
        guard let f = expr["filter"] as? [String: Any], let field = f["fieldName"] as? String else { return true }
        let v = value(field)
        if let s = f["stringFilter"] as? [String: Any] {
            let sensitive = GoogleAPI.bool(s["caseSensitive"])
            let want = s["value"] as? String ?? ""
            let (x, y) = sensitive ? (v, want) : (v.lowercased(), want.lowercased())
            switch GoogleAPI.enumName(s["matchType"], matchTypes) ?? "EXACT" {
            case "BEGINS_WITH": return x.hasPrefix(y)
            case "ENDS_WITH": return x.hasSuffix(y)
            case "CONTAINS": return x.contains(y)
            case "FULL_REGEXP", "PARTIAL_REGEXP":
                let full = GoogleAPI.enumName(s["matchType"], matchTypes) == "FULL_REGEXP"
                guard let re = try? NSRegularExpression(pattern: full ? "^(?:\(want))$" : want, options: sensitive ? [] : [.caseInsensitive]) else {
                    throw Failure(message: "Invalid regular expression \(want) in the filter on \(field).")
                }
                return re.firstMatch(in: v, range: NSRange(v.startIndex..., in: v)) != nil
            default: return x == y
            }
        }
        if let l = f["inListFilter"] as? [String: Any] {
            let values = l["values"] as? [String] ?? []
            return GoogleAPI.bool(l["caseSensitive"]) ? values.contains(v) : values.contains { $0.lowercased() == v.lowercased() }
        }
        if let n = f["numericFilter"] as? [String: Any] {
            guard let x = Double(v), let y = number(n["value"]) else { return false }
            switch GoogleAPI.enumName(n["operation"], operations) ?? "EQUAL" {
            case "LESS_THAN": return x < y
            case "LESS_THAN_OR_EQUAL": return x <= y
            case "GREATER_THAN": return x > y
            case "GREATER_THAN_OR_EQUAL": return x >= y
            default: return x == y
            }
        }
        if let b = f["betweenFilter"] as? [String: Any] {
            guard let x = Double(v), let lo = number(b["fromValue"]), let hi = number(b["toValue"]) else { return false }
            return lo <= x && x <= hi
        }
        if f["emptyFilter"] != nil { return v.isEmpty || v == "(not set)" }
        return true
    }

    /// A NumericValue (`{"int64Value": "3"}` or `{"doubleValue": 2.5}`).
    static func number(_ value: Any?) -> Double? {
        guard let v = value as? [String: Any] else { return nil }
        if let i = v["int64Value"] { return (i as? String).flatMap(Double.init) ?? (i as? NSNumber)?.doubleValue }
        if let d = v["doubleValue"] { return (d as? NSNumber)?.doubleValue ?? (d as? String).flatMap(Double.init) }
        return nil
    }
}
