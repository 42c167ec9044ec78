import Foundation
import Testing
import FlowlineTestSupport

/// ServiceNow, Slack and Zendesk flows against the sandbox over real HTTP, through the CLI.
@Suite struct OtherSaaSFlowTests {
    let cli: FlowlineCLI
    let flows: SaaSFlows

    init() throws {
        cli = try FlowlineCLI()
        flows = SaaSFlows(cli: cli)
    }

    @Test func serviceNowIncidentsArriveAcrossPagesWithBasicAuth() throws {
        let sandbox = try SandboxProcess(records: 1700, pageSize: 2000)
        try flows.createProfile("sn", type: "Servicenow", key: "ServiceNow", properties: #"{"instanceUrl": "\#(sandbox.url)"}"#,
                                credentials: #"{"username": "admin", "password": "sandbox-password"}"#)
        try flows.createFlow("incidents", type: "Servicenow", profile: "sn", properties: #"{"ServiceNow": {"object": "incident"}}"#)
        let (id, r) = try flows.start("incidents")
        #expect(r.status == 0, "\(r.stderr)")
        let rows = try flows.csvRecords(flows.files("incidents", executionId: id))
        #expect(rows.count == 1700)
        #expect(Set(rows.compactMap { $0["number"] }) == Set((0..<1700).map { String(format: "INC%07d", $0) }))
        #expect(rows.first { $0["number"] == "INC0000001" }?["short_description"]?.contains(", again") == true)
        // 1700 records in pages of the runner's batch size (at most 10,000) or the sandbox's: several calls.
        #expect(try sandbox.stats()["requests"]! >= 2)

        let described = try cli.json(["describe-connector-entity", "--connector-profile-name", "sn", "--connector-entity-name", "incident"])
        #expect((described["connectorEntityFields"] as? [[String: Any]])?.count == 7)
    }

    @Test func serviceNowFiltersAndBadPasswordsSpeakTheAPIsWords() throws {
        let sandbox = try SandboxProcess(records: 600, pageSize: 100)
        try flows.createProfile("sn", type: "Servicenow", key: "ServiceNow", properties: #"{"instanceUrl": "\#(sandbox.url)"}"#,
                                credentials: #"{"username": "admin", "password": "sandbox-password"}"#)
        let tasks = """
            [{"sourceFields": ["number", "priority"], "connectorOperator": {"ServiceNow": "PROJECTION"}, "taskType": "Filter", "taskProperties": {}},
             {"sourceFields": ["priority"], "connectorOperator": {"ServiceNow": "GREATER_THAN"}, "taskType": "Filter", "taskProperties": {"DATA_TYPE": "integer", "VALUE": "3"}},
             {"sourceFields": ["number"], "connectorOperator": {"ServiceNow": "NO_OP"}, "destinationField": "number", "taskType": "Map", "taskProperties": {}},
             {"sourceFields": ["priority"], "connectorOperator": {"ServiceNow": "NO_OP"}, "destinationField": "priority", "taskType": "Map", "taskProperties": {}}]
            """
        try flows.createFlow("urgent", type: "Servicenow", profile: "sn", properties: #"{"ServiceNow": {"object": "incident"}}"#, tasks: tasks)
        let (id, r) = try flows.start("urgent")
        #expect(r.status == 0, "\(r.stderr)")
        let rows = try flows.csvRecords(flows.files("urgent", executionId: id))
        // The filter and the projection went into the Table API call...
        let queries = try sandbox.admin("/_sandbox/queries", method: "GET")["queries"] as? [[String: String]] ?? []
        #expect(queries.first?["sysparm_query"] == "priority>3^ORDERBYsys_id")
        #expect(queries.first?["sysparm_fields"] == "number,priority")
        // ...and the rows are exactly those the filter keeps from a full pull.
        try flows.createFlow("all-incidents", type: "Servicenow", profile: "sn", properties: #"{"ServiceNow": {"object": "incident"}}"#)
        let (allId, all) = try flows.start("all-incidents")
        #expect(all.status == 0, "\(all.stderr)")
        let kept = try flows.csvRecords(flows.files("all-incidents", executionId: allId)).filter { Int($0["priority"] ?? "") ?? 0 > 3 }
        #expect(!kept.isEmpty)
        let got: [String] = rows.map { r in "\(r["number"] ?? "")/\(r["priority"] ?? "")" }.sorted()
        let want: [String] = kept.map { r in "\(r["number"] ?? "")/\(r["priority"] ?? "")" }.sorted()
        #expect(got == want)

        try flows.createProfile("sn-bad", type: "Servicenow", key: "ServiceNow", properties: #"{"instanceUrl": "\#(sandbox.url)"}"#,
                                credentials: #"{"username": "admin", "password": "wrong-pw-123"}"#, checked: false)
        let denied = try cli.run("list-connector-entities", "--connector-profile-name", "sn-bad")
        #expect(denied.status == 254)
        #expect(denied.stderr.contains("ConnectorAuthenticationException") && denied.stderr.contains("sn-bad"))
        #expect(denied.stderr.contains("User Not Authenticated"))
        #expect(!denied.stderr.contains("wrong-pw-123"))
    }

    @Test func serviceNowOAuthRenewsAnExpiredTokenAndStoresItSealed() throws {
        let sandbox = try SandboxProcess(records: 450, pageSize: 100)
        try flows.createProfile("sn-oauth", type: "Servicenow", key: "ServiceNow", properties: #"{"instanceUrl": "\#(sandbox.url)"}"#,
                                credentials: #"{"oAuth2Credentials": {"clientId": "sandbox-client-id", "clientSecret": "sandbox-client-secret", "accessToken": "expired-token-abc", "refreshToken": "sandbox-refresh-token"}}"#,
                                // The run is what renews the expired token here, not the profile's check.
                                checked: false)
        try flows.createFlow("incidents", type: "Servicenow", profile: "sn-oauth", properties: #"{"ServiceNow": {"object": "incident"}}"#)
        let (id, r) = try flows.start("incidents")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try flows.csvRecords(flows.files("incidents", executionId: id)).count == 450)
        #expect(try sandbox.stats()["refreshed"] == 1)

        // The renewed token was sealed into the profile: the next run does not renew again.
        let (id2, r2) = try flows.start("incidents")
        #expect(r2.status == 0, "\(r2.stderr)")
        #expect(try flows.csvRecords(flows.files("incidents", executionId: id2)).count == 450)
        #expect(try sandbox.stats()["refreshed"] == 1)
        let home = URL(fileURLWithPath: cli.home.path)
        for name in try FileManager.default.contentsOfDirectory(atPath: home.path) where name.hasPrefix("flowline.db") {
            let bytes = try Data(contentsOf: home.appendingPathComponent(name))
            for secret in ["00Dsandbox!", "sandbox-refresh-token", "sandbox-client-secret", "expired-token-abc"] {
                #expect(bytes.range(of: Data(secret.utf8)) == nil, "\(secret) visible in \(name)")
            }
        }
    }

    @Test func slackMessagesArriveAcrossCursorPages() throws {
        let sandbox = try SandboxProcess(records: 950)
        try flows.createProfile("slack", type: "Slack", key: "Slack", properties: #"{"instanceUrl": "\#(sandbox.url)"}"#,
                                credentials: #"{"clientId": "cid", "clientSecret": "cs", "accessToken": "sandbox-access-token"}"#)
        let entities = try cli.json(["list-connector-entities", "--connector-profile-name", "slack"])
        let names = ((entities["connectorEntityMap"] as? [String: Any])?["Objects"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
        #expect(names == ["conversations/C0GENERAL"])
        try flows.createFlow("general", type: "Slack", profile: "slack", properties: #"{"Slack": {"object": "conversations/C0GENERAL"}}"#,
                             fileType: "JSON")
        let (id, r) = try flows.start("general")
        #expect(r.status == 0, "\(r.stderr)")
        let rows = try flows.jsonRecords(flows.files("general", executionId: id))
        #expect(rows.count == 950)
        #expect(Set(rows.compactMap { $0["text"] as? String }).count == 950)
        #expect(try sandbox.stats()["requests"]! >= 6)   // list + 5 pages of 200
    }

    @Test func slackErrorsAreSurfacedWithSlacksCode() throws {
        let sandbox = try SandboxProcess(records: 5)
        let revoked = #"{"clientId": "cid", "clientSecret": "cs", "accessToken": "xoxb-revoked"}"#
        let checked = try flows.tryCreateProfile("slack", type: "Slack", key: "Slack", properties: #"{"instanceUrl": "\#(sandbox.url)"}"#,
                                                 credentials: revoked)
        #expect(checked.status == 254 && checked.stderr.contains("ConnectorAuthenticationException") && checked.stderr.contains("invalid_auth"))
        #expect(!checked.stderr.contains("xoxb-revoked"))
        try flows.createProfile("slack", type: "Slack", key: "Slack", properties: #"{"instanceUrl": "\#(sandbox.url)"}"#,
                                credentials: revoked, checked: false)
        let denied = try cli.run("list-connector-entities", "--connector-profile-name", "slack")
        #expect(denied.status == 254)
        #expect(denied.stderr.contains("ConnectorAuthenticationException") && denied.stderr.contains("invalid_auth"))
        #expect(!denied.stderr.contains("xoxb-revoked"))
    }

    @Test func zendeskTicketsComeFromTheIncrementalExport() throws {
        let sandbox = try SandboxProcess(records: 2300, pageSize: 1000)
        try flows.createProfile("zd", type: "Zendesk", key: "Zendesk", properties: #"{"instanceUrl": "\#(sandbox.url)"}"#,
                                credentials: #"{"clientId": "cid", "clientSecret": "cs", "accessToken": "sandbox-access-token"}"#)
        let trigger = #"{"triggerType": "Scheduled", "triggerProperties": {"Scheduled": {"scheduleExpression": "rate(1hours)", "dataPullMode": "Incremental"}}}"#
        try flows.createFlow("tickets", type: "Zendesk", profile: "zd", properties: #"{"Zendesk": {"object": "tickets"}}"#,
                             trigger: trigger, incrementalField: "updated_at")
        // One 429 with `Retry-After: 1` makes the first run last past the next whole second after
        // it started, so the second run's window (whole seconds, like the API's) is never empty.
        try sandbox.admin("/_sandbox/throttle?count=1&retryAfter=1")
        let first = try flows.start("tickets", command: "run-flow")
        #expect(first.result.status == 0, "\(first.result.stderr)")
        let rows = try flows.csvRecords(flows.files("tickets", executionId: first.id))
        #expect(Set(rows.compactMap { $0["id"] }) == Set((1...2300).map(String.init)))
        #expect(try sandbox.stats()["throttled"] == 1)

        // Four tickets change in the second the first run started: after its window, inside the next one.
        let touched = try sandbox.admin("/_sandbox/touch?object=tickets&count=4&at=\(try flows.windowEndSecond("tickets"))")["touched"] as? [Int] ?? []
        #expect(touched.count == 4)
        let second = try flows.start("tickets", command: "run-flow")
        #expect(second.result.status == 0, "\(second.result.stderr)")
        let again = try flows.csvRecords(flows.files("tickets", executionId: second.id))
        #expect(Set(again.compactMap { $0["id"] }) == Set(touched.map(String.init)))
    }
}
