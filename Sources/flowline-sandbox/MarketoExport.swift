import Crypto
import Foundation

/// Which records a Bulk Extract job exports: a date range on one time field (the lead's `createdAt`
/// or `updatedAt`, the activity's date), and for activities optionally their types and primary attributes.
struct MarketoExportFilter: Sendable {
    var timeColumn: Int
    var start: Int64
    var end: Int64
    var activityTypeIds: Set<Int64>?
    var primaryAttributeValueIds: Set<Int64>?
    var primaryAttributeValues: Set<String>?

    /// Rows whose time lies in [start, end] (both ends included), in the order the file lists them.
    func rows(of table: SandboxTable) -> [Int] {
        let type = table.index(of: "activityTypeId"), pavId = table.index(of: "primaryAttributeValueId"),
            pav = table.index(of: "primaryAttributeValue")
        let picked = table.rows.indices.filter { r in
            let row = table.rows[r]
            guard case .time(let t) = row[timeColumn], t >= start, t <= end else { return false }
            if let ids = activityTypeIds, let type, case .int(let v) = row[type], !ids.contains(v) { return false }
            if let ids = primaryAttributeValueIds, let pavId, case .int(let v) = row[pavId], !ids.contains(v) { return false }
            if let names = primaryAttributeValues, let pav, case .string(let v) = row[pav], !names.contains(v) { return false }
            return true
        }
        guard table.name == "activities" else { return picked }
        return picked.sorted { a, b in
            guard case .time(let x) = table.rows[a][timeColumn], case .time(let y) = table.rows[b][timeColumn] else { return a < b }
            return x != y ? x < y : a < b
        }
    }
}

/// A column of an export file.
enum MarketoExportColumn: Sendable {
    case field(header: String, index: Int)
    /// A documented column the sandbox has no data for (an activity's `campaignId`): always `null`.
    case empty(header: String)
    /// An activity's secondary attributes as one JSON object.
    case attributes(header: String)
    /// An activity's `actionResult`; every generated activity succeeded.
    case succeeded(header: String)

    var header: String {
        switch self {
        case .field(let h, _), .empty(let h), .attributes(let h), .succeeded(let h): return h
        }
    }
}

/// Export files as Marketo writes them (…/rest/bulk-extract/bulk-lead-extract and bulk-activity-extract):
/// a header row of REST field names (or `columnHeaderNames`), one record a line, a value without data
/// written as `null`, date-times as `2022-02-13T14:06:20Z`, a value holding the delimiter, a quote or a
/// line break in double quotes with quotes doubled.
enum MarketoExportFile {
    /// The delimiters of `format` CSV, TSV and SSV; Adobe's Bulk Extract page calls SSV "semi-colon-separated"
    /// (its Bulk Lead Extract page says "space-separated"; the sandbox follows the first).
    static func delimiter(_ format: String) -> UInt8? {
        switch format {
        case "CSV": return UInt8(ascii: ",")
        case "TSV": return UInt8(ascii: "\t")
        case "SSV": return UInt8(ascii: ";")
        default: return nil
        }
    }

    static func render(_ table: SandboxTable, rows: [Int], columns: [MarketoExportColumn], format: String) -> [UInt8] {
        let d = delimiter(format) ?? UInt8(ascii: ",")
        var out: [UInt8] = []
        out.reserveCapacity(rows.count * columns.count * 12 + 256)
        for (k, c) in columns.enumerated() {
            if k > 0 { out.append(d) }
            cell(c.header, d, into: &out)
        }
        out.append(UInt8(ascii: "\n"))
        for r in rows {
            for (k, c) in columns.enumerated() {
                if k > 0 { out.append(d) }
                switch c {
                case .field(_, let i): value(table.rows[r][i], d, into: &out)
                case .empty: SandboxFormat.append("null", into: &out)
                case .succeeded: SandboxFormat.append("succeeded", into: &out)
                case .attributes:
                    let members = SandboxGenerator.marketoActivityAttributes(row: r).map {
                        SandboxFormat.jsonString($0.name) + ":" + SandboxFormat.jsonString($0.value)
                    }
                    cell("{" + members.joined(separator: ",") + "}", d, into: &out)
                }
            }
            out.append(UInt8(ascii: "\n"))
        }
        return out
    }

    static func value(_ v: SandboxValue, _ d: UInt8, into out: inout [UInt8]) {
        switch v {
        case .null: SandboxFormat.append("null", into: &out)
        case .string(let s): cell(s, d, into: &out)
        case .int(let i): SandboxFormat.digits(i, into: &out)
        case .double(let x): SandboxFormat.append(String(x), into: &out)
        case .bool(let b): SandboxFormat.append(b ? "true" : "false", into: &out)
        case .time(let t): SandboxFormat.time(t, .iso, into: &out)
        case .date(let days): SandboxFormat.append(SandboxFormat.date(days), into: &out)
        }
    }

    static func cell(_ s: String, _ d: UInt8, into out: inout [UInt8]) {
        let needsQuotes = s.utf8.contains { $0 == d || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }
        guard needsQuotes else { out.append(contentsOf: s.utf8); return }
        out.append(UInt8(ascii: "\""))
        for b in s.utf8 {
            if b == UInt8(ascii: "\"") { out.append(b) }
            out.append(b)
        }
        out.append(UInt8(ascii: "\""))
    }

    /// `sha256:<hex>`, the form of the job status's `fileChecksum`.
    static func checksum(_ bytes: [UInt8]) -> String {
        "sha256:" + SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }
}
