import Foundation
import Hummingbird
import NIOCore

/// Marketo's Bulk Extract API for leads and activities, as Adobe documents it
/// (https://experienceleague.adobe.com/en/docs/marketo-developer/marketo/rest/bulk-extract/bulk-extract,
/// https://experienceleague.adobe.com/en/docs/marketo-developer/marketo/rest/bulk-extract/bulk-lead-extract, https://experienceleague.adobe.com/en/docs/marketo-developer/marketo/rest/bulk-extract/bulk-activity-extract; endpoint reference at
/// https://developer.adobe.com/marketo-apis/api/mapi#tag/Bulk-Export-Leads):
///
/// - `POST /bulk/v1/{leads|activities}/export/create.json` with `fields` (required for leads; for
///   activities a subset of `marketoGUID, leadId, activityDate, activityTypeId, campaignId,
///   primaryAttributeValueId, primaryAttributeValue, attributes`, plus `actionResult`), `format`
///   (CSV, TSV, SSV; default CSV), `columnHeaderNames`, and `filter`: one of `createdAt`/`updatedAt`
///   (leads) or `createdAt` (required for activities) as `{startAt, endAt}` spanning 31 days or fewer,
///   with `activityTypeIds` and `primaryAttributeValueIds` or `primaryAttributeValues` for activities.
///   Static and smart list filters answer "1035, Unsupported filter type for target subscription".
/// - `POST …/export/{exportId}/enqueue.json` → Queued; a job already queued, or a queue already holding
///   10 jobs (queued and processing), answers 1029; at most 2 jobs are Processing at once.
/// - `GET …/export/{exportId}/status.json`: Created, Queued, Processing, Completed, Failed or Cancelled;
///   when Completed, `numberOfRecords`, `fileSize` and `fileChecksum` (`sha256:…`). The sandbox moves a
///   job on by status polls (switch `exportPolls`), so tests never wait on a clock.
/// - `POST …/export/{exportId}/cancel.json` → Cancelled.
/// - `GET …/export/{exportId}/file.json`: the file; a `Range: bytes=…` header gives 206 with
///   `Accept-Ranges`, `Content-Length` and `Content-Range`; a job not completed, or an unknown id, is a
///   plain-text 404.
/// - `GET …/export.json[?status=…]`: the jobs of that kind.
/// - The daily export allocation (500 MB by default, switch `exportQuota`) answers "1029, Export daily
///   quota exceeded" to create and enqueue once used up.
struct MarketoBulkRoutes {
    let routes: MarketoRoutes
    var state: SandboxState { routes.state }
    var marketo: MarketoState { routes.marketo }
    static let maxRange: Int64 = 31 * 86_400_000
    static let activityColumns = ["marketoGUID", "leadId", "activityDate", "activityTypeId", "campaignId",
                                  "primaryAttributeValueId", "primaryAttributeValue", "attributes"]

    func add(to router: Router<BasicRequestContext>) {
        for entity in ["leads", "activities"] {
            let base = "/bulk/v1/\(entity)/export"
            router.post(RouterPath(base + "/create.json")) { request, _ in
                let body = (try? await request.body.collect(upTo: 1 << 20)).map { Data(buffer: $0) } ?? Data()
                return await routes.serve(request) { _ in create(entity, body) }
            }
            router.post(RouterPath(base + "/:exportId/enqueue.json")) { request, context in
                await routes.serve(request) { _ in enqueue(entity, context.parameters.get("exportId") ?? "") }
            }
            router.get(RouterPath(base + "/:exportId/status.json")) { request, context in
                await routes.serve(request) { _ in status(entity, context.parameters.get("exportId") ?? "") }
            }
            router.post(RouterPath(base + "/:exportId/cancel.json")) { request, context in
                await routes.serve(request) { _ in cancel(entity, context.parameters.get("exportId") ?? "") }
            }
            router.get(RouterPath(base + "/:exportId/file.json")) { request, context in
                let range = request.headers[.range]
                return await routes.serve(request) { _ in file(entity, context.parameters.get("exportId") ?? "", range: range) }
            }
            router.get(RouterPath(base + ".json")) { request, _ in
                await routes.serve(request) { p in list(entity, statuses: p["status"]) }
            }
        }
    }

    // MARK: - Create

