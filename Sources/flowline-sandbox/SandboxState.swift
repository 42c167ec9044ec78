import Foundation
import Synchronization

/// Everything the sandbox remembers: its tables, the tokens it accepts, the faults it injects,
/// and open query cursors. One lock; handlers hold it only to read or update, never across I/O.
final class SandboxState: Sendable {
    struct Faults: Sendable {
        /// Answer this many coming API requests with 429 and `Retry-After: retryAfter`.
        var throttleRemaining = 0
        var retryAfter = 1
        /// Answer every Nth API request with 500 (0: never).
        var failEvery = 0
        /// Invalidate every access token after this many more API requests (nil: never).
        var expireAfter: Int?
        /// Point every next-page link (Salesforce `nextRecordsUrl`, ServiceNow `Link`, Zendesk
        /// `after_url`) here instead, as a hostile service would (nil: the sandbox's own pages).
        var hostileNext: String?
    }

    /// The next-page link to send: the hostile one when a test set it, else the sandbox's own.
    func nextLink(_ own: String) -> String { with { $0.faults.hostileNext } ?? own }

    struct Stats: Sendable {
        var requests = 0
        var throttled = 0
        var failed = 0
        var refreshed = 0
        var unauthorized = 0
    }

    struct Cursor: Sendable {
        var table: String
        var rows: [Int]
        var fields: [Int]
        var offset: Int
    }

    struct Data: Sendable {
        var tables: [String: SandboxTable]
        var validTokens: Set<String>
        var faults = Faults()
        var stats = Stats()
        var cursors: [String: Cursor] = [:]
        var nextId = 1
        /// The data queries received, as JSON objects (newest last), so tests can see what was pushed down.
        var queries: [String] = []
        /// SAP OData paging and counting switches (`POST /_sandbox/sap`).
        var sap = SAPODataSwitches()
    }

    let state: Mutex<Data>
    let refreshToken: String
    let username: String
    let password: String
    let pageSize: Int
    let clientId: String
    let clientSecret: String
    /// Salesforce Bulk API 2.0 query jobs (SalesforceBulkRoutes).
    let salesforceBulk = SalesforceBulkJobs()

    init(tables: [SandboxTable], accessToken: String, refreshToken: String, username: String, password: String,
         pageSize: Int, faults: Faults, client: (id: String, secret: String) = ("sandbox-client-id", "sandbox-client-secret")) {
        var byName: [String: SandboxTable] = [:]
        for t in tables { byName[t.name.lowercased()] = t }
        state = Mutex(Data(tables: byName, validTokens: [accessToken], faults: faults))
        self.refreshToken = refreshToken
        self.username = username
        self.password = password
        self.pageSize = pageSize
        clientId = client.id
        clientSecret = client.secret
    }

    func with<T>(_ body: (inout Data) throws -> T) rethrows -> T {
        try state.withLock { try body(&$0) }
    }

    func table(_ name: String) -> SandboxTable? { with { $0.tables[name.lowercased()] } }

    /// Remembers a data query (the last 1,000).
    func log(query members: [(String, String)]) {
        let json = "{" + members.map { SandboxFormat.jsonString($0.0) + ":" + SandboxFormat.jsonString($0.1) }.joined(separator: ",") + "}"
        with { d in
            d.queries.append(json)
            if d.queries.count > 1000 { d.queries.removeFirst(d.queries.count - 1000) }
        }
    }

    enum Gate { case pass, throttle(Int), fail }

    /// Counts an API request and decides whether a fault answers it instead.
    func admit() -> Gate {
        with { d in
            d.stats.requests += 1
            if let n = d.faults.expireAfter {
                if n <= 0 { d.validTokens.removeAll(); d.faults.expireAfter = nil } else { d.faults.expireAfter = n - 1 }
            }
            if d.faults.throttleRemaining > 0 {
                d.faults.throttleRemaining -= 1
                d.stats.throttled += 1
                return .throttle(d.faults.retryAfter)
            }
            if d.faults.failEvery > 0, d.stats.requests % d.faults.failEvery == 0 {
                d.stats.failed += 1
                return .fail
            }
            return .pass
        }
    }

    func isValid(bearer: String?) -> Bool {
        guard let bearer else { return false }
        return with { d in
            if d.validTokens.contains(bearer) { return true }
            d.stats.unauthorized += 1
            return false
        }
    }

    enum TokenRefusal: Error { case invalidClient, invalidGrant }

    /// A new access token for a `grant_type=refresh_token` form with a valid refresh token and client.
    func refresh(_ form: [String: String]) -> Result<String, TokenRefusal> {
        guard form["client_id"] == clientId, form["client_secret"] == clientSecret else { return .failure(.invalidClient) }
        guard form["grant_type"] == "refresh_token", form["refresh_token"] == refreshToken else { return .failure(.invalidGrant) }
        return .success(with { d in
            let t = "00Dsandbox!\(d.nextId)\(UInt32.random(in: 0...UInt32.max))"
            d.nextId += 1
            d.validTokens.insert(t)
            d.stats.refreshed += 1
            return t
        })
    }

    func openCursor(_ c: Cursor) -> String {
        with { d in
            let id = "01gSB\(String(format: "%010d", d.nextId))"
            d.nextId += 1
            d.cursors[id] = c
            return id
        }
    }

    /// Sets the modification time of `count` records (spread over the table) to now; returns their row numbers.
    func touch(table name: String, count: Int, now: Int64) -> [Int]? {
        with { d in
            guard var t = d.tables[name.lowercased()], !t.rows.isEmpty else { return nil }
            let n = min(count, t.rows.count)
            let step = max(1, t.rows.count / max(n, 1))
            let picked = (0..<n).map { ($0 * step + 7) % t.rows.count }
            for r in picked { t.rows[r][t.modifiedField] = .time(now) }
            d.tables[name.lowercased()] = t
            return picked
        }
    }
}
