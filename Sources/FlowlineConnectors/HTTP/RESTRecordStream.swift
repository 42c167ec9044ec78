import FlowlineAPI
import FlowlineCore

/// Pages of a REST listing as source chunks: fetches the first call, then follows the paginator,
/// fetching the next page while the runner transforms the current one. Every next page must come
/// from the first call's origin (`PageOrigin`).
public struct RESTRecordStream: Sendable {
    public var session: RESTSession
    public var first: HTTPCall
    public var paginator: any Paginator
    public var selector: any RecordSelector
    public var converter: JSONRecordConverter
    /// Keeps only some records of a page (a window the service cannot apply itself); nil keeps all.
    public var keep: (@Sendable (JSONValue) -> Bool)?
    /// Where the records of a page are when they can be decoded straight into rows (a top-level
    /// array member); nil reads pages through the selector.
    public var recordsKey: String?

    public init(session: RESTSession, first: HTTPCall, paginator: any Paginator, selector: any RecordSelector,
                converter: JSONRecordConverter, keep: (@Sendable (JSONValue) -> Bool)? = nil, recordsKey: String? = nil) {
        self.session = session
        self.first = first
        self.paginator = paginator
        self.selector = selector
        self.converter = converter
        self.keep = keep
        self.recordsKey = recordsKey
    }

    public func chunks() -> AsyncThrowingStream<SourceChunk, Error> {
        let cursor = Cursor(stream: self)
        return AsyncThrowingStream(unfolding: { try await cursor.next() })
    }

    struct Page: Sendable {
        var records: [JSONValue]
        var bytes: Int
        var next: HTTPCall?
    }

    func fetch(_ call: HTTPCall) async throws(ConnectorError) -> Page {
        let page = try await session.json(call)
        let records: [JSONValue]
        do {
            records = try selector.records(in: page)
        } catch {
            if case .malformed(_, let detail) = error { throw .malformed(service: session.service, detail: detail) }
            throw error
        }
        let next = try checkedNext(paginator.next(after: page, recordCount: records.count))
        return Page(records: records, bytes: page.reply.body.readableBytes, next: next)
    }

    /// The paginator's next call, refused when it leaves the first call's origin.
    func checkedNext(_ next: HTTPCall?) throws(ConnectorError) -> HTTPCall? {
        guard let next else { return nil }
        guard let origin = PageOrigin(url: first.url) else {
            throw .configuration(service: session.service, detail: "\(first.displayURL) is not an http(s) URL")
        }
        try origin.check(next, service: session.service)
        return next
    }

    /// A fetched page already converted to rows (in the prefetching task, so the conversion of
    /// the next page overlaps with the runner's work on the current one).
    struct RowPage: Sendable {
        var batch: RecordBatch
        var bytes: Int
        var next: HTTPCall?
    }

    func fetchRows(_ call: HTTPCall) async throws(ConnectorError) -> RowPage {
        guard let recordsKey, keep == nil else {
            let page = try await fetch(call)
            var records = page.records
            if let keep { records = records.filter(keep) }
            return RowPage(batch: converter.batch(records), bytes: page.bytes, next: page.next)
        }
        let reply = try await session.send(call)
        let decoded: JSONPageDecoder.Page
        do {
            decoded = try JSONPageDecoder(recordsKey: recordsKey, converter: converter).decode(reply.body)
        } catch {
            throw .malformed(service: session.service, detail: "the reply from \(call.displayURL) cannot be read: \(error.detail)")
        }
        let page = FetchedPage(call: call, reply: reply, json: decoded.envelope)
        let next = try checkedNext(paginator.next(after: page, recordCount: decoded.batch.rows.count))
        return RowPage(batch: decoded.batch, bytes: reply.body.readableBytes, next: next)
    }

    final class Cursor: @unchecked Sendable {
        // @unchecked: AsyncThrowingStream(unfolding:) calls `next` one call at a time.
        let stream: RESTStreamBox
        var pending: Task<RowPage, Error>?
        var started = false

        init(stream: RESTRecordStream) { self.stream = RESTStreamBox(stream) }

        deinit { pending?.cancel() }

        func next() async throws -> SourceChunk? {
            while true {
                if !started {
                    started = true
                    pending = prefetch(stream.value.first)
                }
                guard let task = pending else { return nil }
                let page = try await task.value
                // Ask for the next page now, so it travels while this one is converted and written.
                pending = page.next.map(prefetch)
                if page.batch.rows.isEmpty, pending != nil { continue }
                if page.batch.rows.isEmpty, page.bytes == 0 { return nil }
                return SourceChunk(batch: page.batch, bytesRead: Int64(page.bytes))
            }
        }

        private func prefetch(_ call: HTTPCall) -> Task<RowPage, Error> {
            let s = stream.value
            return Task { try await s.fetchRows(call) }
        }
    }
}

/// Holds a stream description for the cursor (a value type shared read-only).
final class RESTStreamBox: Sendable {
    let value: RESTRecordStream
    init(_ value: RESTRecordStream) { self.value = value }
}