    func create(_ entity: String, _ body: Data) -> MarketoReply {
        guard let json = try? JSONSerialization.jsonObject(with: body) as? [String: Any] else {
            return .error("609", "Invalid JSON")
        }
        guard let table = state.table(entity) else { return .error("610", "Requested resource not found") }
        let format = (json["format"] as? String) ?? "CSV"
        guard MarketoExportFile.delimiter(format) != nil else { return .error("1003", "format must be one of CSV, TSV, SSV") }
        let headers = (json["columnHeaderNames"] as? [String: String]) ?? [:]
        guard let filter = json["filter"] as? [String: Any] else { return .error("1002", "Missing value for the required parameter 'filter'") }
        let columns: [MarketoExportColumn]
        let parsed: MarketoExportFilter
        switch entity == "leads" ? leadColumns(json["fields"], table, headers) : activityColumns(json["fields"], table, headers) {
        case .failure(let e): return e.reply
        case .success(let c): columns = c
        }
        switch entity == "leads" ? leadFilter(filter, table) : activityFilter(filter, table) {
        case .failure(let e): return e.reply
        case .success(let f): parsed = f
        }
        let job = marketo.with { d -> MarketoState.ExportJob? in
            guard d.exportBytesToday < d.settings.exportQuotaBytes else { return nil }
            let n = d.nextExport
            d.nextExport += 1
            let id = String(format: "%08x-5a4d-4b7e-9c1d-%012x", n, n &* 2_654_435_761 % 0xFFFF_FFFF_FFFF)
            let job = MarketoState.ExportJob(id: id, entity: entity, format: format, filter: parsed, columns: columns,
                                             createdAt: MarketoState.now())
            d.exports[id] = job
            d.exportOrder.append(id)
            return job
        }
        guard let job else { return .error("1029", "Export daily quota exceeded") }
        return .ok(Self.info(job))
    }

    struct Refusal: Error {
        var code: String
        var message: String
        var reply: MarketoReply { .error(code, message) }
    }

    func leadColumns(_ value: Any?, _ table: SandboxTable, _ headers: [String: String]) -> Result<[MarketoExportColumn], Refusal> {
        guard let names = value as? [String], !names.isEmpty else {
            return .failure(Refusal(code: "1002", message: "Missing value for the required parameter 'fields'"))
        }
        let byName = MarketoRoutes.fieldIndex(table)
        var columns: [MarketoExportColumn] = []
        for name in names {
            guard let i = byName[name.lowercased()] else { return .failure(Refusal(code: "1006", message: "Field '\(name)' not found")) }
            columns.append(.field(header: headers[name] ?? table.fields[i].name, index: i))
        }
        return .success(columns)
    }

    func activityColumns(_ value: Any?, _ table: SandboxTable, _ headers: [String: String]) -> Result<[MarketoExportColumn], Refusal> {
        let names = (value as? [String]) ?? Self.activityColumns
        var columns: [MarketoExportColumn] = []
        for name in names {
            let header = headers[name] ?? name
            switch name {
            case "campaignId": columns.append(.empty(header: header))
            case "attributes": columns.append(.attributes(header: header))
            case "actionResult": columns.append(.succeeded(header: header))
            default:
                guard Self.activityColumns.contains(name), let i = table.index(of: name) else {
                    return .failure(Refusal(code: "1006", message: "Field '\(name)' not found"))
                }
                columns.append(.field(header: header, index: i))
            }
        }
        return .success(columns)
    }

    /// The date range of a filter: ISO 8601 `startAt` and `endAt`, 31 days or fewer apart.
    func range(_ value: Any?, _ name: String) -> Result<(Int64, Int64), Refusal> {
        guard let o = value as? [String: Any], let s = (o["startAt"] as? String).flatMap(SandboxFormat.parseISO),
              let e = (o["endAt"] as? String).flatMap(SandboxFormat.parseISO) else {
            return .failure(Refusal(code: "1003", message: "\(name) needs startAt and endAt as ISO 8601 date-times"))
        }
        guard e >= s else { return .failure(Refusal(code: "1003", message: "\(name).endAt is before \(name).startAt")) }
        guard e - s <= Self.maxRange else {
            return .failure(Refusal(code: "1003", message: "\(name) date range must be 31 days or fewer"))
        }
        return .success((s, e))
    }

    func leadFilter(_ filter: [String: Any], _ table: SandboxTable) -> Result<MarketoExportFilter, Refusal> {
        guard filter.count == 1, let (type, value) = filter.first else {
            return .failure(Refusal(code: "1003", message: "Exactly one filter type may be specified per export job"))
        }
        switch type {
        case "createdAt", "updatedAt":
            return range(value, type).map { MarketoExportFilter(timeColumn: table.index(of: type) ?? 7, start: $0.0, end: $0.1) }
        case "staticListId", "staticListName", "smartListId", "smartListName":
            return .failure(Refusal(code: "1035", message: "Unsupported filter type for target subscription: \(type)"))
        default:
            return .failure(Refusal(code: "1003", message: "Unknown filter type \(type)"))
        }
    }

