import Foundation
import Testing
import FlowlineConnectors
import FlowlineTestSupport

/// Salesforce flows against the sandbox over real HTTP, driven through the `flowline` CLI as a
/// user would, with outputs read back by Python.
@Suite struct SalesforceFlowTests {
    let cli: FlowlineCLI
    let flows: SaaSFlows

    init() throws {
        cli = try FlowlineCLI()
        flows = SaaSFlows(cli: cli)
    }

    /// The sandbox's Account ids: `001` and twelve digits; every 50th record (i % 50 == 49) is deleted.
    static func accountIds(_ count: Int, includeDeleted: Bool) -> Set<String> {
        Set((0..<count).filter { includeDeleted || $0 % 50 != 49 }.map { String(format: "001%012d", $0) })
    }

    @Test func everyAccountArrivesAcrossManyPagesAsCSV() throws {
        let sandbox = try SandboxProcess(records: 3000, pageSize: 250)
        try flows.createSalesforceProfile("sf", sandbox: sandbox)
        try flows.createFlow("accounts", type: "Salesforce", profile: "sf", properties: #"{"Salesforce": {"object": "Account"}}"#)
        let (id, r) = try flows.start("accounts")
        #expect(r.status == 0, "\(r.stderr)")
        let rows = try flows.csvRecords(flows.files("accounts", executionId: id))
        #expect(rows.count == 2940)
        #expect(Set(rows.compactMap { $0["Id"] }) == Self.accountIds(3000, includeDeleted: false))
        // Text with quotes, a comma and a newline survives the JSON → CSV trip.
        let first = rows.first { $0["Id"] == "001000000000000" }
        #expect(first?["Description"] == "Says \"hi\", then\nleaves")
        #expect(first?["LastModifiedDate"]?.hasSuffix("Z") == true)
        #expect(try sandbox.stats()["requests"]! >= 12)   // describe + 12 query pages
    }

    @Test func includeDeletedRecordsUsesQueryAllIntoJSONLines() throws {
        let sandbox = try SandboxProcess(records: 1200, pageSize: 500)
        try flows.createSalesforceProfile("sf", sandbox: sandbox)
        try flows.createFlow("all-accounts", type: "Salesforce", profile: "sf",
                             properties: #"{"Salesforce": {"object": "Account", "includeDeletedRecords": true}}"#, fileType: "JSON")
        let (id, r) = try flows.start("all-accounts")
        #expect(r.status == 0, "\(r.stderr)")
        let rows = try flows.jsonRecords(flows.files("all-accounts", executionId: id))
        #expect(Set(rows.compactMap { $0["Id"] as? String }) == Self.accountIds(1200, includeDeleted: true))
        #expect(rows.filter { $0["IsDeleted"] as? Bool == true }.count == 24)
    }

    @Test func projectionAndFiltersBecomeTheQuery() throws {
        let sandbox = try SandboxProcess(records: 2000, pageSize: 300)
        try flows.createSalesforceProfile("sf", sandbox: sandbox)
        let tasks = """
            [{"sourceFields": ["Id", "NumberOfEmployees", "Industry"], "connectorOperator": {"Salesforce": "PROJECTION"}, "taskType": "Filter", "taskProperties": {}},
             {"sourceFields": ["NumberOfEmployees"], "connectorOperator": {"Salesforce": "LESS_THAN"}, "taskType": "Filter", "taskProperties": {"DATA_TYPE": "integer", "VALUE": "500"}},
             {"sourceFields": ["Industry"], "connectorOperator": {"Salesforce": "EQUAL_TO"}, "taskType": "Filter", "taskProperties": {"DATA_TYPE": "string", "VALUES": "Energy,Retail"}},
             {"sourceFields": ["Id"], "connectorOperator": {"Salesforce": "NO_OP"}, "destinationField": "Id", "taskType": "Map", "taskProperties": {}},
             {"sourceFields": ["NumberOfEmployees"], "connectorOperator": {"Salesforce": "NO_OP"}, "destinationField": "Employees", "taskType": "Map", "taskProperties": {}},
             {"sourceFields": ["Industry"], "connectorOperator": {"Salesforce": "NO_OP"}, "destinationField": "Industry", "taskType": "Map", "taskProperties": {}}]
            """
        try flows.createFlow("small", type: "Salesforce", profile: "sf", properties: #"{"Salesforce": {"object": "Account"}}"#, tasks: tasks)
        let (id, r) = try flows.start("small")
        #expect(r.status == 0, "\(r.stderr)")
        let rows = try flows.csvRecords(flows.files("small", executionId: id))
        #expect(Set(rows.first?.keys.map { $0 } ?? []) == ["Id", "Employees", "Industry"])

        // The SOQL the sandbox received selected only the read fields and carried both filters.
        let queries = try sandbox.admin("/_sandbox/queries", method: "GET")["queries"] as? [[String: String]] ?? []
        #expect(queries.compactMap { $0["q"] } ==
                ["SELECT Id, Industry, NumberOfEmployees FROM Account WHERE NumberOfEmployees < 500 AND Industry IN ('Energy', 'Retail')"])

        // The rows are exactly those the filters keep from a full, unfiltered pull of the same object.
        try flows.createFlow("everything", type: "Salesforce", profile: "sf", properties: #"{"Salesforce": {"object": "Account"}}"#)
        let (allId, all) = try flows.start("everything")
        #expect(all.status == 0, "\(all.stderr)")
        let kept = try flows.csvRecords(flows.files("everything", executionId: allId)).filter {
            (Int($0["NumberOfEmployees"] ?? "") ?? 9999) < 500 && ["Energy", "Retail"].contains($0["Industry"] ?? "")
        }
        #expect(!kept.isEmpty)
        let got: [String] = rows.map { r in "\(r["Id"] ?? "")/\(r["Employees"] ?? "")/\(r["Industry"] ?? "")" }.sorted()
        let want: [String] = kept.map { r in "\(r["Id"] ?? "")/\(r["NumberOfEmployees"] ?? "")/\(r["Industry"] ?? "")" }.sorted()
        #expect(got == want)
    }

    /// A CLI whose Salesforce token endpoint is the sandbox's, with the sandbox's connected app.
    static func cli(loginAt sandbox: SandboxProcess, clientSecret: String = "sandbox-client-secret") throws -> FlowlineCLI {
        try FlowlineCLI(environment: ["FLOWLINE_SALESFORCE_LOGIN_URL": sandbox.url, "FLOWLINE_SALESFORCE_CLIENT_ID": "sandbox-client-id",
                                     "FLOWLINE_SALESFORCE_CLIENT_SECRET": clientSecret])
    }

    @Test func theLoginHostFollowsIsSandboxEnvironment() {
        #expect(SalesforceAPI.tokenURL(isSandboxEnvironment: false) == "https://login.salesforce.com/services/oauth2/token")
        #expect(SalesforceAPI.tokenURL(isSandboxEnvironment: true) == "https://test.salesforce.com/services/oauth2/token")
        #expect(SalesforceAPI.tokenURL(isSandboxEnvironment: true, loginURL: "http://127.0.0.1:9/") == "http://127.0.0.1:9/services/oauth2/token")
    }

    @Test func aRefreshWithTheWrongClientSecretIsRefusedNamingTheProfile() throws {
        let sandbox = try SandboxProcess(records: 300, pageSize: 200)
        let cli = try Self.cli(loginAt: sandbox, clientSecret: "not-the-secret-789")
        let flows = SaaSFlows(cli: cli)
        try flows.createSalesforceProfile("sf", sandbox: sandbox)
        try sandbox.admin("/_sandbox/expire-tokens")
        let r = try cli.run("list-connector-entities", "--connector-profile-name", "sf")
        #expect(r.status == 254)
        #expect(r.stderr.contains("ConnectorAuthenticationException") && r.stderr.contains("sf") && r.stderr.contains("invalid_client_id"))
        #expect(!r.stderr.contains("not-the-secret-789") && !r.stderr.contains("sandbox-refresh-token"))
    }

    @Test func anExpiredTokenIsRenewedMidRunAndStoredSealed() throws {
        let sandbox = try SandboxProcess(records: 2500, pageSize: 200)
        let cli = try Self.cli(loginAt: sandbox)
        let flows = SaaSFlows(cli: cli)
        try flows.createSalesforceProfile("sf", sandbox: sandbox)
        try flows.createFlow("accounts", type: "Salesforce", profile: "sf", properties: #"{"Salesforce": {"object": "Account"}}"#)
        // Every token stops working after the describe calls and a few pages.
        try sandbox.admin("/_sandbox/expire-tokens?after=5")
        let (id, r) = try flows.start("accounts")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try flows.csvRecords(flows.files("accounts", executionId: id)).count == 2450)
        #expect(try sandbox.stats()["refreshed"] == 1)

        // The renewed token was stored: the next run uses it without renewing again (the original one is dead).
        let (id2, r2) = try flows.start("accounts")
        #expect(r2.status == 0, "\(r2.stderr)")
        #expect(try flows.csvRecords(flows.files("accounts", executionId: id2)).count == 2450)
        #expect(try sandbox.stats()["refreshed"] == 1)

        // ...and stored sealed: no token appears in the store's files.
        let home = URL(fileURLWithPath: cli.home.path)
        for name in try FileManager.default.contentsOfDirectory(atPath: home.path) where name.hasPrefix("flowline.db") {
            let bytes = try Data(contentsOf: home.appendingPathComponent(name))
            for secret in ["00Dsandbox!", "sandbox-refresh-token", "sandbox-access-token"] {
                #expect(bytes.range(of: Data(secret.utf8)) == nil, "\(secret) visible in \(name)")
            }
        }
    }

    @Test func throttlingAndServerErrorsAreRetried() throws {
        let sandbox = try SandboxProcess(records: 2000, pageSize: 200)
        try flows.createSalesforceProfile("sf", sandbox: sandbox)
        try flows.createFlow("accounts", type: "Salesforce", profile: "sf", properties: #"{"Salesforce": {"object": "Account"}}"#)
        try sandbox.admin("/_sandbox/throttle?count=3&retryAfter=1")
        try sandbox.admin("/_sandbox/fail-every?n=4")
        let (id, r) = try flows.start("accounts")
        #expect(r.status == 0, "\(r.stderr)")
        let rows = try flows.csvRecords(flows.files("accounts", executionId: id))
        #expect(rows.count == 1960)
        #expect(Set(rows.compactMap { $0["Id"] }).count == 1960)
        let stats = try sandbox.stats()
        #expect(stats["throttled"] == 3)
        #expect(stats["failed"]! >= 3)
    }

    @Test func incrementalRunsTransferOnlyTouchedRecordsTheSecondTime() throws {
        let sandbox = try SandboxProcess(records: 3000, pageSize: 500)
        try flows.createSalesforceProfile("sf", sandbox: sandbox)
        let trigger = #"{"triggerType": "Scheduled", "triggerProperties": {"Scheduled": {"scheduleExpression": "rate(1hours)", "dataPullMode": "Incremental"}}}"#
        try flows.createFlow("nightly", type: "Salesforce", profile: "sf", properties: #"{"Salesforce": {"object": "Account"}}"#,
                             trigger: trigger, incrementalField: "LastModifiedDate")
        // SOQL datetimes have whole seconds: one 429 with `Retry-After: 1` makes the first run last
        // past the next whole second after it started, so the second run's window is never empty.
        try sandbox.admin("/_sandbox/throttle?count=1&retryAfter=1")
        let first = try flows.start("nightly", command: "run-flow")
        #expect(first.result.status == 0, "\(first.result.stderr)")
        #expect(try flows.csvRecords(flows.files("nightly", executionId: first.id)).count == 2940)

        // Five accounts change in the second the first run started: after its window, inside the next one.
        let at = try flows.windowEndSecond("nightly")
        let touched = try sandbox.admin("/_sandbox/touch?object=Account&count=5&at=\(at)")["touched"] as? [String] ?? []
        #expect(touched.count == 5)
        let second = try flows.start("nightly", command: "run-flow")
        #expect(second.result.status == 0, "\(second.result.stderr)")
        let rows = try flows.csvRecords(flows.files("nightly", executionId: second.id))
        #expect(Set(rows.compactMap { $0["Id"] }) == Set(touched))
        #expect(rows.count == 5)
    }

    @Test func badCredentialsAreAConnectorAuthenticationErrorNamingTheProfile() throws {
        let sandbox = try SandboxProcess(records: 10)
        let cli = try Self.cli(loginAt: sandbox)
        let flows = SaaSFlows(cli: cli)
        try flows.createSalesforceProfile("wrong", sandbox: sandbox, accessToken: "not-a-token-xyz", refreshToken: "not-a-refresh-xyz", checked: false)
        let listed = try cli.run("list-connector-entities", "--connector-profile-name", "wrong")
        #expect(listed.status == 254)
        #expect(listed.stderr.contains("ConnectorAuthenticationException"))
        #expect(listed.stderr.contains("wrong"))
        #expect(!listed.stderr.contains("not-a-token-xyz") && !listed.stderr.contains("not-a-refresh-xyz"))

        try flows.createFlow("denied", type: "Salesforce", profile: "wrong", properties: #"{"Salesforce": {"object": "Account"}}"#)
        let (_, r) = try flows.start("denied")
        #expect(r.status != 0)
        let execution = try flows.lastExecution("denied")
        #expect(execution["executionStatus"] as? String == "Error")
        let message = (execution["executionResult"] as? [String: Any])?["errorInfo"] as? [String: Any]
        let text = "\(execution)"
        #expect(text.contains("ConnectorAuthenticationException"), "\(message ?? [:])")
        #expect(text.contains("Connector profile wrong"))
        #expect(!text.contains("not-a-token-xyz") && !text.contains("not-a-refresh-xyz"))
    }

    @Test func anUnreachableInstanceNamesItsURL() throws {
        // A port nothing listens on: the sandbox's, after it stopped.
        let url: String
        do {
            let sandbox = try SandboxProcess(records: 1)
            url = sandbox.url
        }
        // A refused connection ends the call at once: no short deadline needed.
        let cli = try FlowlineCLI()
        let flows = SaaSFlows(cli: cli)
        try flows.createProfile("gone", type: "Salesforce", key: "Salesforce",
                                properties: #"{"instanceUrl": "\#(url)"}"#, credentials: #"{"accessToken": "t"}"#, checked: false)
        let r = try cli.run("describe-connector-entity", "--connector-profile-name", "gone", "--connector-entity-name", "Account")
        #expect(r.status == 254)
        #expect(r.stderr.contains("ConnectorServerException"))
        #expect(r.stderr.contains("Cannot reach Salesforce at \(url)/services/data/"))
        #expect(r.stderr.contains("connection refused"), "\(r.stderr)")

        // create-flow cannot check tasks against an instance that is down: it stores the flow, and the run reports.
        let created = try flows.tryCreateFlow("later", type: "Salesforce", profile: "gone", properties: #"{"Salesforce": {"object": "Account"}}"#)
        #expect(created.status == 0, "\(created.stderr)")
    }

    @Test func createFlowChecksTasksAgainstTheDescribedFields() throws {
        let sandbox = try SandboxProcess(records: 10)
        try flows.createSalesforceProfile("sf", sandbox: sandbox)
        let account = #"{"Salesforce": {"object": "Account"}}"#
        func filter(_ field: String, _ op: String, _ props: String) -> String {
            #"[{"sourceFields": ["\#(field)"], "connectorOperator": {"Salesforce": "\#(op)"}, "taskType": "Filter", "taskProperties": \#(props)},"#
                + #" {"sourceFields": [], "connectorOperator": {"Salesforce": "NO_OP"}, "taskType": "Map_all", "taskProperties": {}}]"#
        }
        let unknown = try flows.tryCreateFlow("flow-a", type: "Salesforce", profile: "sf", properties: account,
                                              tasks: filter("NoSuchField", "EQUAL_TO", #"{"DATA_TYPE": "string", "VALUE": "x"}"#))
        #expect(unknown.status == 254)
        #expect(unknown.stderr.contains("ValidationException") && unknown.stderr.contains("NoSuchField"))

        // Long text areas are not filterable in Salesforce (the describe says `"filterable": false`).
        let notFilterable = try flows.tryCreateFlow("flow-b", type: "Salesforce", profile: "sf", properties: account,
                                                    tasks: filter("Description", "CONTAINS", #"{"DATA_TYPE": "string", "VALUE": "hi"}"#))
        #expect(notFilterable.status == 254)
        #expect(notFilterable.stderr.contains("ValidationException") && notFilterable.stderr.contains("'Description' of Account does not support the CONTAINS operator"))

        let trigger = #"{"triggerType": "Scheduled", "triggerProperties": {"Scheduled": {"scheduleExpression": "rate(1hours)", "dataPullMode": "Incremental"}}}"#
        let notATime = try flows.tryCreateFlow("flow-c", type: "Salesforce", profile: "sf", properties: account, trigger: trigger, incrementalField: "Name")
        #expect(notATime.status == 254)
        #expect(notATime.stderr.contains("ValidationException") && notATime.stderr.contains("'Name' of Account is a string field, not a date-time"))

        let fine = try flows.tryCreateFlow("flow-d", type: "Salesforce", profile: "sf", properties: account,
                                           tasks: filter("Industry", "EQUAL_TO", #"{"DATA_TYPE": "string", "VALUE": "Energy"}"#))
        #expect(fine.status == 0, "\(fine.stderr)")
        #expect(try cli.json(["list-flows"])["flows"].map { ($0 as? [[String: Any]])?.count } == 1)
    }

    @Test func entitiesAndFieldsComeFromTheDescribeCalls() throws {
        let sandbox = try SandboxProcess(records: 10)
        try flows.createSalesforceProfile("sf", sandbox: sandbox)
        let entities = try cli.json(["list-connector-entities", "--connector-profile-name", "sf"])
        let objects = (entities["connectorEntityMap"] as? [String: Any])?["Objects"] as? [[String: Any]] ?? []
        #expect(objects.compactMap { $0["name"] as? String } == ["Account", "Contact", "Opportunity"])
        let described = try cli.json(["describe-connector-entity", "--connector-profile-name", "sf", "--connector-entity-name", "Account"])
        let fields = described["connectorEntityFields"] as? [[String: Any]] ?? []
        let modified = fields.first { $0["identifier"] as? String == "LastModifiedDate" }
        let details = (modified?["supportedFieldTypeDetails"] as? [String: Any])?["v1"] as? [String: Any]
        #expect(details?["fieldType"] as? String == "datetime")
        #expect((details?["filterOperators"] as? [String])?.contains("BETWEEN") == true)

        let missing = try cli.run("describe-connector-entity", "--connector-profile-name", "sf", "--connector-entity-name", "Nope")
        #expect(missing.status == 254)
        #expect(missing.stderr.contains("NOT_FOUND"))
    }
}
