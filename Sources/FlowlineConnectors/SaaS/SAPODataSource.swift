import FlowlineAPI
import FlowlineCore
import Foundation

/// An SAP OData entity set as a flow source: `$select` from the projection, `$filter` for the
/// incremental window on its `Edm.DateTime`/`Edm.DateTimeOffset` field, `$orderby` on the key so
/// `$skip` windows neither skip nor repeat, every window's `__next` chain followed, windows read
/// `maxParallelism` at a time and handed on in order, and the records counted against the
/// server's count (see `SAPODataPaging`).
public struct SAPODataSource: RecordSource {
    public let api: SAPODataAPI
    public let objectPath: String
    /// `paginationConfig.maxPageSize`: the `$top` of each window (AppFlow's default is 3,000).
    public let pageSize: Int
    /// `parallelismConfig.maxParallelism`: windows read at the same time (default 1).
    public let maxParallelism: Int

    public init(api: SAPODataAPI, objectPath: String, pageSize: Int? = nil, maxParallelism: Int? = nil) {
        self.api = api
        self.objectPath = objectPath
        self.pageSize = max(1, min(pageSize ?? 3000, 10_000))
        self.maxParallelism = max(1, min(maxParallelism ?? 1, 10))
    }

    public var appliesWindow: Bool { true }

    public func schema() async throws -> Schema { Schema(saasFields: try await api.fields(of: objectPath)) }

    public func read(_ request: ReadRequest) -> AsyncThrowingStream<SourceChunk, Error> {
        let api = self.api, set = SAPODataAPI.entitySet(objectPath), pageSize = self.pageSize
        return SAPODataReader(maxParallelism: maxParallelism) {
            let metadata = try await api.metadata()
            let type = try metadata.entityType(forSet: set)
            let capabilities = metadata.capabilities(ofSet: set)
            let all = type.fields
            let fields = try projectedFields(all, projection: request.projection, service: "SAP OData", entity: set)
            var items = [("$format", "json"), ("$select", fields.map(\.name).joined(separator: ","))]
            if !type.keys.isEmpty { items.append(("$orderby", type.keys.joined(separator: ","))) }
            var filter: String?
            var keep: (@Sendable (JSONValue) -> Bool)?
            if let w = request.window {
                guard let field = all.first(where: { $0.name == w.field }), field.type == .timestamp else {
                    throw ConnectorError.configuration(service: "SAP OData",
                        detail: "the incremental field \(w.field) is not an Edm.DateTime or Edm.DateTimeOffset property of \(set)")
                }
                filter = SAPODataQuery.window(w, edmType: field.nativeType)
                items.append(("$filter", filter!))
                keep = { record in
                    guard let text = record[w.field]?.stringValue, let t = ValueFormat.parseTimestamp(Substring(text)) else { return false }
                    return w.contains(t)
                }
            }
            return SAPODataReader.Query(api: api, entitySet: set, items: items, filter: filter,
                                        paging: capabilities.pageable ? .windows(top: pageSize) : .serverDriven,
                                        countable: capabilities.countable,
                                        converter: JSONRecordConverter(schema: Schema(saasFields: fields)), keep: keep)
        }.chunks()
    }
}

/// `$filter` text for OData v2.
enum SAPODataQuery {
    /// `F ge datetime'…' and F lt datetime'…'`, widened to whole seconds (the exact window is
    /// applied to the records as they arrive).
    static func window(_ w: IncrementalWindow, edmType: String) -> String {
        let from = w.from - ((w.from % 1_000_000) + 1_000_000) % 1_000_000
        let toFloor = w.to - ((w.to % 1_000_000) + 1_000_000) % 1_000_000
        let to = toFloor == w.to ? w.to : toFloor + 1_000_000
        return "\(w.field) ge \(literal(from, edmType)) and \(w.field) lt \(literal(to, edmType))"
    }

    static func literal(_ micros: Int64, _ edmType: String) -> String {
        let text = ValueFormat.timestampString(micros: micros)   // whole seconds: YYYY-MM-DDThh:mm:ssZ
        return edmType == "Edm.DateTimeOffset" ? "datetimeoffset'\(text)'" : "datetime'\(text.dropLast())'"
    }
}

/// `d.results` (or `d` itself when it is the array), each record without `__metadata` and
/// deferred navigation properties, and with `/Date(ms)/` values written as ISO 8601.
struct SAPODataSelector: RecordSelector {
    func records(in page: FetchedPage) throws(ConnectorError) -> [JSONValue] {
        guard let array = page.json["d"]?["results"]?.arrayValue ?? page.json["d"]?.arrayValue else {
            throw .malformed(service: "SAP OData", detail: "no 'd.results' array in the response")
        }
        return array.map(Self.normalized)
    }

    static func normalized(_ record: JSONValue) -> JSONValue {
        guard case .object(let members) = record else { return record }
        var out: [(key: String, value: JSONValue)] = []
        out.reserveCapacity(members.count)
        for m in members where m.key != "__metadata" {
            switch m.value {
            case .object: continue   // {"__deferred": …} navigation links
            case .string(let s) where s.hasPrefix("/Date("):
                out.append((m.key, dateValue(s).map { .string(ValueFormat.timestampString(micros: $0 * 1000)) } ?? m.value))
            default: out.append(m)
            }
        }
        return .object(out)
    }

    /// Milliseconds from `/Date(1700000000000)/` or `/Date(1700000000000+0060)/`: the number is
    /// UTC already (an offset only says which zone it was displayed in).
    static func dateValue(_ s: String) -> Int64? {
        guard s.hasSuffix(")/") else { return nil }
        let inner = s.dropFirst(6).dropLast(2)
        let digits = inner.prefix { $0.isNumber || $0 == "-" }
        guard let ms = Int64(digits.count > 1 && digits.dropFirst().contains("-") ? digits.prefix { $0 != "-" } : digits) else { return nil }
        return ms
    }
}
