import Foundation
import Testing
import FlowlineTestSupport

/// SAP OData v2 flows against the sandbox over real HTTP, through the CLI: the profile's host,
/// port, service path and client; `$skip` paging and `__next` links; `$filter` windows; basic auth.
@Suite struct SAPODataFlowTests {
    let cli: FlowlineCLI
    let flows: SaaSFlows

    init() throws {
        cli = try FlowlineCLI()
        flows = SaaSFlows(cli: cli)
    }

    func createProfile(_ name: String, sandbox: SandboxProcess, password: String = "sandbox-password", client: String = "100",
                       checked: Bool = true) throws {
        try flows.createProfile(name, type: "SAPOData", key: "SAPOData",
                                properties: #"{"applicationHostUrl": "http://127.0.0.1", "portNumber": \#(sandbox.port), "applicationServicePath": "/sap/opu/odata/sap/API_BUSINESS_PARTNER", "clientNumber": "\#(client)", "logonLanguage": "EN"}"#,
                                credentials: #"{"basicAuthCredentials": {"username": "admin", "password": "\#(password)"}}"#, checked: checked)
    }

    func properties(_ pageSize: Int) -> String {
        #"{"SAPOData": {"objectPath": "/sap/opu/odata/sap/API_BUSINESS_PARTNER/A_BusinessPartner", "paginationConfig": {"maxPageSize": \#(pageSize)}}}"#
    }

    @Test func businessPartnersArriveAcrossSkipPagesAndNextLinks() throws {
        // The client's pages (500) are smaller than the server's: `$skip` paging.
        let sandbox = try SandboxProcess(records: 2300, pageSize: 2000)
        try createProfile("sap", sandbox: sandbox)
        let entities = try cli.json(["list-connector-entities", "--connector-profile-name", "sap"])
        let names = ((entities["connectorEntityMap"] as? [String: Any])?["Objects"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
        #expect(names == ["A_BusinessPartner"])
        let described = try cli.json(["describe-connector-entity", "--connector-profile-name", "sap", "--connector-entity-name", "A_BusinessPartner"])
        let fields = described["connectorEntityFields"] as? [[String: Any]] ?? []
        #expect(fields.count == 8)
        let industry = fields.first { $0["identifier"] as? String == "Industry" }
        let details = (industry?["supportedFieldTypeDetails"] as? [String: Any])?["v1"] as? [String: Any]
        #expect(details?["filterOperators"] as? [String] == ["PROJECTION", "NO_OP"])   // sap:filterable="false"

        try flows.createFlow("partners", type: "SAPOData", profile: "sap", properties: properties(500))
        let (id, r) = try flows.start("partners")
        #expect(r.status == 0, "\(r.stderr)")
        let rows = try flows.csvRecords(flows.files("partners", executionId: id))
        #expect(rows.count == 2300)
        #expect(Set(rows.compactMap { $0["BusinessPartner"] }) == Set((0..<2300).map { String(format: "%010d", 1_000_000 + $0) }))
        let first = rows.first { $0["BusinessPartner"] == "0001000000" }
        #expect(first?["BusinessPartnerFullName"] == "Partner 0 GmbH & Co. KG, \"Süd\"")
        #expect(first?["CreationDate"]?.hasSuffix("T00:00:00Z") == true)   // /Date(ms)/ became ISO 8601
        #expect(first?["LastChangeDateTime"]?.count == 20)
        #expect(rows.allSatisfy { !($0["to_BusinessPartnerAddress"] ?? "").contains("__deferred") })
        #expect(try sandbox.stats()["requests"]! >= 5)

        // The server's pages (400) are smaller than the client's: `d.__next` links.
        let small = try SandboxProcess(records: 1100, pageSize: 400)
        try createProfile("sap-small", sandbox: small)
        try flows.createFlow("partners-next", type: "SAPOData", profile: "sap-small", properties: properties(5000))
        let next = try flows.start("partners-next")
        #expect(next.result.status == 0, "\(next.result.stderr)")
        let all = try flows.csvRecords(flows.files("partners-next", executionId: next.id))
        #expect(all.count == 1100 && Set(all.compactMap { $0["BusinessPartner"] }).count == 1100)
        #expect(try small.stats()["requests"]! >= 3 + 1)
    }

    @Test func incrementalRunTransfersOnlyTouchedPartners() throws {
        let sandbox = try SandboxProcess(records: 800, pageSize: 300)
        try createProfile("sap", sandbox: sandbox)
        let trigger = #"{"triggerType": "Scheduled", "triggerProperties": {"Scheduled": {"scheduleExpression": "rate(1hours)", "dataPullMode": "Incremental"}}}"#
        try flows.createFlow("partners", type: "SAPOData", profile: "sap", properties: properties(250), trigger: trigger,
                             incrementalField: "LastChangeDateTime")
        let first = try flows.start("partners", command: "run-flow")
        #expect(first.result.status == 0, "\(first.result.stderr)")
        #expect(try flows.csvRecords(flows.files("partners", executionId: first.id)).count == 800)

        let touched = try sandbox.admin("/_sandbox/touch?object=A_BusinessPartner&count=5")["touched"] as? [String] ?? []
        #expect(touched.count == 5)
        Thread.sleep(forTimeInterval: 1.2)
        let second = try flows.start("partners", command: "run-flow")
        #expect(second.result.status == 0, "\(second.result.stderr)")
        let rows = try flows.csvRecords(flows.files("partners", executionId: second.id))
        #expect(rows.count == 5)
        #expect(Set(rows.compactMap { $0["BusinessPartner"] }) == Set(touched))
    }

    @Test func oAuthTokensAreRenewedAtTheTokenURLAndSealedBack() throws {
        let sandbox = try SandboxProcess(records: 30)
        try flows.createProfile("sap-oauth", type: "SAPOData", key: "SAPOData",
                                properties: #"{"applicationHostUrl": "http://127.0.0.1", "portNumber": \#(sandbox.port), "applicationServicePath": "/sap/opu/odata/sap/API_BUSINESS_PARTNER", "clientNumber": "100", "oAuthProperties": {"tokenUrl": "\#(sandbox.url)/services/oauth2/token", "authCodeUrl": "\#(sandbox.url)/authorize", "oAuthScopes": ["API_BUSINESS_PARTNER_0001"]}}"#,
                                credentials: #"{"oAuthCredentials": {"clientId": "sandbox-client-id", "clientSecret": "sandbox-client-secret", "accessToken": "stale-token", "refreshToken": "sandbox-refresh-token"}}"#,
                                checked: false)
        try flows.createFlow("partners", type: "SAPOData", profile: "sap-oauth", properties: properties(10))
        let (id, r) = try flows.start("partners")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try flows.csvRecords(flows.files("partners", executionId: id)).count == 30)
        #expect(try sandbox.stats()["refreshed"] == 1)
        // The renewed token was sealed into oAuthCredentials: the next command uses it as it is.
        _ = try cli.json(["list-connector-entities", "--connector-profile-name", "sap-oauth"])
        #expect(try sandbox.stats()["refreshed"] == 1)
    }

    @Test func badPasswordsAndClientsAreRefusedInTheServicesWords() throws {
        let sandbox = try SandboxProcess(records: 10)
        try createProfile("sap-bad", sandbox: sandbox, password: "wrong-pw-77", checked: false)
        let denied = try cli.run("list-connector-entities", "--connector-profile-name", "sap-bad")
        #expect(denied.status == 254)
        #expect(denied.stderr.contains("ConnectorAuthenticationException") && denied.stderr.contains("sap-bad"))
        #expect(!denied.stderr.contains("wrong-pw-77"))

        try createProfile("sap-client", sandbox: sandbox, client: "200", checked: false)
        let refused = try cli.run("describe-connector-entity", "--connector-profile-name", "sap-client", "--connector-entity-name", "A_BusinessPartner")
        #expect(refused.status == 254)
        #expect(refused.stderr.contains("sap-client") && refused.stderr.contains("Client 200 is not available"))

        try createProfile("sap", sandbox: sandbox)
        let missing = try cli.run("describe-connector-entity", "--connector-profile-name", "sap", "--connector-entity-name", "A_Nothing")
        #expect(missing.status == 254)
        #expect(missing.stderr.contains("A_Nothing"))
    }

    @Test func createFlowRefusesAFieldTheEntitySetDoesNotHave() throws {
        let sandbox = try SandboxProcess(records: 10)
        try createProfile("sap", sandbox: sandbox)
        let tasks = #"[{"sourceFields": ["NoSuchPartnerField"], "connectorOperator": {"SAPOData": "PROJECTION"}, "taskType": "Filter", "taskProperties": {}}, {"sourceFields": ["NoSuchPartnerField"], "connectorOperator": {"SAPOData": "NO_OP"}, "destinationField": "x", "taskType": "Map", "taskProperties": {}}]"#
        let r = try flows.tryCreateFlow("partners", type: "SAPOData", profile: "sap", properties: properties(100), tasks: tasks)
        #expect(r.status == 254)
        #expect(r.stderr.contains("ValidationException") && r.stderr.contains("NoSuchPartnerField"), "\(r.stderr)")
        #expect(try cli.json(["list-flows"])["flows"].map { ($0 as? [[String: Any]])?.count } == 0)
    }
}
