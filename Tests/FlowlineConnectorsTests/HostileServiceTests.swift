import Foundation
import Testing
import FlowlineTestSupport

/// What a hostile or compromised application (or a tampered flow) can make a connector do: follow
/// a "next page" link to another host with the profile's token, or splice text into a query.
@Suite struct HostileServiceTests {
    let cli: FlowlineCLI
    let flows: SaaSFlows

    init() throws {
        cli = try FlowlineCLI()
        flows = SaaSFlows(cli: cli)
    }

    static let incremental = #"{"triggerType": "Scheduled", "triggerProperties": {"Scheduled": {"scheduleExpression": "rate(1hours)", "dataPullMode": "Incremental"}}}"#

    /// The run's message, from the execution record.
    func message(_ flow: String) throws -> String {
        let execution = try flows.lastExecution(flow)
        return ((execution["executionResult"] as? [String: Any])?["errorInfo"] as? [String: Any])?["executionMessage"] as? String ?? ""
    }

    /// Salesforce, ServiceNow and Zendesk pages whose next link names another host: the run stops
    /// with an error naming it, and the other host never sees a request (nor the token).
    @Test(arguments: ["Salesforce", "ServiceNow", "Zendesk"])
    func nextPageLinksToAnotherHostAreNotFollowed(service: String) throws {
        // ServiceNow pages by the runner's batch size (8,192 records): more than that, so there is a next page.
        let sandbox = try SandboxProcess(records: service == "ServiceNow" ? 8300 : 250, pageSize: 100)
        let attacker = try SandboxProcess(records: 1, pageSize: 100)
        switch service {
        case "Salesforce":
            try flows.createSalesforceProfile("p", sandbox: sandbox)
            try flows.createFlow("hostile", type: "Salesforce", profile: "p", properties: #"{"Salesforce": {"object": "Account"}}"#)
            try sandbox.admin("/_sandbox/hostile-next?url=\(attacker.url)/services/data/v58.0/query/stolen")
        case "ServiceNow":
            try flows.createProfile("p", type: "Servicenow", key: "ServiceNow", properties: #"{"instanceUrl": "\#(sandbox.url)"}"#,
                                    credentials: #"{"username": "admin", "password": "sandbox-password"}"#)
            try flows.createFlow("hostile", type: "Servicenow", profile: "p", properties: #"{"ServiceNow": {"object": "incident"}}"#)
            try sandbox.admin("/_sandbox/hostile-next?url=\(attacker.url)/api/now/table/incident")
        default:
            try flows.createProfile("p", type: "Zendesk", key: "Zendesk", properties: #"{"instanceUrl": "\#(sandbox.url)"}"#,
                                    credentials: #"{"clientId": "cid", "clientSecret": "cs", "accessToken": "sandbox-access-token"}"#)
            try flows.createFlow("hostile", type: "Zendesk", profile: "p", properties: #"{"Zendesk": {"object": "tickets"}}"#)
            try sandbox.admin("/_sandbox/hostile-next?url=\(attacker.url)/api/v2/incremental/tickets/cursor.json")
        }
        let run = try flows.start("hostile")
        #expect(run.result.status != 0, "the run followed the link: \(run.result.stdout)")
        #expect(try attacker.stats()["requests"] == 0, "a request reached the other host")
        let text = try message("hostile")
        #expect(text.contains("127.0.0.1:\(attacker.port)") && text.contains("127.0.0.1:\(sandbox.port)"), "\(text)")
        #expect(flows.files("hostile", executionId: run.id).isEmpty)
    }

    /// A relative Salesforce link that changes the host by way of URL syntax (`@host`) is caught too.
    @Test func aRelativeLinkCannotChangeTheHost() throws {
        let sandbox = try SandboxProcess(records: 250, pageSize: 100)
        let attacker = try SandboxProcess(records: 1, pageSize: 100)
        try flows.createSalesforceProfile("p", sandbox: sandbox)
        try flows.createFlow("sneaky", type: "Salesforce", profile: "p", properties: #"{"Salesforce": {"object": "Account"}}"#)
        try sandbox.admin("/_sandbox/hostile-next?url=@127.0.0.1:\(attacker.port)/services/data/v58.0/query/stolen")
        let run = try flows.start("sneaky")
        #expect(run.result.status != 0)
        #expect(try attacker.stats()["requests"] == 0, "a request reached the other host")
    }

    /// An incremental field that is not one of the object's fields never reaches SOQL or
    /// `sysparm_query`, even when the flow was created while the application could not be asked.
    @Test(arguments: ["Salesforce", "ServiceNow"])
    func incrementalFieldsAreCheckedBeforeTheyEnterAQuery(service: String) throws {
        let sandbox = try SandboxProcess(records: 20, pageSize: 100)
        let unreachable = "http://127.0.0.1:1"
        let injected: String
        if service == "Salesforce" {
            injected = "LastModifiedDate >= 2000-01-01T00:00:00Z OR Name"
            try flows.createProfile("p", type: "Salesforce", key: "Salesforce", properties: #"{"instanceUrl": "\#(unreachable)"}"#,
                                    credentials: #"{"accessToken": "sandbox-access-token", "refreshToken": "sandbox-refresh-token"}"#,
                                    checked: false)
            try flows.createFlow("tampered", type: "Salesforce", profile: "p", properties: #"{"Salesforce": {"object": "Account"}}"#,
                                 trigger: Self.incremental, incrementalField: injected)
            let update = try cli.run(["update-connector-profile", "--connector-profile-name", "p", "--connection-mode", "Public",
                                      "--connector-profile-config", #"{"connectorProfileProperties": {"Salesforce": {"instanceUrl": "\#(sandbox.url)", "isSandboxEnvironment": true}}}"#])
            #expect(update.status == 0, "\(update.stderr)")
        } else {
            injected = "sys_updated_on^NQpriority!=0"
            try flows.createProfile("p", type: "Servicenow", key: "ServiceNow", properties: #"{"instanceUrl": "\#(unreachable)"}"#,
                                    credentials: #"{"username": "admin", "password": "sandbox-password"}"#, checked: false)
            try flows.createFlow("tampered", type: "Servicenow", profile: "p", properties: #"{"ServiceNow": {"object": "incident"}}"#,
                                 trigger: Self.incremental, incrementalField: injected)
            let update = try cli.run(["update-connector-profile", "--connector-profile-name", "p", "--connection-mode", "Public",
                                      "--connector-profile-config", #"{"connectorProfileProperties": {"ServiceNow": {"instanceUrl": "\#(sandbox.url)"}}}"#])
            #expect(update.status == 0, "\(update.stderr)")
        }
        let run = try flows.start("tampered", command: "run-flow")
        #expect(run.result.status != 0, "the run went ahead: \(run.result.stdout)")
        let queries = try sandbox.admin("/_sandbox/queries", method: "GET")["queries"] as? [[String: String]] ?? []
        #expect(!queries.contains { $0.values.contains { $0.contains("OR Name") || $0.contains("^NQ") } }, "\(queries)")
        let text = try message("tampered")
        #expect(text.contains(injected) && text.contains("not a field"), "\(text)")
    }
}
