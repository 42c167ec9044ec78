import FlowlineCore

/// How an entity set is paged, as value-type state machines with no I/O (the reader drives them).
///
/// Under OData v2 a server may cut any response short and link to the rest with `d.__next`; with
/// `$top`, that chain of links ends the `$top` window, not the data. So with `$top`/`$skip`
/// ("windows"), each window's `__next` chain is followed to its end, and the next window
/// (`$skip` + `$top`) is read whenever a window came back full; the data ends at the first window
/// that holds fewer records than `$top`. An entity set annotated `sap:pageable="false"` (or
/// `sap:topable="false"`) gets no `$top`/`$skip`: its one `__next` chain is the whole data.
enum SAPODataPaging: Sendable, Equatable {
    /// `$top` = the window size, `$skip` = window index × size.
    case windows(top: Int)
    /// No `$top`/`$skip`: the server's pages, linked by `__next`, until a page has none.
    case serverDriven

    var top: Int? {
        if case .windows(let top) = self { return top }
        return nil
    }
}

/// One window's chain of server pages: counts its records and says whether to follow the
/// page's `__next` link or whether the window is complete.
struct SAPODataWindowChain: Sendable {
    enum Step: Equatable {
        /// Fetch this link (resolved, on the profile's origin, with its `sap-client`).
        case follow(String)
        /// The window holds `records` records; no more pages belong to it.
        case complete(records: Int)
    }

    let entitySet: String
    let window: Int
    /// The window's `$top`; nil when server-driven (the chain is the whole entity set).
    let top: Int?
    private(set) var received = 0
    private var fetched: Set<String> = []

    init(entitySet: String, window: Int, top: Int?) {
        self.entitySet = entitySet
        self.window = window
        self.top = top
    }

    /// A page of the chain arrived from `url` with `records` records and `next` as its `__next`
    /// link (nil when it has none); `links` resolves and checks the link when it is to be followed.
    mutating func page(from url: String, records: Int, next: String?, links: SAPODataNextLink) throws(ConnectorError) -> Step {
        received += records
        fetched.insert(url)
        if let top {
            if received > top {
                // A server that ignores `$top` would make the next window repeat these records.
                throw .malformed(service: "SAP OData", detail: "\(entitySet): the window at $skip=\(window * top) returned "
                                 + "\(received) records for $top=\(top); the service does not honour $top")
            }
            // A full window is complete whatever the page says: a link past it would repeat the next window.
            if received == top { return .complete(records: received) }
        }
        guard let next else { return .complete(records: received) }
        let url = try links.resolve(next, from: url, entitySet: entitySet)
        if fetched.contains(url) {
            throw .malformed(service: "SAP OData", detail: "\(entitySet): the server's __next link leads back to a page "
                             + "already read (\(HTTPCall.display(url)))")
        }
        return .follow(url)
    }
}

/// Which `$skip` windows to read, and when the data ends. Windows are started up to
/// `maxParallelism` ahead of the one being handed on (so at most that many are held in memory),
/// and handed on strictly in order. The server's count only decides how far ahead to start
/// windows; the end of the data is always the paging rule: the first window with fewer records
/// than `$top`. A count that is too low therefore costs parallelism, never records.
struct SAPODataWindowPlan: Sendable {
    enum Outcome: Equatable {
        /// More windows follow.
        case more
        /// This window was the last: the data ends here.
        case end
    }

    let paging: SAPODataPaging
    let maxParallelism: Int
    /// Windows `0..<started` have been started.
    private(set) var started = 0
    /// Windows `0..<handedOn` have been handed on.
    private(set) var handedOn = 0
    private(set) var ended = false
    /// How many windows the server's count says hold records; nil before the count (or when the
    /// entity set cannot count: then windows are started as far ahead as parallelism allows).
    private(set) var expectedWindows: Int?
    private var counted = false

    init(paging: SAPODataPaging, maxParallelism: Int) {
        self.paging = paging
        // Server-driven paging is one chain: nothing to read in parallel.
        self.maxParallelism = paging.top == nil ? 1 : max(1, maxParallelism)
    }

    /// The server's record count (`d.__count`), once the first page of window 0 is in; nil when unknown.
    mutating func counted(_ total: Int?) {
        counted = true
        guard let top = paging.top, let total else { return }
        expectedWindows = max(1, (total + top - 1) / top)
    }

    /// Windows to start now, in order. Before the count is known, only window 0.
    mutating func windowsToStart() -> [Int] {
        var out: [Int] = []
        while !ended, started - handedOn < maxParallelism {
            // Window 0 always; then ahead of the one being handed on only where the count expects
            // records, and past the count only once every earlier window came back full.
            let mayStart = started == 0 || started == handedOn || (counted && started < (expectedWindows ?? Int.max))
            guard mayStart else { break }
            out.append(started)
            started += 1
        }
        return out
    }

    /// Window `window` (the next in order) is complete with `records` records.
    mutating func handOn(window: Int, records: Int) -> Outcome {
        precondition(window == handedOn && window < started, "windows are handed on in order")
        handedOn += 1
        guard let top = paging.top, records >= top else {
            ended = true
            return .end
        }
        return .more
    }

    /// Windows started beyond the end, whose fetches can be abandoned.
    var abandoned: Range<Int> { ended ? handedOn..<started : started..<started }

    /// The `$top`/`$skip` of a window (none when server-driven).
    func query(window: Int) -> [(String, String)] {
        guard let top = paging.top else { return [] }
        return [("$top", String(top)), ("$skip", String(window * top))]
    }
}

/// The run's promise: as many records arrive as the server counted, under the same `$filter`.
///
/// The count is taken once, with the first page (`$inlinecount=allpages`, or `/$count` when the
/// reply carries none), before any other window is read. Every record the server sends counts,
/// including those the exact window later drops (the `$filter` is widened to whole seconds, and so
/// is the count). Any difference fails the run: more records means some were read twice, fewer
/// means some were skipped (under `$skip` paging, a record deleted, or changed out of the
/// `$filter`, during the read shifts every later record one place back).
struct SAPODataRecordCount: Sendable {
    let entitySet: String
    /// The server's count; nil when the entity set is `sap:countable="false"` (nothing to compare).
    var expected: Int?
    private(set) var received = 0

    init(entitySet: String, expected: Int?) {
        self.entitySet = entitySet
        self.expected = expected
    }

    /// Records handed on; fails as soon as more arrived than the server counted.
    mutating func add(_ records: Int) throws(ConnectorError) {
        received += records
        if let expected, received > expected { throw mismatch(expected, atLeast: true) }
    }

    /// At the end of the data: fails unless exactly the counted records arrived.
    func finish() throws(ConnectorError) {
        if let expected, received != expected { throw mismatch(expected, atLeast: false) }
    }

    private func mismatch(_ expected: Int, atLeast: Bool) -> ConnectorError {
        .malformed(service: "SAP OData", detail: "\(entitySet): the server counted \(expected) records but "
                   + "\(atLeast ? "at least " : "")\(received) arrived, so the run fails rather than deliver a set that does not "
                   + "add up (records were added, deleted or changed during the read, or the service pages inconsistently)")
    }
}
