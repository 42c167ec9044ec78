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
        #expect(!rows.isEmpty && rows.allSatisfy { ["4", "5"].contains($0["priority"] ?? "") })

        try flows.createProfile("sn-bad", type: "Servicenow", key: "ServiceNow", properties: #"{"instanceUrl": "\#(sandbox.url)"}"#,
                                credentials: #"{"username": "admin", "password": "wrong-pw-123"}"#)
        let denied = try cli.run("list-connector-entities", "--connector-profile-name", "sn-bad")
        #expect(denied.status == 254)
        #expect(denied.stderr.contains("ConnectorAuthenticationException") && denied.stderr.contains("sn-bad"))
        #expect(denied.stderr.contains("User Not Authenticated"))
        #expect(!denied.stderr.contains("wrong-pw-123"))
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
        try flows.createProfile("slack", type: "Slack", key: "Slack", properties: #"{"instanceUrl": "\#(sandbox.url)"}"#,
                                credentials: #"{"clientId": "cid", "clientSecret": "cs", "accessToken": "xoxb-revoked"}"#)
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
        let first = try flows.start("tickets", command: "run-flow")
        #expect(first.result.status == 0, "\(first.result.stderr)")
        let rows = try flows.csvRecords(flows.files("tickets", executionId: first.id))
        #expect(Set(rows.compactMap { $0["id"] }) == Set((1...2300).map(String.init)))

        let touched = try sandbox.admin("/_sandbox/touch?object=tickets&count=4")["touched"] as? [Int] ?? []
        Thread.sleep(forTimeInterval: 1.2)
        let second = try flows.start("tickets", command: "run-flow")
        #expect(second.result.status == 0, "\(second.result.stderr)")
        let again = try flows.csvRecords(flows.files("tickets", executionId: second.id))
        #expect(Set(again.compactMap { $0["id"] }) == Set(touched.map(String.init)))
    }
}
