import FlowlineAPI
import FlowlineCore
import Foundation

/// A Marketo object as a flow source.
///
/// - `leads`: `leads.json?filterType=leadPartitionId&filterValues=<every partition>`, so every
///   lead is read; an incremental pull keeps the leads whose timestamp field (`updatedAt`) lies in
///   the window (Marketo's REST API has no general date filter on leads).
/// - `activities`: a paging token from `activities/pagingtoken.json?sinceDatetime=<window start>`,
///   then `activities.json` per group of ten activity types, kept when `activityDate` is before
///   the window's end.
public struct MarketoSource: RecordSource {
    public let api: MarketoAPI
    public let object: String

    public init(api: MarketoAPI, object: String) {
        self.api = api
        self.object = object
    }

    public var appliesWindow: Bool { true }

    public func schema() async throws -> Schema { Schema(saasFields: try await api.fields(of: object)) }

    /// Where a complete pull of activities starts: before any Marketo instance existed.
    static let beginningOfActivities: Int64 = 1_136_073_600_000_000   // 2006-01-01

    public func read(_ request: ReadRequest) -> AsyncThrowingStream<SourceChunk, Error> {
        let api = self.api, object = self.object
        return MarketoPages.lazy {
            let all = try await api.fields(of: object)
            let fields = try projectedFields(all, projection: request.projection, service: "Marketo", entity: object)
            let converter = JSONRecordConverter(schema: Schema(saasFields: fields))
            let window = request.window
            // Marketo's times have whole seconds: bounds rounded down to the second, as for Zendesk and
            // SOQL, so a record changed in the second a run started (after it started) is not lost.
            let keep = window.map { w in { @Sendable (record: JSONValue) -> Bool in
                guard let text = record[w.field]?.stringValue, let t = ValueFormat.parseTimestamp(Substring(text)) else { return false }
                return t >= SOQLBuilder.floorSeconds(w.from) && t < SOQLBuilder.floorSeconds(w.to)
            } }
            switch object {
            case MarketoAPI.leads:
                let partitions = try await api.partitionIds()
                let first = api.call("/rest/v1/leads.json", [
                    ("filterType", "leadPartitionId"), ("filterValues", partitions.joined(separator: ",")),
                    ("fields", fields.map(\.name).joined(separator: ",")), ("batchSize", "300")])
                return MarketoPages(api: api, firsts: [first], converter: converter, keep: keep)
            case MarketoAPI.activities:
                let token = try await api.pagingToken(since: window?.from ?? Self.beginningOfActivities)
                let firsts = try await api.activityTypeGroups().map { group in
                    api.call("/rest/v1/activities.json", [("activityTypeIds", group.joined(separator: ",")),
                                                           ("nextPageToken", token), ("batchSize", "300")])
                }
                return MarketoPages(api: api, firsts: firsts, converter: converter, keep: keep)
            default:
                throw ConnectorError.configuration(service: "Marketo", detail: "object '\(object)' is not one Flowline reads from Marketo (leads, activities)")
            }
        }
    }
}

/// Marketo result pages as source chunks: each first call followed by `nextPageToken` while
/// `moreResult` is true, the next page fetched while the current one is converted and written.
struct MarketoPages: Sendable {
    let api: MarketoAPI
    let firsts: [HTTPCall]
    let converter: JSONRecordConverter
    let keep: (@Sendable (JSONValue) -> Bool)?

    struct Page: Sendable {
        var records: [JSONValue]
        var bytes: Int
        var next: HTTPCall?
    }

    /// The call for the page after `page`, or nil when Marketo says there is no more.
    static func next(after page: FetchedPage) -> HTTPCall? {
        guard page.json["moreResult"]?.boolValue == true, let token = page.json["nextPageToken"]?.stringValue,
              var components = URLComponents(string: page.call.url) else { return nil }
        var items = (components.percentEncodedQuery ?? "").split(separator: "&").map(String.init)
        items.removeAll { $0.hasPrefix("nextPageToken=") }
        items.append("nextPageToken=" + HTTPCall.percentEncode(token))
        components.percentEncodedQuery = items.joined(separator: "&")
        var call = page.call
        call.url = components.string ?? page.call.url
        return call
    }

    func fetch(_ call: HTTPCall) async throws(ConnectorError) -> Page {
        let page = try await api.page(call)
        guard let records = page.json["result"]?.arrayValue ?? (page.json["moreResult"] != nil ? [] : nil) else {
            throw .malformed(service: "Marketo", detail: "no 'result' array in the reply from \(call.displayURL)")
        }
        return Page(records: records, bytes: page.reply.body.readableBytes, next: Self.next(after: page))
    }

    /// A stream whose setup (metadata and token calls) happens when the runner first pulls.
    static func lazy(_ make: @escaping @Sendable () async throws -> MarketoPages) -> AsyncThrowingStream<SourceChunk, Error> {
        let cursor = Cursor(make)
        return AsyncThrowingStream(unfolding: { try await cursor.next() })
    }

    final class Cursor: @unchecked Sendable {
        // @unchecked: AsyncThrowingStream(unfolding:) calls `next` one call at a time.
        let make: @Sendable () async throws -> MarketoPages
        var pages: MarketoPages?
        var remaining: [HTTPCall] = []
        var pending: Task<Page, Error>?

        init(_ make: @escaping @Sendable () async throws -> MarketoPages) { self.make = make }

        deinit { pending?.cancel() }

        func next() async throws -> SourceChunk? {
            if pages == nil {
                let made = try await make()
                pages = made
                remaining = made.firsts
                pending = startNext(nil)
            }
            guard let pages else { return nil }
            while let task = pending {
                let page = try await task.value
                pending = startNext(page.next)
                var records = page.records
                if let keep = pages.keep { records = records.filter(keep) }
                if records.isEmpty { continue }
                return SourceChunk(batch: pages.converter.batch(records), bytesRead: Int64(page.bytes))
            }
            return nil
        }

        /// Prefetches `call`, else the next group's first call; nil when all are done.
        private func startNext(_ call: HTTPCall?) -> Task<Page, Error>? {
            var next = call
            if next == nil, !remaining.isEmpty { next = remaining.removeFirst() }
            guard let next, let pages else { return nil }
            return Task { try await pages.fetch(next) }
        }
    }
}
