import Foundation
import Testing
import FlowlineTestSupport

/// SAP OData paging end to end, through the CLI against the sandbox with server-driven paging
/// (`--sap-server-page-size`: pages of 47 with `$skiptoken` links that end at the client's `$top`
/// window), read back from the S3 output with Python's csv: every record arrives in key order
/// whatever `maxPageSize` and `maxParallelism` are, and a count that does not add up fails the run.
@Suite struct SAPODataPagingFlowTests {
    let cli: FlowlineCLI
    let flows: SaaSFlows

    init() throws {
        cli = try FlowlineCLI()
        flows = SaaSFlows(cli: cli)
    }

    func sandbox(records: Int, serverPage: Int) throws -> SandboxProcess {
        let sandbox = try SandboxProcess(records: records, extra: ["--sap-server-page-size", String(serverPage)])
        try flows.createProfile("sap", type: "SAPOData", key: "SAPOData",
                                properties: #"{"applicationHostUrl": "http://127.0.0.1", "portNumber": \#(sandbox.port), "applicationServicePath": "/sap/opu/odata/sap/API_BUSINESS_PARTNER", "clientNumber": "100"}"#,
                                credentials: #"{"basicAuthCredentials": {"username": "admin", "password": "sandbox-password"}}"#)
        return sandbox
    }

    /// `paginationConfig`/`parallelismConfig` as given; none at all when both are nil (AppFlow's defaults).
    func createFlow(_ name: String, pageSize: Int? = nil, parallelism: Int? = nil) throws {
        var extra = ""
        if let pageSize { extra += #", "paginationConfig": {"maxPageSize": \#(pageSize)}"# }
        if let parallelism { extra += #", "parallelismConfig": {"maxParallelism": \#(parallelism)}"# }
        try flows.createFlow(name, type: "SAPOData", profile: "sap",
                             properties: #"{"SAPOData": {"objectPath": "/sap/opu/odata/sap/API_BUSINESS_PARTNER/A_BusinessPartner"\#(extra)}}"#)
    }

    /// Every BusinessPartner id of one run's output, in file order.
    func partnerIds(_ flow: String, executionId: String) throws -> [String] {
        try flows.csvRecords(flows.files(flow, executionId: executionId).sorted()).map { $0["BusinessPartner"] ?? "" }
    }

    static func expectedIds(_ n: Int) -> [String] { (0..<n).map { String(format: "%010d", 1_000_000 + $0) } }

    @Test func twelveThousandPartnersBehind47RecordPagesArriveComplete() throws {
        let sandbox = try sandbox(records: 12_000, serverPage: 47)
        try createFlow("partners")   // default $top window: 3,000
        let (id, r) = try flows.start("partners")
        #expect(r.status == 0, "\(r.stderr)")
        let ids = try partnerIds("partners", executionId: id)
        #expect(ids.count == 12_000)
        let expected = Self.expectedIds(12_000)
        let firstDifference = ids.indices.first { ids[$0] != expected[$0] }
        #expect(firstDifference == nil, "record \(firstDifference ?? 0) is \(firstDifference.map { ids[$0] } ?? "")")
        #expect(try flows.lastExecution("partners")["executionResult"].flatMap { ($0 as? [String: Any])?["recordsProcessed"] as? Int } == 12_000)
        // 4 windows of 3,000, each a chain of 64 pages of at most 47; the count came with the first page.
        #expect(try sandbox.stats()["requests"].map { $0 >= 4 * 64 } == true)
    }

    @Test func maxPageSize97OverServerPagesOf47DeliversAll600() throws {
        let sandbox = try sandbox(records: 600, serverPage: 47)
        defer { withExtendedLifetime(sandbox) {} }
        try createFlow("partners", pageSize: 97)
        let (id, r) = try flows.start("partners")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try partnerIds("partners", executionId: id) == Self.expectedIds(600))

        // The key is reported as such.
        let described = try cli.json(["describe-connector-entity", "--connector-profile-name", "sap", "--connector-entity-name", "A_BusinessPartner"])
        let fields = described["connectorEntityFields"] as? [[String: Any]] ?? []
        #expect(fields.filter { $0["isPrimaryKey"] as? Bool == true }.compactMap { $0["identifier"] as? String } == ["BusinessPartner"])
    }

    @Test func aCountThatDoesNotAddUpFailsTheRunAndPublishesNothing() throws {
        let sandbox = try sandbox(records: 600, serverPage: 47)
        try createFlow("partners", pageSize: 97)
        for (offset, words) in [(5, "the server counted 605 records but 600 arrived"),
                                (-5, "the server counted 595 records but at least ")] {
            try sandbox.admin("/_sandbox/sap?countOffset=\(offset)")
            let (id, r) = try flows.start("partners")
            #expect(r.status != 0)
            #expect(r.stderr.contains("ConnectorServerException") && r.stderr.contains("A_BusinessPartner: \(words)"), "\(r.stderr)")
            #expect(try flows.lastExecution("partners")["executionStatus"] as? String == "Error")
            #expect(flows.files("partners", executionId: id).isEmpty)
        }
        #expect(cli.objectKeys(bucket: "out").isEmpty)
        // Once the count is true again, the same flow delivers the whole set.
        try sandbox.admin("/_sandbox/sap?countOffset=0")
        let (id, r) = try flows.start("partners")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try partnerIds("partners", executionId: id) == Self.expectedIds(600))
    }

    @Test func fourParallelWindowsGiveTheSameOutputInTheSameOrder() throws {
        let sandbox = try sandbox(records: 5000, serverPage: 47)
        defer { withExtendedLifetime(sandbox) {} }
        try createFlow("one-at-a-time", pageSize: 500, parallelism: 1)
        try createFlow("four-at-a-time", pageSize: 500, parallelism: 4)
        let (sequentialId, sequential) = try flows.start("one-at-a-time")
        #expect(sequential.status == 0, "\(sequential.stderr)")
        let (parallelId, parallel) = try flows.start("four-at-a-time")
        #expect(parallel.status == 0, "\(parallel.stderr)")
        let sequentialRows = try flows.csvRecords(flows.files("one-at-a-time", executionId: sequentialId).sorted())
        let parallelRows = try flows.csvRecords(flows.files("four-at-a-time", executionId: parallelId).sorted())
        #expect(parallelRows.map { $0["BusinessPartner"] ?? "" } == Self.expectedIds(5000))
        #expect(parallelRows == sequentialRows)
    }
}
