import Foundation
import Testing
import FlowlineTestSupport

/// Google Analytics flows against the sandbox over real HTTP, through the CLI: views from the
/// Management API, columns from the Metadata API, report rows from `reports:batchGet` across
/// `pageToken` pages, OAuth tokens renewed and sealed back. The profile has no properties, so the
/// CLI is pointed at the sandbox with `FLOWLINE_GOOGLEANALYTICS_ENDPOINT`.
@Suite struct GoogleAnalyticsFlowTests {
    static let view = "187654321"
    static let fields = ["ga:dateHourMinute", "ga:country", "ga:deviceCategory", "ga:pagePath",
                         "ga:sessions", "ga:users", "ga:pageviews", "ga:bounceRate"]

    /// A projection of the report's columns and one Map per column (Google Analytics' operators are PROJECTION and BETWEEN).
    static var tasks: String {
        let list = fields.map { #""\#($0)""# }.joined(separator: ", ")
        let maps = fields.map { #"{"sourceFields": ["\#($0)"], "connectorOperator": {"GoogleAnalytics": "PROJECTION"}, "destinationField": "\#($0)", "taskType": "Map", "taskProperties": {}}"# }
        return #"[{"sourceFields": [\#(list)], "connectorOperator": {"GoogleAnalytics": "PROJECTION"}, "taskType": "Filter", "taskProperties": {}}, \#(maps.joined(separator: ", "))]"#
    }

    func setUp(records: Int, pageSize: Int, accessToken: String = "sandbox-access-token",
               refreshToken: String = "sandbox-refresh-token") throws -> (SandboxProcess, FlowlineCLI, SaaSFlows) {
        let sandbox = try SandboxProcess(records: records, pageSize: pageSize)
        let cli = try FlowlineCLI(environment: ["FLOWLINE_GOOGLEANALYTICS_ENDPOINT": sandbox.url])
        let flows = SaaSFlows(cli: cli)
        try flows.createProfile("ga", type: "Googleanalytics", key: "GoogleAnalytics", properties: "{}",
                                credentials: #"{"clientId": "sandbox-client-id", "clientSecret": "sandbox-client-secret", "accessToken": "\#(accessToken)", "refreshToken": "\#(refreshToken)"}"#,
                                // A stale token is there for later commands to renew: the check would renew it first.
                                checked: accessToken == "sandbox-access-token")
        return (sandbox, cli, flows)
    }

    @Test func reportRowsArriveAcrossPageTokens() throws {
        let (sandbox, cli, flows) = try setUp(records: 2500, pageSize: 700)
        let entities = try cli.json(["list-connector-entities", "--connector-profile-name", "ga"])
        let objects = (entities["connectorEntityMap"] as? [String: Any])?["Objects"] as? [[String: Any]]
        #expect(objects?.compactMap { $0["name"] as? String } == [Self.view])
        #expect(objects?.first?["label"] as? String == "Sandbox Co / www.example.com / All Web Site Data")
        let described = try cli.json(["describe-connector-entity", "--connector-profile-name", "ga", "--connector-entity-name", Self.view])
        let names = (described["connectorEntityFields"] as? [[String: Any]])?.compactMap { $0["identifier"] as? String } ?? []
        #expect(Set(Self.fields).isSubset(of: Set(names)))
        #expect(!names.contains("ga:visitors"))   // deprecated

        try flows.createFlow("traffic", type: "Googleanalytics", profile: "ga", properties: #"{"GoogleAnalytics": {"object": "\#(Self.view)"}}"#,
                             tasks: Self.tasks)
        let (id, r) = try flows.start("traffic")
        #expect(r.status == 0, "\(r.stderr)")
        let rows = try flows.csvRecords(flows.files("traffic", executionId: id))
        #expect(rows.count == 2500)
        #expect(Set(rows.compactMap { $0["ga:dateHourMinute"] }).count == 2500)
        #expect(rows.allSatisfy { ($0["ga:dateHourMinute"] ?? "").hasSuffix(":00Z") && Int($0["ga:sessions"] ?? "") != nil })
        #expect(rows.contains { $0["ga:country"] == "Côte d’Ivoire" } && rows.contains { $0["ga:pagePath"]?.contains("?ref=a,b") == true })
        // 2,500 rows in pages of 700: four batchGet calls, plus the metadata calls.
        #expect(try sandbox.stats()["requests"]! >= 4 + 3)
    }

    @Test func incrementalRunTransfersOnlyNewRows() throws {
        let (sandbox, _, flows) = try setUp(records: 600, pageSize: 250)
        let trigger = #"{"triggerType": "Scheduled", "triggerProperties": {"Scheduled": {"scheduleExpression": "rate(1hours)", "dataPullMode": "Incremental"}}}"#
        try flows.createFlow("traffic", type: "Googleanalytics", profile: "ga", properties: #"{"GoogleAnalytics": {"object": "\#(Self.view)"}}"#,
                             tasks: Self.tasks, trigger: trigger, incrementalField: "ga:dateHourMinute")
        let first = try flows.start("traffic", command: "run-flow")
        #expect(first.result.status == 0, "\(first.result.stderr)")
        let before = try flows.csvRecords(flows.files("traffic", executionId: first.id))
        #expect(before.count == 600)

        // Report times have whole minutes: new hits must land in a minute after the first window ended.
        let seconds = Date().timeIntervalSince1970
        Thread.sleep(forTimeInterval: 60 - seconds.truncatingRemainder(dividingBy: 60) + 0.5)
        let touched = try sandbox.admin("/_sandbox/touch?object=analytics&count=4")
        #expect((touched["touched"] as? [Any])?.count == 4)
        Thread.sleep(forTimeInterval: 1.2)
        let second = try flows.start("traffic", command: "run-flow")
        #expect(second.result.status == 0, "\(second.result.stderr)")
        let rows = try flows.csvRecords(flows.files("traffic", executionId: second.id))
        #expect(rows.count == 4)
        // The same hits as before (dimensions and metrics), now at the new minute.
        let key: ([String: String]) -> String = { r in Self.fields.dropFirst().map { r[$0] ?? "" }.joined(separator: "|") }
        #expect(Set(rows.map(key)).isSubset(of: Set(before.map(key))))
        #expect(Set(rows.compactMap { $0["ga:dateHourMinute"] }).count == 1)
    }

    @Test func expiredTokensAreRenewedAndSealedBackAndBadGrantsRefused() throws {
        let (sandbox, cli, flows) = try setUp(records: 50, pageSize: 100, accessToken: "ya29.stale")
        _ = try cli.json(["list-connector-entities", "--connector-profile-name", "ga"])
        #expect(try sandbox.stats()["refreshed"] == 1)
        // The renewed token was stored with the profile: a second command does not renew again.
        _ = try cli.json(["describe-connector-entity", "--connector-profile-name", "ga", "--connector-entity-name", Self.view])
        #expect(try sandbox.stats()["refreshed"] == 1)

        let badCredentials = #"{"clientId": "sandbox-client-id", "clientSecret": "sandbox-client-secret", "accessToken": "ya29.stale", "refreshToken": "1//revoked-refresh-9"}"#
        let checked = try flows.tryCreateProfile("ga-bad", type: "Googleanalytics", key: "GoogleAnalytics", properties: "{}", credentials: badCredentials)
        #expect(checked.status == 254 && checked.stderr.contains("ConnectorAuthenticationException") && checked.stderr.contains("invalid_grant"))
        #expect(!checked.stderr.contains("1//revoked-refresh-9"))
        try flows.createProfile("ga-bad", type: "Googleanalytics", key: "GoogleAnalytics", properties: "{}", credentials: badCredentials, checked: false)
        let denied = try cli.run("list-connector-entities", "--connector-profile-name", "ga-bad")
        #expect(denied.status == 254)
        #expect(denied.stderr.contains("ConnectorAuthenticationException") && denied.stderr.contains("ga-bad"))
        #expect(denied.stderr.contains("invalid_grant"))
        #expect(!denied.stderr.contains("1//revoked-refresh-9") && !denied.stderr.contains("sandbox-client-secret"))
    }

    @Test func createFlowRefusesAColumnTheMetadataAPIDoesNotList() throws {
        let (sandbox, cli, flows) = try setUp(records: 10, pageSize: 100)
        defer { withExtendedLifetime(sandbox) {} }
        let tasks = #"[{"sourceFields": ["ga:noSuchMetric"], "connectorOperator": {"GoogleAnalytics": "PROJECTION"}, "taskType": "Filter", "taskProperties": {}}, {"sourceFields": ["ga:noSuchMetric"], "connectorOperator": {"GoogleAnalytics": "PROJECTION"}, "destinationField": "x", "taskType": "Map", "taskProperties": {}}]"#
        let r = try flows.tryCreateFlow("traffic", type: "Googleanalytics", profile: "ga",
                                        properties: #"{"GoogleAnalytics": {"object": "\#(Self.view)"}}"#, tasks: tasks)
        #expect(r.status == 254)
        #expect(r.stderr.contains("ValidationException") && r.stderr.contains("ga:noSuchMetric"), "\(r.stderr)")
        #expect(try cli.json(["list-flows"])["flows"].map { ($0 as? [[String: Any]])?.count } == 0)
    }
}
