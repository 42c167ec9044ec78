import ArgumentParser
import Foundation
import Hummingbird

/// `flowline-sandbox`: emulates the SaaS APIs Flowline's connectors speak, on loopback, with
/// deterministic generated data and switches for faults (see AdminRoutes).
struct SandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "flowline-sandbox",
        abstract: "An emulator of the SaaS APIs Flowline's connectors read, on 127.0.0.1, for tests and demos",
        discussion: """
            Emulated APIs, all on the one port (point a profile's instance URL at http://127.0.0.1:PORT):
              Salesforce        REST API: /services/oauth2/token, /services/data/vXX.X/sobjects[/<Object>/describe],
                                /query and /queryAll (SOQL) with nextRecordsUrl paging
              ServiceNow        Table API: /api/now/table/<table> (sysparm_query, sysparm_fields, Link paging),
                                sys_db_object, sys_dictionary; /oauth_token.do
              Slack             Web API: /api/conversations.list, /api/conversations.history
              Zendesk           Support API: /api/v2/incremental/tickets/cursor.json (cursor-based export)
              Marketo           REST API: /identity/oauth/token, /rest/v1/leads.json, leads/describe.json,
                                leads/partitions.json, activities/types.json, activities/pagingtoken.json, activities.json
              SAP OData         OData v2 service /sap/opu/odata/sap/API_BUSINESS_PARTNER: service document,
                                $metadata, entity sets with $select, $filter, $top, $skip
              Salesforce Bulk   Bulk API 2.0 query jobs: /services/data/vXX.X/jobs/query[/<id>[/results]]
                                (query, queryAll; CSV result pages with Sforce-Locator)
              Marketo Bulk      Bulk Extract API: /bulk/v1/leads|activities/export/create.json, enqueue,
                                status, file (CSV)
              Google Analytics  Universal Analytics: /token, Management API accountSummaries and profiles,
                                Metadata API columns, Reporting API v4 /v4/reports:batchGet
              Google Analytics 4  Admin API v1beta accountSummaries, properties/<id>; Data API v1beta
                                properties/<id>/metadata and :runReport
            Test switches (never part of an emulated API): POST /_sandbox/expire-tokens, /_sandbox/throttle,
            /_sandbox/fail-every, /_sandbox/touch, /_sandbox/sap, /_sandbox/marketo, /_sandbox/salesforce-bulk,
            /_sandbox/ga4, /_sandbox/ga4/late-hits, /_sandbox/ga/late-hits, /_sandbox/ga4/quota,
            /_sandbox/hostile-next; GET /_sandbox/stats, /_sandbox/queries, /_sandbox/marketo, /_sandbox/ga4.
            """)

    @Option(help: "Port on 127.0.0.1 (0 picks a free one; the first line printed says which)") var port: Int = 8089
    @Option(help: "Seed of the generated data") var seed: UInt64 = 42
    @Option(help: "Records per object") var records: Int = 5000
    @Option(help: "Largest page the APIs return") var pageSize: Int = 2000
    @Option(help: "Access token accepted from the start (Salesforce, Slack, Zendesk)") var accessToken = "sandbox-access-token"
    @Option(help: "Refresh token the OAuth token endpoint accepts") var refreshToken = "sandbox-refresh-token"
    @Option(help: "Basic-auth user (ServiceNow)") var username = "admin"
    @Option(help: "Basic-auth password (ServiceNow)") var password = "sandbox-password"
    @Option(help: "Answer every Nth API request with HTTP 500 (0: never)") var failEvery = 0
    @Option(help: "OAuth client id the token endpoints require with a refresh token") var clientId = "sandbox-client-id"
    @Option(help: "OAuth client secret the token endpoints require with a refresh token") var clientSecret = "sandbox-client-secret"
    @Option(help: "SAP OData: at most N entities per response, then a __next link with a $skiptoken (0: off)") var sapServerPageSize = 0
    @Option(help: "Universal Analytics views listed: the 2nd in Asia/Tokyo, then one per further account (over 1001 views need accountSummaries paging); late hits: POST /_sandbox/ga/late-hits?hour=ISO&count=N") var gaViews = 1
    @Option(help: "GA4 properties listed: a Tokyo and a UTC one, then one per further account (over 51 need accountSummaries paging); switches: POST /_sandbox/ga4?now=ISO|real (Google's clock, UA too), /_sandbox/ga4/late-hits?property=ID&hour=ISO&count=N, /_sandbox/ga4/quota?tokensPerHour=N..., GET /_sandbox/ga4") var ga4Properties = 2
    @Option(help: ArgumentHelp("""
        Marketo's documented limits and data shapes, as key=value&…: leads=N&partitions=P&fields=F (N leads in each \
        of P partitions, F lead fields), activities=N, matchLimit=on (1003 past 1,000 matches), rateLimit=on (606 past \
        100 calls in 20 s, 615 past 10 at once; rateCalls, rateSeconds, concurrentCalls), dailyQuota=N (607), hold=on, \
        headerTokens=on (access_token query parameter refused), exportPolls=N, exportQuota=BYTES, failExports=N; \
        the same as POST /_sandbox/marketo
        """, valueName: "settings")) var marketo = ""
    @Option(help: ArgumentHelp("""
        Salesforce Bulk API 2.0 query jobs, as key=value&…: polls=N (info requests per state), failJobs=N, \
        pageRecords=N (result set size without maxRecords); the same as POST /_sandbox/salesforce-bulk
        """, valueName: "settings")) var salesforceBulk = ""

    func run() async throws {
        var faults = SandboxState.Faults()
        faults.failEvery = failEvery
        let app = try SandboxApp.build(SandboxConfiguration(
            port: port, seed: seed, records: records, pageSize: pageSize, accessToken: accessToken, refreshToken: refreshToken,
            username: username, password: password, faults: faults, clientId: clientId, clientSecret: clientSecret,
            sapServerPageSize: sapServerPageSize > 0 ? sapServerPageSize : nil,
            gaViews: gaViews, ga4Properties: ga4Properties, marketo: marketo, salesforceBulk: salesforceBulk))
        try await app.runService()
    }
}

// Parsed and run by hand: top-level code cannot use @main, and the async `main()` is not chosen here.
do {
    let command = try SandboxCommand.parse()
    try await command.run()
} catch {
    SandboxCommand.exit(withError: error)
}