    func activityFilter(_ filter: [String: Any], _ table: SandboxTable) -> Result<MarketoExportFilter, Refusal> {
        guard filter["createdAt"] != nil else { return .failure(Refusal(code: "1003", message: "The createdAt filter is required")) }
        if let unknown = filter.keys.first(where: { !["createdAt", "activityTypeIds", "primaryAttributeValueIds", "primaryAttributeValues"].contains($0) }) {
            return .failure(Refusal(code: "1003", message: "Unknown filter type \(unknown)"))
        }
        let types = (filter["activityTypeIds"] as? [Any])?.compactMap { ($0 as? NSNumber)?.int64Value }
        let ids = (filter["primaryAttributeValueIds"] as? [Any])?.compactMap { ($0 as? NSNumber)?.int64Value }
        let names = filter["primaryAttributeValues"] as? [String]
        if ids != nil, names != nil {
            return .failure(Refusal(code: "1003", message: "primaryAttributeValueIds and primaryAttributeValues cannot be used together"))
        }
        if ids != nil || names != nil, types == nil {
            return .failure(Refusal(code: "1003", message: "Filtering on primary attributes needs the activityTypeIds filter"))
        }
        if (ids?.count ?? 0) > 50 || (names?.count ?? 0) > 50 {
            return .failure(Refusal(code: "1003", message: "At most 50 primary attribute values may be specified"))
        }
        return range(filter["createdAt"], "createdAt").map {
            MarketoExportFilter(timeColumn: table.index(of: "activityDate") ?? 3, start: $0.0, end: $0.1,
                                activityTypeIds: types.map(Set.init), primaryAttributeValueIds: ids.map(Set.init),
                                primaryAttributeValues: names.map(Set.init))
        }
    }

    // MARK: - Lifecycle

    func enqueue(_ entity: String, _ id: String) -> MarketoReply {
        let outcome = marketo.with { d -> Result<MarketoState.ExportJob, Refusal> in
            guard var job = d.exports[id], job.entity == entity else { return .failure(Refusal(code: "1003", message: "Export job \(id) not found")) }
            guard job.status == .created else {
                return .failure(job.status == .queued || job.status == .processing
                    ? Refusal(code: "1029", message: "Job already queued")
                    : Refusal(code: "1003", message: "Export job \(id) is \(job.status.rawValue)"))
            }
            let inQueue = d.exports.values.filter { $0.status == .queued || $0.status == .processing }.count
            guard inQueue < 10 else { return .failure(Refusal(code: "1029", message: "Too many jobs in queue")) }
            guard d.exportBytesToday < d.settings.exportQuotaBytes else { return .failure(Refusal(code: "1029", message: "Export daily quota exceeded")) }
            job.status = .queued
            job.queuedAt = MarketoState.now()
            job.polls = 0
            if d.settings.failExports > 0 { d.settings.failExports -= 1; job.willFail = true }
            d.exports[id] = job
            return .success(job)
        }
        switch outcome {
        case .failure(let e): return e.reply
        case .success(let job): return .ok(Self.info(job))
        }
    }

    /// A status poll moves the job on: after `exportPolls` polls Queued becomes Processing (when fewer than
    /// two jobs are), and after as many more Processing becomes Completed (or Failed when a test asked).
    func status(_ entity: String, _ id: String) -> MarketoReply {
        guard let table = state.table(entity) else { return .error("610", "Requested resource not found") }
        let job = marketo.with { d -> MarketoState.ExportJob? in
            guard var job = d.exports[id], job.entity == entity else { return nil }
            let polls = max(d.settings.exportPolls, 1)
            switch job.status {
            case .queued:
                job.polls += 1
                let processing = d.exports.values.filter { $0.status == .processing }.count
                if job.polls >= polls, processing < 2 {
                    job.status = .processing
                    job.startedAt = MarketoState.now()
                    job.rows = job.filter.rows(of: table)
                    job.polls = 0
                }
            case .processing:
                job.polls += 1
                if job.polls >= polls {
                    job.finishedAt = MarketoState.now()
                    if job.willFail {
                        job.status = .failed
                    } else {
                        let bytes = MarketoExportFile.render(table, rows: job.rows, columns: job.columns, format: job.format)
                        job.file = bytes
                        job.checksum = MarketoExportFile.checksum(bytes)
                        job.status = .completed
                        d.exportBytesToday += bytes.count
                    }
                }
            default: break
            }
            d.exports[id] = job
            return job
        }
        guard let job else { return .error("1003", "Export job \(id) not found") }
        return .ok(Self.info(job))
    }

