import Foundation
import Testing
import FlowlineTestSupport

/// Marketo flows against the sandbox over real HTTP, through the CLI: the identity token,
/// `nextPageToken` paging, activities from a paging token, and Marketo's `success: false` errors.
@Suite struct MarketoFlowTests {
    let cli: FlowlineCLI
    let flows: SaaSFlows

    init() throws {
        cli = try FlowlineCLI()
        flows = SaaSFlows(cli: cli)
    }

    func createProfile(_ name: String, sandbox: SandboxProcess, secret: String = "sandbox-client-secret", checked: Bool = true) throws {
        try flows.createProfile(name, type: "Marketo", key: "Marketo", properties: #"{"instanceUrl": "\#(sandbox.url)"}"#,
                                credentials: #"{"clientId": "sandbox-client-id", "clientSecret": "\#(secret)"}"#, checked: checked)
    }

    @Test func leadsAndActivitiesArriveAcrossTokenPages() throws {
        let sandbox = try SandboxProcess(records: 1300)
        try createProfile("mkto", sandbox: sandbox)
        let entities = try cli.json(["list-connector-entities", "--connector-profile-name", "mkto"])
        let names = ((entities["connectorEntityMap"] as? [String: Any])?["Objects"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
        #expect(names == ["leads", "activities"])
        let described = try cli.json(["describe-connector-entity", "--connector-profile-name", "mkto", "--connector-entity-name", "leads"])
        let fields = (described["connectorEntityFields"] as? [[String: Any]])?.compactMap { $0["identifier"] as? String }
        #expect(fields?.contains("updatedAt") == true && fields?.count == 9)

        try flows.createFlow("leads", type: "Marketo", profile: "mkto", properties: #"{"Marketo": {"object": "leads"}}"#)
        let (id, r) = try flows.start("leads")
        #expect(r.status == 0, "\(r.stderr)")
        let rows = try flows.csvRecords(flows.files("leads", executionId: id))
        #expect(rows.count == 1300)
        #expect(Set(rows.compactMap { $0["id"] }) == Set((1001...2300).map(String.init)))
        #expect(rows.first { $0["id"] == "1001" }?["lastName"]?.hasPrefix("O'Brien, ") == true)

        try flows.createFlow("activities", type: "Marketo", profile: "mkto", properties: #"{"Marketo": {"object": "activities"}}"#)
        let (aid, ar) = try flows.start("activities")
        #expect(ar.status == 0, "\(ar.stderr)")
        let activities = try flows.csvRecords(flows.files("activities", executionId: aid))
        #expect(Set(activities.compactMap { $0["id"] }) == Set((50_001...51_300).map(String.init)))
        #expect(activities.allSatisfy { ($0["attributes"] ?? "").contains("Client IP Address") })
        // 1,300 leads and 1,300 activities in pages of at most 300: at least 5 pages each; one
        // identity token, sealed into the profile by the first command and reused by the others.
        let stats = try sandbox.stats()
        #expect(stats["requests"]! >= 10 + 6)
        #expect(stats["refreshed"] == 1)
    }

    @Test func incrementalRunsTransferOnlyTouchedLeadsAndActivities() throws {
        let sandbox = try SandboxProcess(records: 900)
        try createProfile("mkto", sandbox: sandbox)
        let trigger = #"{"triggerType": "Scheduled", "triggerProperties": {"Scheduled": {"scheduleExpression": "rate(1hours)", "dataPullMode": "Incremental"}}}"#
        try flows.createFlow("leads", type: "Marketo", profile: "mkto", properties: #"{"Marketo": {"object": "leads"}}"#,
                             trigger: trigger, incrementalField: "updatedAt")
        try flows.createFlow("activities", type: "Marketo", profile: "mkto", properties: #"{"Marketo": {"object": "activities"}}"#,
                             trigger: trigger, incrementalField: "activityDate")
        for flow in ["leads", "activities"] {
            let first = try flows.start(flow, command: "run-flow")
            #expect(first.result.status == 0, "\(first.result.stderr)")
            #expect(try flows.csvRecords(flows.files(flow, executionId: first.id)).count == 900)
        }

        // Touched in the very second each first run's window ended (Marketo times have whole seconds):
        // the boundary case, which must land in the next run, not be lost between the two.
        let leadsAt = try flows.windowEndSecond("leads"), activitiesAt = try flows.windowEndSecond("activities")
        let leads = try sandbox.admin("/_sandbox/touch?object=leads&count=5&at=\(leadsAt)")["touched"] as? [Int] ?? []
        let activities = try sandbox.admin("/_sandbox/touch?object=activities&count=3&at=\(activitiesAt)")["touched"] as? [Int] ?? []
        #expect(leads.count == 5 && activities.count == 3)
        // The next windows must end after that second.
        Thread.sleep(forTimeInterval: 1.2)
        for (flow, touched) in [("leads", leads), ("activities", activities)] {
            let second = try flows.start(flow, command: "run-flow")
            #expect(second.result.status == 0, "\(second.result.stderr)")
            let rows = try flows.csvRecords(flows.files(flow, executionId: second.id))
            // On a mismatch, say which window the run pulled and what it recorded (seen once under full-suite load).
            let diagnosis = "\(flow): \(second.result.stderr) \((try? flows.lastExecution(flow)).map { "\($0)" } ?? "")"
            #expect(Set(rows.compactMap { $0["id"] }) == Set(touched.map(String.init)), "\(diagnosis)")
            #expect(rows.count == touched.count)
        }
    }

    @Test func expiredTokensAreRenewedRateLimitsWaitedOutAndBadSecretsRefused() throws {
        let sandbox = try SandboxProcess(records: 1000)
        try createProfile("mkto", sandbox: sandbox)
        try flows.createFlow("leads", type: "Marketo", profile: "mkto", properties: #"{"Marketo": {"object": "leads"}}"#)
        // Every token dies after 3 more requests (Marketo's 602 in a 200), and two requests get 606.
        try sandbox.admin("/_sandbox/expire-tokens?after=3")
        try sandbox.admin("/_sandbox/throttle?count=2&retryAfter=0")
        let (id, r) = try flows.start("leads")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(Set(try flows.csvRecords(flows.files("leads", executionId: id)).compactMap { $0["id"] }).count == 1000)
        let stats = try sandbox.stats()
        #expect(stats["refreshed"]! >= 2)
        #expect(stats["throttled"] == 2)

        let checked = try flows.tryCreateProfile("mkto-bad", type: "Marketo", key: "Marketo", properties: #"{"instanceUrl": "\#(sandbox.url)"}"#,
                                                 credentials: #"{"clientId": "sandbox-client-id", "clientSecret": "not-the-secret-42"}"#)
        #expect(checked.status == 254 && checked.stderr.contains("ConnectorAuthenticationException"), "\(checked.stderr)")
        #expect(!checked.stderr.contains("not-the-secret-42"))
        try createProfile("mkto-bad", sandbox: sandbox, secret: "not-the-secret-42", checked: false)
        let denied = try cli.run("list-connector-entities", "--connector-profile-name", "mkto-bad")
        #expect(denied.status == 254)
        #expect(denied.stderr.contains("ConnectorAuthenticationException") && denied.stderr.contains("mkto-bad"))
        #expect(denied.stderr.contains("Bad client credentials"))
        #expect(!denied.stderr.contains("not-the-secret-42"))
        try flows.createFlow("bad-leads", type: "Marketo", profile: "mkto-bad", properties: #"{"Marketo": {"object": "leads"}}"#)
        let failed = try flows.start("bad-leads")
        #expect(failed.result.status != 0)
        let message = try flows.lastExecution("bad-leads")["executionResult"].map { "\($0)" } ?? ""
        #expect(!message.contains("not-the-secret-42") && !failed.result.stderr.contains("not-the-secret-42"))
    }

    @Test func createFlowRefusesAFieldLeadsDoNotHave() throws {
        let sandbox = try SandboxProcess(records: 10)
        try createProfile("mkto", sandbox: sandbox)
        let tasks = #"[{"sourceFields": ["NoSuchLeadField"], "connectorOperator": {"Marketo": "PROJECTION"}, "taskType": "Filter", "taskProperties": {}}, {"sourceFields": ["NoSuchLeadField"], "connectorOperator": {"Marketo": "NO_OP"}, "destinationField": "x", "taskType": "Map", "taskProperties": {}}]"#
        let r = try flows.tryCreateFlow("leads", type: "Marketo", profile: "mkto", properties: #"{"Marketo": {"object": "leads"}}"#, tasks: tasks)
        #expect(r.status == 254)
        #expect(r.stderr.contains("ValidationException") && r.stderr.contains("NoSuchLeadField"), "\(r.stderr)")
        #expect(try cli.json(["list-flows"])["flows"].map { ($0 as? [[String: Any]])?.count } == 0)
    }
}
