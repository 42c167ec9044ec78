import Foundation
import Testing
import FlowlineTestSupport

/// `create-connector-profile` and `update-connector-profile` try the connection and credentials
/// once against the emulator, say what failed, and store nothing then; the documented switch
/// stores without trying.
@Suite struct ConnectionCheckTests {
    static let sn = (type: "Servicenow", key: "ServiceNow")

    func serviceNow(_ flows: SaaSFlows, _ name: String, sandbox: SandboxProcess, password: String, checked: Bool = true) throws -> ProcessResult {
        try flows.tryCreateProfile(name, type: Self.sn.type, key: Self.sn.key, properties: #"{"instanceUrl": "\#(sandbox.url)"}"#,
                                   credentials: #"{"username": "admin", "password": "\#(password)"}"#, checked: checked)
    }

    func profileNames(_ cli: FlowlineCLI) throws -> [String] {
        (try cli.json(["describe-connector-profiles"])["connectorProfileDetails"] as? [[String: Any]] ?? [])
            .compactMap { $0["connectorProfileName"] as? String }
    }

    @Test func createTriesTheCredentialsAndStoresNothingWhenRefused() throws {
        let sandbox = try SandboxProcess(records: 5)
        let cli = try FlowlineCLI()
        let flows = SaaSFlows(cli: cli)
        let refused = try serviceNow(flows, "sn-bad", sandbox: sandbox, password: "wrong-pw-551")
        #expect(refused.status == 254)
        #expect(refused.stderr.contains("(ConnectorAuthenticationException) when calling the CreateConnectorProfile operation"), "\(refused.stderr)")
        #expect(refused.stderr.contains("Connection check failed: Connector profile sn-bad") && refused.stderr.contains("User Not Authenticated"))
        #expect(!refused.stderr.contains("wrong-pw-551"))
        #expect(try profileNames(cli).isEmpty)

        #expect(try serviceNow(flows, "sn", sandbox: sandbox, password: "sandbox-password").status == 0)
        #expect(try profileNames(cli) == ["sn"])
    }

    @Test func theSwitchStoresWithoutTrying() throws {
        let sandbox = try SandboxProcess(records: 5)
        let flows = SaaSFlows(cli: try FlowlineCLI())
        #expect(try serviceNow(flows, "offline", sandbox: sandbox, password: "wrong-pw-552", checked: false).status == 0)
        #expect(try sandbox.stats()["requests"] == 0)
        #expect(try profileNames(flows.cli) == ["offline"])
    }

    @Test func updateTriesTheProfileItWouldStore() throws {
        let sandbox = try SandboxProcess(records: 5)
        let cli = try FlowlineCLI()
        let flows = SaaSFlows(cli: cli)
        #expect(try serviceNow(flows, "sn", sandbox: sandbox, password: "sandbox-password").status == 0)
        func update(_ config: String) throws -> ProcessResult {
            try cli.run(["update-connector-profile", "--connector-profile-name", "sn", "--connection-mode", "Public",
                         "--connector-profile-config", config])
        }
        // No credentials in the request: the stored ones are tried, and kept.
        let same = try update(#"{"connectorProfileProperties": {"ServiceNow": {"instanceUrl": "\#(sandbox.url)"}}}"#)
        #expect(same.status == 0, "\(same.stderr)")
        // New credentials that do not work: refused, and the stored ones still work.
        let wrong = try update(#"{"connectorProfileProperties": {"ServiceNow": {"instanceUrl": "\#(sandbox.url)"}}, "connectorProfileCredentials": {"ServiceNow": {"username": "admin", "password": "wrong-pw-553"}}}"#)
        #expect(wrong.status == 254)
        #expect(wrong.stderr.contains("(ConnectorAuthenticationException) when calling the UpdateConnectorProfile operation"), "\(wrong.stderr)")
        #expect(!wrong.stderr.contains("wrong-pw-553"))
        // An instance that cannot be reached: refused, naming it.
        let moved = try update(#"{"connectorProfileProperties": {"ServiceNow": {"instanceUrl": "https://moved.example.invalid"}}}"#)
        #expect(moved.status == 254)
        #expect(moved.stderr.contains("(ConnectorServerException)") && moved.stderr.contains("moved.example.invalid does not resolve"), "\(moved.stderr)")
        let listed = try cli.run("list-connector-entities", "--connector-profile-name", "sn")
        #expect(listed.status == 0, "\(listed.stderr)")
    }

    @Test func aRefreshRefusedWithInvalidGrantIsAnAuthenticationErrorNamingTheProfile() throws {
        let sandbox = try SandboxProcess(records: 5)
        let cli = try SalesforceFlowTests.cli(loginAt: sandbox)
        let flows = SaaSFlows(cli: cli)
        let r = try flows.tryCreateProfile("revoked", type: "Salesforce", key: "Salesforce",
                                           properties: #"{"instanceUrl": "\#(sandbox.url)", "isSandboxEnvironment": true}"#,
                                           credentials: #"{"accessToken": "stale-token-554", "refreshToken": "revoked-refresh-554"}"#)
        #expect(r.status == 254)
        #expect(r.stderr.contains("(ConnectorAuthenticationException)") && r.stderr.contains("revoked"), "\(r.stderr)")
        #expect(r.stderr.contains("invalid_grant"), "\(r.stderr)")
        #expect(!r.stderr.contains("stale-token-554") && !r.stderr.contains("revoked-refresh-554"))
    }

    @Test func aTokenRenewedByTheCheckIsStoredWithTheProfile() throws {
        let sandbox = try SandboxProcess(records: 5)
        let cli = try SalesforceFlowTests.cli(loginAt: sandbox)
        let flows = SaaSFlows(cli: cli)
        try flows.createSalesforceProfile("sf", sandbox: sandbox, accessToken: "stale-token-555")
        #expect(try sandbox.stats()["refreshed"] == 1)
        // The next command uses the renewed token: no second renewal.
        #expect(try cli.run("list-connector-entities", "--connector-profile-name", "sf").status == 0)
        #expect(try sandbox.stats()["refreshed"] == 1)
    }
}
