import Foundation
import Hummingbird
import NIOCore

/// Salesforce Bulk API 2.0 query jobs over the objects the REST query API serves, as the Bulk API 2.0
/// Developer Guide documents them (https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/):
///
/// - `POST /services/data/vXX.X/jobs/query` with `operation` `query` or `queryAll` (deleted records too),
///   `query`, optional `contentType` (CSV only), `columnDelimiter` (COMMA, TAB, PIPE, SEMICOLON, CARET,
///   BACKQUOTE) and `lineEnding` (LF, CRLF); the job starts UploadComplete (https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/query_create_job.htm).
/// - Refused as the guide says Bulk API 2.0 does not support them: GROUP BY, OFFSET and TYPEOF clauses,
///   aggregate functions such as COUNT(), FIELDS(), compound address and geolocation fields, and
///   parent-to-child (nested) queries; child-to-parent fields (`Account.Name`) are answered, named as
///   written in the header row (https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/query_create_job.htm). Errors are Salesforce's JSON arrays
///   `[{"errorCode", "message"}]`.
/// - `GET …/jobs/query/{id}`: UploadComplete → InProgress → JobComplete (or Failed, Aborted), with
///   `jobType` V2Query and `numberRecordsProcessed` (https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/query_get_one_job.htm); the sandbox moves a job on
///   by info requests (switch `polls`), so tests never wait on a clock.
/// - `GET …/jobs/query/{id}/results?locator=&maxRecords=`: CSV, `Sforce-NumberOfRecords` and
///   `Sforce-Locator` (the string `null` after the last set); a job not complete is 412 JOB_NOT_COMPLETE;
///   another API version than the job's is 409 (https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/query_get_job_results.htm).
/// - `PATCH …/jobs/query/{id}` with `{"state": "Aborted"}` aborts (https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/query_abort_job.htm); `DELETE` removes
///   a job that is not in progress, answering 204 (https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/query_delete_job.htm); `GET …/jobs/query` lists jobs
///   (https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/query_get_all_jobs.htm).
/// - The CSV conventions are in SalesforceBulkJobs.render.
struct SalesforceBulkRoutes {
    let state: SandboxState
    var jobs: SalesforceBulkJobs { state.salesforceBulk }
    /// Salesforce's standard compound fields on the emulated objects; the sandbox stores none of them,
    /// but names them so a query for one is refused as Bulk API 2.0 refuses it, not as an unknown field.
    static let compoundFields: [String: Set<String>] = [
        "account": ["billingaddress", "shippingaddress"], "contact": ["mailingaddress", "otheraddress"],
    ]

