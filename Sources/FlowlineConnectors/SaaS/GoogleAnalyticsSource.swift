import FlowlineAPI
import FlowlineCore
import Foundation

/// A Google Analytics view as a flow source: one report with the flow's dimensions and metrics
/// (at most 7 and 10), over all dates or, for an incremental pull, the days the window touches;
/// rows whose time dimension (`ga:dateHourMinute`, `ga:dateHour`, `ga:date`) lies outside the
/// window are dropped. Report times are taken as UTC.
public struct GoogleAnalyticsSource: RecordSource {
    public let api: GoogleAnalyticsAPI
    public let viewId: String

    public init(api: GoogleAnalyticsAPI, viewId: String) {
        self.api = api
        self.viewId = viewId
    }

    public var appliesWindow: Bool { true }

    public func schema() async throws -> Schema { Schema(saasFields: try await api.fields(of: viewId)) }

    /// The first day Google Analytics has data for.
    static let firstDay = "2005-01-01"

    public func read(_ request: ReadRequest) -> AsyncThrowingStream<SourceChunk, Error> {
        let api = self.api, viewId = self.viewId
        return LazyChunks.stream {
            let all = try await api.fields(of: viewId)
            let fields = try projectedFields(all, projection: request.projection, service: "Google Analytics", entity: viewId)
            var dimensions = fields.filter { !GoogleAnalyticsAPI.isMetric($0) }.map(\.name)
            let metrics = fields.filter(GoogleAnalyticsAPI.isMetric).map(\.name)
            var range = (GoogleAnalyticsSource.firstDay, "today")
            var keep: (@Sendable (JSONValue) -> Bool)?
            if let w = request.window {
                guard ["ga:dateHourMinute", "ga:dateHour", "ga:date"].contains(w.field) else {
                    throw ConnectorError.configuration(service: "Google Analytics",
                        detail: "the incremental field must be ga:dateHourMinute, ga:dateHour or ga:date, not \(w.field)")
                }
                if !dimensions.contains(w.field) { dimensions.append(w.field) }
                let day: (Int64) -> String = { ValueFormat.dateString(days: Int32(($0 - (($0 % 86_400_000_000) + 86_400_000_000) % 86_400_000_000) / 86_400_000_000)) }
                range = (day(w.from), day(w.to))
                keep = { row in
                    guard let text = row[w.field]?.stringValue, let t = ValueFormat.parseTimestamp(Substring(text)) else { return false }
                    return w.contains(t)
                }
            }
            guard !metrics.isEmpty else {
                throw ConnectorError.configuration(service: "Google Analytics", detail: "a report needs at least one metric (ga:sessions, ga:users…) among the flow's fields")
            }
            guard dimensions.count <= GoogleAnalyticsAPI.maxDimensions, metrics.count <= GoogleAnalyticsAPI.maxMetrics else {
                throw ConnectorError.configuration(service: "Google Analytics",
                    detail: "a report takes at most 7 dimensions and 10 metrics; the flow asks for \(dimensions.count) and \(metrics.count) (project fewer fields)")
            }
            let report = GoogleAnalyticsReport(viewId: viewId, dimensions: dimensions, metrics: metrics,
                                               startDate: range.0, endDate: range.1, pageSize: max(1000, min(100_000, request.batchSize)))
            return RESTRecordStream(session: api.session, first: report.call(url: api.endpoints.reporting + "/v4/reports:batchGet", pageToken: nil),
                                    paginator: report, selector: GoogleAnalyticsRowSelector(),
                                    converter: JSONRecordConverter(schema: Schema(saasFields: fields)), keep: keep)
        }
    }
}

/// One `reports:batchGet` report request; as paginator, the same request with the reply's `nextPageToken`.
struct GoogleAnalyticsReport: Paginator {
    let viewId: String
    let dimensions: [String]
    let metrics: [String]
    let startDate: String
    let endDate: String
    let pageSize: Int

    func call(url: String, pageToken: String?) -> HTTPCall {
        var request: JSONValue.Members = [
            ("viewId", .string(viewId)),
            ("dateRanges", .array([.object([("startDate", .string(startDate)), ("endDate", .string(endDate))])])),
            ("dimensions", .array(dimensions.map { .object([("name", .string($0))]) })),
            ("metrics", .array(metrics.map { .object([("expression", .string($0))]) })),
            ("pageSize", .number(Double(pageSize))),
            ("includeEmptyRows", .bool(false)),
        ]
        if let pageToken { request.append(("pageToken", .string(pageToken))) }
        let body = JSONValue.object([("reportRequests", .array([.object(request)]))])
        return HTTPCall(.POST, url: url, headers: [("Content-Type", "application/json"), ("Accept", "application/json")],
                        body: Array(body.serialized()))
    }

    func next(after page: FetchedPage, recordCount: Int) throws(ConnectorError) -> HTTPCall? {
        guard let token = page.json["reports"]?.arrayValue?.first?["nextPageToken"]?.stringValue, !token.isEmpty else { return nil }
        var call = self.call(url: page.call.url, pageToken: token)
        call.headers = page.call.headers
        return call
    }
}

/// The first report's rows as objects keyed by dimension and metric names, with the time
/// dimensions (`20261128`, `2026112817`, `202611281745`) written as ISO 8601.
struct GoogleAnalyticsRowSelector: RecordSelector {
    func records(in page: FetchedPage) throws(ConnectorError) -> [JSONValue] {
        guard let report = page.json["reports"]?.arrayValue?.first else {
            throw .malformed(service: "Google Analytics", detail: "no 'reports' in the batchGet reply")
        }
        let header = report["columnHeader"]
        let dims = (header?["dimensions"]?.arrayValue ?? []).compactMap(\.stringValue)
        let mets = (header?["metricHeader"]?["metricHeaderEntries"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
        return (report["data"]?["rows"]?.arrayValue ?? []).map { row in
            var members: JSONValue.Members = []
            members.reserveCapacity(dims.count + mets.count)
            let dv = row["dimensions"]?.arrayValue ?? []
            for (i, name) in dims.enumerated() where i < dv.count {
                members.append((name, Self.dimension(name, dv[i])))
            }
            let mv = row["metrics"]?.arrayValue?.first?["values"]?.arrayValue ?? []
            for (i, name) in mets.enumerated() where i < mv.count { members.append((name, mv[i])) }
            return .object(members)
        }
    }

    static func dimension(_ name: String, _ value: JSONValue) -> JSONValue {
        guard let s = value.stringValue, s.allSatisfy(\.isNumber) else { return value }
        let u = Array(s)
        func part(_ a: Int, _ n: Int) -> String { String(u[a..<(a + n)]) }
        switch (name, u.count) {
        case ("ga:date", 8): return .string("\(part(0, 4))-\(part(4, 2))-\(part(6, 2))")
        case ("ga:dateHour", 10): return .string("\(part(0, 4))-\(part(4, 2))-\(part(6, 2))T\(part(8, 2)):00:00Z")
        case ("ga:dateHourMinute", 12): return .string("\(part(0, 4))-\(part(4, 2))-\(part(6, 2))T\(part(8, 2)):\(part(10, 2)):00Z")
        default: return value
        }
    }
}
