import FlowlineAPI
import FlowlineCore

/// Pages of a REST listing as source chunks: fetches the first call, then follows the paginator,
/// fetching the next page while the runner transforms the current one.
public struct RESTRecordStream: Sendable {
    public var session: RESTSession
    public var first: HTTPCall
    public var paginator: any Paginator
    public var selector: any RecordSelector
    public var converter: JSONRecordConverter
    /// Keeps only some records of a page (a window the service cannot apply itself); nil keeps all.
    public var keep: (@Sendable (JSONValue) -> Bool)?

    public init(session: RESTSession, first: HTTPCall, paginator: any Paginator, selector: any RecordSelector,
                converter: JSONRecordConverter, keep: (@Sendable (JSONValue) -> Bool)? = nil) {
        self.session = session
        self.first = first
        self.paginator = paginator
        self.selector = selector
        self.converter = converter
        self.keep = keep
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
        let next = try paginator.next(after: page, recordCount: records.count)
        return Page(records: records, bytes: page.reply.body.readableBytes, next: next)
    }

    final class Cursor: @unchecked Sendable {
        // @unchecked: AsyncThrowingStream(unfolding:) calls `next` one call at a time.
        let stream: RESTStreamBox
        var pending: Task<Page, Error>?
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
                var records = page.records
                if let keep = stream.value.keep { records = records.filter(keep) }
                if records.isEmpty, pending != nil { continue }
                if records.isEmpty, page.bytes == 0 { return nil }
                return SourceChunk(batch: stream.value.converter.batch(records), bytesRead: Int64(page.bytes))
            }
        }

        private func prefetch(_ call: HTTPCall) -> Task<Page, Error> {
            let s = stream.value
            return Task { try await s.fetch(call) }
        }
    }
}

/// Holds a stream description for the cursor (a value type shared read-only).
final class RESTStreamBox: Sendable {
    let value: RESTRecordStream
    init(_ value: RESTRecordStream) { self.value = value }
}
