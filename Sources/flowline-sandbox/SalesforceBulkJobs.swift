import Foundation
import Synchronization

/// Bulk API 2.0 query jobs the sandbox holds, and the switches of `POST /_sandbox/salesforce-bulk`.
final class SalesforceBulkJobs: Sendable {
    struct Settings: Sendable {
        /// Info requests (`GET /jobs/query/{id}`) a job stays UploadComplete and InProgress for.
        var polls = 1
        /// The next N jobs end Failed.
        var failJobs = 0
        /// Records in a result set when the client sends no `maxRecords`.
        var pageRecords = 50_000
    }

    enum State: String, Sendable { case uploadComplete = "UploadComplete", inProgress = "InProgress", jobComplete = "JobComplete",
                                         aborted = "Aborted", failed = "Failed" }

    /// A result column: a field of the queried object, or of its parent through a reference (`Account.Name`).
    struct Column: Sendable {
        var header: String
        var field: Int
        /// The reference field and the parent table, for a child-to-parent relationship column.
        var parent: (reference: Int, table: String)?
    }

    struct Job: Sendable {
        var id: String
        var operation: String
        var object: String
        var apiVersion: String
        var queryText: String
        var columns: [Column]
        var delimiter: String
        var lineEnding: String
        var createdAt: Int64
        var modifiedAt: Int64
        var state: State = .uploadComplete
        var polls = 0
        var willFail = false
        var rows: [Int] = []
        var processingMillis = 0
        var errorMessage: String?
    }

    struct Data: Sendable {
        var settings = Settings()
        var jobs: [String: Job] = [:]
        var order: [String] = []
        var next = 1
    }

    let state = Mutex(Data())

    func with<T>(_ body: (inout Data) throws -> T) rethrows -> T { try state.withLock { try body(&$0) } }

    struct BadSetting: Error { var message: String }

    /// `polls=N`, `failJobs=N`, `pageRecords=N`; nothing changes when one of them is wrong.
    func configure(_ params: [String: String]) -> Result<Void, BadSetting> {
        var s = with { $0.settings }
        for (k, v) in params {
            guard let n = Int(v), n >= (k == "failJobs" ? 0 : 1) else {
                return .failure(BadSetting(message: "\(k) must be a whole number\(k == "failJobs" ? "" : " ≥ 1"), not '\(v)'"))
            }
            switch k {
            case "polls": s.polls = n
            case "failJobs": s.failJobs = n
            case "pageRecords": s.pageRecords = n
            default: return .failure(BadSetting(message: "unknown Salesforce bulk setting '\(k)' (known: failJobs, pageRecords, polls)"))
            }
        }
        with { $0.settings = s }
        return .success(())
    }

    /// The documented column delimiters and line endings (…/query-create-job).
    static let delimiters = ["COMMA": ",", "TAB": "\t", "PIPE": "|", "SEMICOLON": ";", "CARET": "^", "BACKQUOTE": "`"]
    static let lineEndings = ["LF": "\n", "CRLF": "\r\n"]

    /// One result set as Bulk API 2.0 writes it: a header row of the queried names, then every value in
    /// double quotes (quotes doubled), nulls as `""`, date-times as `2024-01-02T03:04:05.000Z`, dates as
    /// `2024-01-02`, booleans as `true`/`false`, numbers as the REST API writes them.
    static func render(_ job: Job, rows: ArraySlice<Int>, table: SandboxTable, parents: [String: (SandboxTable, [String: Int])]) -> [UInt8] {
        let d = Array(job.delimiter.utf8), eol = Array(job.lineEnding.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(rows.count * job.columns.count * 16 + 256)
        for (k, c) in job.columns.enumerated() {
            if k > 0 { out.append(contentsOf: d) }
            quoted(c.header, into: &out)
        }
        out.append(contentsOf: eol)
        for r in rows {
            for (k, c) in job.columns.enumerated() {
                if k > 0 { out.append(contentsOf: d) }
                var v = table.rows[r][c.field]
                if let p = c.parent {
                    v = .null
                    if case .string(let id) = table.rows[r][p.reference], let (parent, index) = parents[p.table], let pr = index[id] {
                        v = parent.rows[pr][c.field]
                    }
                }
                value(v, into: &out)
            }
            out.append(contentsOf: eol)
        }
        return out
    }

    static func value(_ v: SandboxValue, into out: inout [UInt8]) {
        switch v {
        case .null: out.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: "\"")])
        case .string(let s): quoted(s, into: &out)
        case .int(let i): out.append(UInt8(ascii: "\"")); SandboxFormat.digits(i, into: &out); out.append(UInt8(ascii: "\""))
        case .double(let x): quoted(String(x), into: &out)
        case .bool(let b): quoted(b ? "true" : "false", into: &out)
        case .date(let days): quoted(SandboxFormat.date(days), into: &out)
        case .time(let t):
            out.append(UInt8(ascii: "\""))
            SandboxFormat.time(t, .iso, into: &out)
            out.removeLast()   // the ISO form ends in Z; Bulk API writes milliseconds before it
            out.append(UInt8(ascii: "."))
            SandboxFormat.digits(((t % 1000) + 1000) % 1000, width: 3, into: &out)
            out.append(contentsOf: [UInt8(ascii: "Z"), UInt8(ascii: "\"")])
        }
    }

    static func quoted(_ s: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for b in s.utf8 {
            if b == UInt8(ascii: "\"") { out.append(b) }
            out.append(b)
        }
        out.append(UInt8(ascii: "\""))
    }

    /// Locators: the offset of the next result set in base64 without padding (as in Salesforce's example `MTAwMDA`).
    static func locator(_ offset: Int) -> String {
        Foundation.Data(String(offset).utf8).base64EncodedString().replacingOccurrences(of: "=", with: "")
    }

    static func offset(_ locator: String) -> Int? {
        var text = locator
        while text.count % 4 != 0 { text += "=" }
        guard let data = Foundation.Data(base64Encoded: text), let s = String(data: data, encoding: .utf8) else { return nil }
        return Int(s)
    }
}
