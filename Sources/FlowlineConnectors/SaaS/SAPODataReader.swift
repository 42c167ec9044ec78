import FlowlineAPI
import FlowlineCore
import Foundation

/// Reads one entity set as source chunks: asks for the count with the first page, reads `$skip`
/// windows (up to `maxParallelism` at a time, each following its own `__next` chain), hands the
/// windows on strictly in order, and checks at the end that every counted record arrived. The
/// decisions are the value-type machines' (`SAPODataWindowPlan`, `SAPODataWindowChain`,
/// `SAPODataRecordCount`); this class only does their I/O.
final class SAPODataReader: @unchecked Sendable {
    // @unchecked: AsyncThrowingStream(unfolding:) calls `next` one call at a time, and only `next`
    // touches the mutable state; the window tasks share nothing but the immutable `Query`.

    /// Everything a window fetch needs, fixed once the entity set's metadata is read.
    struct Query: Sendable {
        let api: SAPODataAPI
        let entitySet: String
        /// `$format`, `$select`, `$orderby`, `$filter`: the same for every window.
        let items: [(String, String)]
        let filter: String?
        let paging: SAPODataPaging
        let countable: Bool
        let converter: JSONRecordConverter
        /// The exact incremental window, applied to records after they are counted.
        let keep: (@Sendable (JSONValue) -> Bool)?

        func call(window: Int, plan: SAPODataWindowPlan, inlineCount: Bool) -> HTTPCall {
            api.call(entitySet, items + plan.query(window: window) + (inlineCount ? [("$inlinecount", "allpages")] : []))
        }
    }

    /// A window's records, converted, one chunk per server page.
    struct Window: Sendable {
        var chunks: [SourceChunk]
        var records: Int
    }

    let prepare: @Sendable () async throws -> Query
    let maxParallelism: Int
    private var query: Query?
    private var plan = SAPODataWindowPlan(paging: .serverDriven, maxParallelism: 1)
    private var count = SAPODataRecordCount(entitySet: "", expected: nil)
    private var fetches: [Int: Task<Window, Error>] = [:]
    private var ready: ArraySlice<SourceChunk> = []

    init(maxParallelism: Int, prepare: @escaping @Sendable () async throws -> Query) {
        self.maxParallelism = maxParallelism
        self.prepare = prepare
    }

    deinit {
        for task in fetches.values { task.cancel() }
    }

    func chunks() -> AsyncThrowingStream<SourceChunk, Error> {
        AsyncThrowingStream(unfolding: { try await self.next() })
    }

    func next() async throws -> SourceChunk? {
        let query = try await started()
        while true {
            if let chunk = ready.popFirst() { return chunk }
            if plan.ended {
                try count.finish()
                return nil
            }
            let index = plan.handedOn
            guard let fetch = fetches.removeValue(forKey: index) else {
                preconditionFailure("window \(index) was handed on before it was started")
            }
            let window = try await withTaskCancellationHandler { try await fetch.value } onCancel: { fetch.cancel() }
            try count.add(window.records)
            if plan.handOn(window: index, records: window.records) == .end {
                for abandoned in plan.abandoned { fetches.removeValue(forKey: abandoned)?.cancel() }
            }
            startWindows(query)
            ready = window.chunks[...]
        }
    }

    /// On the first call: the metadata, then window 0's first page with the count, then the
    /// windows the count says are worth starting.
    private func started() async throws -> Query {
        if let query { return query }
        let q = try await prepare()
        plan = SAPODataWindowPlan(paging: q.paging, maxParallelism: maxParallelism)
        let first = plan.windowsToStart()
        precondition(first == [0], "the plan starts with window 0 alone")
        let firstCall = q.call(window: 0, plan: plan, inlineCount: q.countable)
        let page = try await q.api.session.json(firstCall)
        var total: Int?
        if q.countable {
            if let inline = try Self.inlineCount(page) { total = inline } else { total = try await Self.count(q) }
        }
        count = SAPODataRecordCount(entitySet: q.entitySet, expected: total)
        plan.counted(total)
        fetches[0] = Task { try await Self.readWindow(q, index: 0, call: firstCall, first: page) }
        query = q
        startWindows(q)
        return q
    }

    private func startWindows(_ q: Query) {
        for index in plan.windowsToStart() {
            let call = q.call(window: index, plan: plan, inlineCount: false)
            fetches[index] = Task { try await Self.readWindow(q, index: index, call: call) }
        }
    }

    /// `/$count`, for a reply to `$inlinecount=allpages` without `d.__count`. A service that can
    /// count neither way while its `$metadata` does not say `sap:countable="false"` fails the run:
    /// without the count, nothing shows that every record arrived.
    static func count(_ q: Query) async throws(ConnectorError) -> Int {
        do {
            return try await q.api.count(q.entitySet, filter: q.filter)
        } catch .api(_, let status, let code, let message) {
            throw .malformed(service: "SAP OData", detail: "\(q.entitySet): the reply to $inlinecount=allpages has no d.__count, and "
                             + "\(q.entitySet)/$count answered HTTP \(status) \(code) \(message); an entity set that cannot be "
                             + "counted must say sap:countable=\"false\" in $metadata")
        }
    }

    /// `d.__count` (OData v2 writes it as a string).
    static func inlineCount(_ page: FetchedPage) throws(ConnectorError) -> Int? {
        guard let value = page.json["d"]?["__count"] else { return nil }
        if let n = value.stringValue.flatMap({ Int($0) }) ?? value.numberValue.map({ Int($0) }), n >= 0 { return n }
        throw .malformed(service: "SAP OData", detail: "d.__count is not a number")
    }

    /// One window: its first page (already fetched for window 0) and every page its `__next` chain links.
    static func readWindow(_ q: Query, index: Int, call: HTTPCall, first: FetchedPage? = nil) async throws -> Window {
        var chain = SAPODataWindowChain(entitySet: q.entitySet, window: index, top: q.paging.top)
        var page: FetchedPage
        if let first { page = first } else { page = try await q.api.session.json(call) }
        var chunks: [SourceChunk] = []
        while true {
            try Task.checkCancellation()
            let records = try SAPODataSelector().records(in: page)
            let kept = q.keep.map { records.filter($0) } ?? records
            chunks.append(SourceChunk(batch: q.converter.batch(kept), bytesRead: Int64(page.reply.body.readableBytes)))
            let next = page.json["d"]?["__next"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
            switch try chain.page(from: page.call.url, records: records.count, next: next, links: q.api.nextLink) {
            case .complete(let total):
                return Window(chunks: chunks, records: total)
            case .follow(let url):
                var call = page.call
                call.url = url
                page = try await q.api.session.json(call)
            }
        }
    }
}