    func cancel(_ entity: String, _ id: String) -> MarketoReply {
        let outcome = marketo.with { d -> Result<MarketoState.ExportJob, Refusal> in
            guard var job = d.exports[id], job.entity == entity else { return .failure(Refusal(code: "1003", message: "Export job \(id) not found")) }
            guard [.created, .queued, .processing].contains(job.status) else {
                return .failure(Refusal(code: "1003", message: "Export job \(id) is already \(job.status.rawValue)"))
            }
            job.status = .cancelled
            d.exports[id] = job
            return .success(job)
        }
        switch outcome {
        case .failure(let e): return e.reply
        case .success(let job): return .ok(Self.info(job))
        }
    }

    func list(_ entity: String, statuses: String?) -> MarketoReply {
        let wanted = statuses.map { Set($0.split(separator: ",").map { $0 == "Canceled" ? "Cancelled" : String($0) }) }
        let jobs = marketo.with { d in d.exportOrder.compactMap { d.exports[$0] } }
            .filter { $0.entity == entity && (wanted?.contains($0.status.rawValue) ?? true) }
        return .ok(jobs.suffix(300).map(Self.info).joined(separator: ","))
    }

    /// The file, whole or the byte range asked for (RFC 7233, as the Bulk Extract page describes).
    func file(_ entity: String, _ id: String, range: String?) -> MarketoReply {
        guard let job = marketo.with({ $0.exports[id] }), job.entity == entity, job.status == .completed, let bytes = job.file else {
            return .raw(Self.text("Export job \(id) not found or not completed", status: .notFound))
        }
        let contentType = job.format == "TSV" ? "text/tab-separated-values" : "text/csv"
        guard let range else {
            return .raw(Response(status: .ok, headers: [.contentType: contentType, .acceptRanges: "bytes"],
                                 body: .init(byteBuffer: ByteBuffer(bytes: bytes))))
        }
        guard let (from, to) = Self.byteRange(range, size: bytes.count) else {
            return .raw(Response(status: .rangeNotSatisfiable, headers: [.contentRange: "bytes */\(bytes.count)"]))
        }
        return .raw(Response(status: .partialContent,
                             headers: [.contentType: contentType, .acceptRanges: "bytes", .contentRange: "bytes \(from)-\(to)/\(bytes.count)"],
                             body: .init(byteBuffer: ByteBuffer(bytes: bytes[from...to]))))
    }

    /// `bytes=a-b`, `bytes=a-` or `bytes=-n` (the page's example also writes `bytes a-b`), clipped to the file.
    static func byteRange(_ header: String, size: Int) -> (Int, Int)? {
        var spec = header.trimmingCharacters(in: .whitespaces)
        guard spec.hasPrefix("bytes") else { return nil }
        spec = String(spec.dropFirst(5)).trimmingCharacters(in: CharacterSet(charactersIn: "= "))
        let parts = spec.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2, size > 0 else { return nil }
        if parts[0].isEmpty {
            guard let n = Int(parts[1]), n > 0 else { return nil }
            return (max(0, size - n), size - 1)
        }
        guard let a = Int(parts[0]), a < size else { return nil }
        let b = parts[1].isEmpty ? size - 1 : Int(parts[1]).map { min($0, size - 1) }
        guard let b, b >= a else { return nil }
        return (a, b)
    }

    static func text(_ s: String, status: HTTPResponse.Status) -> Response {
        Response(status: status, headers: [.contentType: "text/plain"], body: .init(byteBuffer: ByteBuffer(string: s)))
    }

    /// A job as the status endpoints describe it.
    static func info(_ job: MarketoState.ExportJob) -> String {
        var members = [#""exportId":"\#(job.id)""#, #""format":"\#(job.format)""#, #""status":"\#(job.status.rawValue)""#,
                       #""createdAt":"\#(SandboxFormat.time(job.createdAt, .iso))""#]
        if let t = job.queuedAt { members.append(#""queuedAt":"\#(SandboxFormat.time(t, .iso))""#) }
        if let t = job.startedAt { members.append(#""startedAt":"\#(SandboxFormat.time(t, .iso))""#) }
        if let t = job.finishedAt { members.append(#""finishedAt":"\#(SandboxFormat.time(t, .iso))""#) }
        if job.status == .completed, let file = job.file, let sum = job.checksum {
            members += [#""numberOfRecords":\#(job.rows.count)"#, #""fileSize":\#(file.count)"#, #""fileChecksum":"\#(sum)""#]
        }
        if job.status == .failed { members.append(#""errorMsg":"Export failed (sandbox failExports)""#) }
        return "{" + members.joined(separator: ",") + "}"
    }
}