    func add(to router: Router<BasicRequestContext>) {
        let base = "/services/data/:version/jobs/query"
        router.post(RouterPath(base)) { request, context -> Response in
            if let denied = SalesforceRoutes(state: state).gate(request) { return denied }
            let body = try await request.body.collect(upTo: 1 << 20)
            return create(Data(buffer: body), version: Self.version(context))
        }
        router.get(RouterPath(base)) { request, _ -> Response in
            if let denied = SalesforceRoutes(state: state).gate(request) { return denied }
            let list = jobs.with { d in d.order.compactMap { d.jobs[$0] } }.map { info($0, full: true) }
            return SandboxHTTP.json(#"{"done":true,"records":[\#(list.joined(separator: ","))],"nextRecordsUrl":null}"#)
        }
        router.get(RouterPath(base + "/:jobId")) { request, context -> Response in
            if let denied = SalesforceRoutes(state: state).gate(request) { return denied }
            return poll(context.parameters.get("jobId") ?? "")
        }
        router.patch(RouterPath(base + "/:jobId")) { request, context -> Response in
            if let denied = SalesforceRoutes(state: state).gate(request) { return denied }
            let body = try await request.body.collect(upTo: 1 << 16)
            return abort(context.parameters.get("jobId") ?? "", Data(buffer: body))
        }
        router.delete(RouterPath(base + "/:jobId")) { request, context -> Response in
            if let denied = SalesforceRoutes(state: state).gate(request) { return denied }
            return delete(context.parameters.get("jobId") ?? "")
        }
        router.get(RouterPath(base + "/:jobId/results")) { request, context -> Response in
            if let denied = SalesforceRoutes(state: state).gate(request) { return denied }
            let p = request.uri.queryParameters
            return results(context.parameters.get("jobId") ?? "", version: Self.version(context),
                           locator: p.get("locator").map { String($0) }, maxRecords: p.get("maxRecords").map { String($0) })
        }
        router.post("/_sandbox/salesforce-bulk") { request, _ -> Response in
            var params: [String: String] = [:]
            for (k, v) in request.uri.queryParameters { params[String(k)] = String(v) }
            if case .failure(let e) = jobs.configure(params) {
                return SandboxHTTP.json(#"{"error":\#(SandboxFormat.jsonString(e.message))}"#, status: .badRequest)
            }
            let s = jobs.with { $0.settings }
            return SandboxHTTP.json(#"{"polls":\#(s.polls),"failJobs":\#(s.failJobs),"pageRecords":\#(s.pageRecords)}"#)
        }
    }

    static func version(_ context: BasicRequestContext) -> String {
        let v = context.parameters.get("version") ?? "v58.0"
        return v.hasPrefix("v") ? String(v.dropFirst()) : v
    }

    static func error(_ code: String, _ message: String, status: HTTPResponse.Status = .badRequest) -> Response {
        SandboxHTTP.json(#"[{"errorCode":"\#(code)","message":\#(SandboxFormat.jsonString(message))}]"#, status: status)
    }

    // MARK: - Create

    func create(_ body: Data, version: String) -> Response {
        guard let json = try? JSONSerialization.jsonObject(with: body) as? [String: Any] else {
            return Self.error("JSON_PARSER_ERROR", "The request body is not a JSON object")
        }
        guard let operation = json["operation"] as? String, ["query", "queryAll"].contains(operation) else {
            return Self.error("INVALIDJOB", "InvalidJob : operation must be query or queryAll for a query job")
        }
        guard let q = json["query"] as? String, !q.isEmpty else { return Self.error("INVALIDJOB", "InvalidJob : the query is required") }
        let contentType = (json["contentType"] as? String) ?? "CSV"
        guard contentType == "CSV" else { return Self.error("INVALIDJOB", "InvalidJob : the only supported contentType is CSV") }
        let delimiterName = (json["columnDelimiter"] as? String) ?? "COMMA", endingName = (json["lineEnding"] as? String) ?? "LF"
        guard let delimiter = SalesforceBulkJobs.delimiters[delimiterName] else {
            return Self.error("INVALIDJOB", "InvalidJob : columnDelimiter must be one of \(SalesforceBulkJobs.delimiters.keys.sorted().joined(separator: ", "))")
        }
        guard let ending = SalesforceBulkJobs.lineEndings[endingName] else { return Self.error("INVALIDJOB", "InvalidJob : lineEnding must be LF or CRLF") }
        state.log(query: [("service", "Salesforce"), ("api", "bulk2"), ("q", q)])
        let query: SOQLQuery
        do {
            let tokens = try SOQLQuery.tokenize(q)
            if let refusal = Self.unsupported(tokens) { return Self.error("INVALIDJOB", refusal) }
            query = try SOQLQuery(q)
        } catch let e as SOQLQuery.ParseError {
            return Self.error("MALFORMED_QUERY", e.message)
        } catch {
            return Self.error("MALFORMED_QUERY", "\(error)")
        }
        guard SalesforceRoutes.objects.contains(where: { $0.caseInsensitiveCompare(query.object) == .orderedSame }),
              let table = state.table(query.object) else {
            return Self.error("INVALID_TYPE", "sObject type '\(query.object)' is not supported.")
        }
        var columns: [SalesforceBulkJobs.Column] = []
        for f in query.fields {
            if Self.compoundFields[table.name.lowercased()]?.contains(f.lowercased()) == true {
                return Self.error("INVALIDJOB", "Compound address and geolocation fields such as \(f) are not supported by Bulk API 2.0; query their components instead")
            }
            switch column(f, of: table) {
            case .success(let c): columns.append(c)
            case .failure(let e): return e.response
            }
        }
        // Conditions are checked on the first record now, so a bad field name is refused here, not as a failed job later.
        if let first = table.rows.first {
            do { _ = try query.matches(first, in: table) } catch let e as SOQLQuery.ParseError {
                return Self.error("INVALID_FIELD", e.message)
            } catch {
                return Self.error("INVALID_FIELD", "\(error)")
            }
        }
        let job = jobs.with { d -> SalesforceBulkJobs.Job in
            let id = String(format: "750SB%013d", d.next)
            d.next += 1
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            var job = SalesforceBulkJobs.Job(id: id, operation: operation, object: table.name, apiVersion: version, queryText: q,
                                             columns: columns, delimiter: delimiter, lineEnding: ending, createdAt: now, modifiedAt: now)
            if d.settings.failJobs > 0 { d.settings.failJobs -= 1; job.willFail = true }
            d.jobs[id] = job
            d.order.append(id)
            return job
        }
        return SandboxHTTP.json(info(job, full: false))
    }

    /// What the guide says Bulk API 2.0 does not support, found in the query's tokens; nil when none.
    static func unsupported(_ tokens: [SOQLQuery.Token]) -> String? {
        let aggregates: Set = ["COUNT", "COUNT_DISTINCT", "SUM", "AVG", "MIN", "MAX"]
        for (i, t) in tokens.enumerated() {
            let next = i + 1 < tokens.count ? tokens[i + 1] : nil
            switch t {
            case .word(let w):
                let u = w.uppercased()
                if u == "GROUP", case .word(let b)? = next, b.uppercased() == "BY" { return "GROUP BY clauses are not supported by Bulk API 2.0" }
                if u == "OFFSET" { return "OFFSET clauses are not supported by Bulk API 2.0" }
                if u == "TYPEOF" { return "TYPEOF clauses are not supported by Bulk API 2.0" }
                if next == .symbol("(") {
                    if aggregates.contains(u) { return "Aggregate functions such as \(u)() are not supported by Bulk API 2.0" }
                    if u == "FIELDS" { return "FIELDS() is not supported by Bulk API 2.0; name the fields" }
                }
            case .symbol("("):
                if case .word(let w)? = next, w.uppercased() == "SELECT" {
                    return "Parent-to-child relationship queries (nested SELECT) are not supported by Bulk API 2.0"
                }
            default: break
            }
        }
        return nil
    }

    /// A selected name: a field of the object, or `Parent.Field` through the object's `ParentId` reference.
    struct Refused: Error { var response: Response }

    func column(_ name: String, of table: SandboxTable) -> Result<SalesforceBulkJobs.Column, Refused> {
        let noSuch = Refused(response: Self.error("INVALID_FIELD", "No such column '\(name)' on entity '\(table.name)'."))
        let parts = name.split(separator: ".").map(String.init)
        if parts.count == 1 {
            guard let i = table.index(of: name) else { return .failure(noSuch) }
            return .success(SalesforceBulkJobs.Column(header: table.fields[i].name, field: i))
        }
        guard parts.count == 2, let reference = table.index(of: parts[0] + "Id"), table.fields[reference].nativeType == "reference",
              let parent = state.table(parts[0]), let field = parent.index(of: parts[1]) else { return .failure(noSuch) }
        return .success(SalesforceBulkJobs.Column(header: parent.name + "." + parent.fields[field].name, field: field, parent: (reference, parent.name)))
    }

    // MARK: - Lifecycle

    /// An info request moves the job on after `polls` requests in each state; the query runs as the job completes.
    func poll(_ id: String) -> Response {
        let settings = jobs.with { $0.settings }
        guard var job = jobs.with({ $0.jobs[id] }) else { return notFound() }
        switch job.state {
        case .uploadComplete, .inProgress:
            job.polls += 1
            if job.polls >= settings.polls {
                job.polls = 0
                if job.state == .uploadComplete {
                    job.state = .inProgress
                } else if job.willFail {
                    job.state = .failed
                } else {
                    let started = Date()
                    do {
                        job.rows = try matchingRows(job)
                        job.state = .jobComplete
                    } catch {
                        job.state = .failed
                        job.errorMessage = (error as? SOQLQuery.ParseError)?.message ?? "\(error)"
                    }
                    job.processingMillis = Int(Date().timeIntervalSince(started) * 1000)
                }
                job.modifiedAt = Int64(Date().timeIntervalSince1970 * 1000)
            }
            // A job aborted or deleted meanwhile keeps that fate.
            jobs.with { d in if d.jobs[id]?.state == .uploadComplete || d.jobs[id]?.state == .inProgress { d.jobs[id] = job } }
        default: break
        }
        guard let now = jobs.with({ $0.jobs[id] }) else { return notFound() }
        return SandboxHTTP.json(info(now, full: true))
    }

    func matchingRows(_ job: SalesforceBulkJobs.Job) throws -> [Int] {
        guard let table = state.table(job.object) else { return [] }
        let query = try SOQLQuery(job.queryText)   // parsed once already when the job was created
        var rows: [Int] = []
        for (r, row) in table.rows.enumerated() {
            if job.operation == "query", let d = table.deletedField, case .bool(true) = row[d] { continue }
            if try query.matches(row, in: table) { rows.append(r) }
            if let limit = query.limit, rows.count >= limit { break }
        }
        return rows
    }

    func abort(_ id: String, _ body: Data) -> Response {
        guard let json = try? JSONSerialization.jsonObject(with: body) as? [String: Any], json["state"] as? String == "Aborted" else {
            return Self.error("INVALIDJOBSTATE", "A query job can only be changed to the state Aborted")
        }
        let outcome = jobs.with { d -> SalesforceBulkJobs.Job?? in
            guard var job = d.jobs[id] else { return .none }
            guard job.state == .uploadComplete || job.state == .inProgress else { return .some(nil) }
            job.state = .aborted
            job.modifiedAt = Int64(Date().timeIntervalSince1970 * 1000)
            d.jobs[id] = job
            return .some(job)
        }
        switch outcome {
        case .none: return notFound()
        case .some(nil): return Self.error("INVALIDJOBSTATE", "Job \(id) is no longer in progress and cannot be aborted")
        case .some(let job?): return SandboxHTTP.json(info(job, full: false))
        }
    }

    func delete(_ id: String) -> Response {
        let outcome = jobs.with { d -> Bool? in
            guard let job = d.jobs[id] else { return nil }
            guard job.state != .inProgress else { return false }
            d.jobs[id] = nil
            d.order.removeAll { $0 == id }
            return true
        }
        switch outcome {
        case nil: return notFound()
        case false?: return Self.error("INVALIDJOBSTATE", "Job \(id) is in progress; abort it before deleting it")
        case true?: return Response(status: .noContent)
        }
    }

    func results(_ id: String, version: String, locator: String?, maxRecords: String?) -> Response {
        guard let job = jobs.with({ $0.jobs[id] }) else { return notFound() }
        guard job.apiVersion == version else {
            return Self.error("API_VERSION_MISMATCH", "Use API version \(job.apiVersion), the version the job was created with", status: .conflict)
        }
        guard job.state == .jobComplete else {
            return Self.error("JOB_NOT_COMPLETE", "can only download query results of successfully completed bulk job with status: JOB_COMPLETE. Current status: \(job.state.rawValue)",
                              status: .preconditionFailed)
        }
        var offset = 0
        if let locator, !locator.isEmpty, locator != "null" {
            guard let o = SalesforceBulkJobs.offset(locator), o >= 0, o <= job.rows.count else {
                return Self.error("INVALID_LOCATOR", "Invalid locator \(locator)")
            }
            offset = o
        }
        var size = jobs.with { $0.settings.pageRecords }
        if let maxRecords {
            guard let n = Int(maxRecords), n > 0 else { return Self.error("INVALID_MAX_RECORDS", "maxRecords must be a positive whole number") }
            size = n
        }
        guard let table = state.table(job.object) else { return notFound() }
        var parents: [String: (SandboxTable, [String: Int])] = [:]
        for c in job.columns {
            guard let p = c.parent, parents[p.table] == nil, let parent = state.table(p.table) else { continue }
            var index: [String: Int] = [:]
            for (r, row) in parent.rows.enumerated() { if case .string(let id) = row[0] { index[id] = r } }
            parents[p.table] = (parent, index)
        }
        let end = min(offset + size, job.rows.count)
        let bytes = SalesforceBulkJobs.render(job, rows: job.rows[offset..<end], table: table, parents: parents)
        var headers = HTTPFields()
        headers[.contentType] = "text/csv"
        headers[.init("Sforce-NumberOfRecords")!] = String(end - offset)
        headers[.init("Sforce-Locator")!] = end < job.rows.count ? SalesforceBulkJobs.locator(end) : "null"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    func notFound() -> Response {
        Self.error("NOT_FOUND", "The requested resource does not exist", status: .notFound)
    }

    /// A job as the create, info and list responses describe it.
    func info(_ job: SalesforceBulkJobs.Job, full: Bool) -> String {
        let delimiter = SalesforceBulkJobs.delimiters.first { $0.value == job.delimiter }?.key ?? "COMMA"
        let ending = job.lineEnding == "\r\n" ? "CRLF" : "LF"
        var members = [#""id":"\#(job.id)""#, #""operation":"\#(job.operation)""#, #""object":"\#(job.object)""#,
                       #""createdById":"005SB0000000001AAA""#, #""createdDate":"\#(SandboxFormat.time(job.createdAt, .salesforce))""#,
                       #""systemModstamp":"\#(SandboxFormat.time(job.modifiedAt, .salesforce))""#, #""state":"\#(job.state.rawValue)""#,
                       #""concurrencyMode":"Parallel""#, #""contentType":"CSV""#, #""apiVersion":\#(job.apiVersion)"#]
        if full { members += [#""jobType":"V2Query""#] }
        members += [#""lineEnding":"\#(ending)""#, #""columnDelimiter":"\#(delimiter)""#]
        if full {
            members += [#""numberRecordsProcessed":\#(job.state == .jobComplete ? job.rows.count : 0)"#, #""retries":0"#,
                        #""totalProcessingTime":\#(job.processingMillis)"#]
            if job.state == .failed {
                members.append(#""errorMessage":\#(SandboxFormat.jsonString(job.errorMessage ?? "The query job failed (sandbox failJobs)"))"#)
            }
        }
        return "{" + members.joined(separator: ",") + "}"
    }
}
