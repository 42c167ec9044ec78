import Foundation
import Testing
import FlowlineAPI
import FlowlineConnectors
import FlowlineService
import FlowlineTestSupport

/// `AppFlowService.testConnection`, the console's "Test connection": validates a create or update
/// request and tries it against the emulator, storing nothing.
@Suite struct TestConnectionTests {
    let home: TemporaryDirectory
    let service: AppFlowService
    let sandbox: SandboxProcess

    init() throws {
        home = try TemporaryDirectory("test-connection")
        service = try AppFlowService(configuration: .fromEnvironment(["FLOWLINE_HOME": home.path]))
        sandbox = try SandboxProcess(records: 5)
    }

    func config(password: String?, url: String? = nil) -> String {
        let credentials = password.map { #", "connectorProfileCredentials": {"ServiceNow": {"username": "admin", "password": "\#($0)"}}"# } ?? ""
        return #"{"connectorProfileProperties": {"ServiceNow": {"instanceUrl": "\#(url ?? sandbox.url)"}}\#(credentials)}"#
    }

    func createRequest(_ name: String, password: String?) throws -> AppFlow.CreateConnectorProfileRequest {
        try AppFlow.CreateConnectorProfileRequest(json: JSONValue.parse(
            #"{"connectorProfileName": "\#(name)", "connectorType": "Servicenow", "connectionMode": "Public", "connectorProfileConfig": \#(config(password: password))}"#),
            at: ShapePath())
    }

    func updateRequest(_ name: String, password: String?, url: String? = nil) throws -> AppFlow.UpdateConnectorProfileRequest {
        try AppFlow.UpdateConnectorProfileRequest(json: JSONValue.parse(
            #"{"connectorProfileName": "\#(name)", "connectionMode": "Public", "connectorProfileConfig": \#(config(password: password, url: url))}"#),
            at: ShapePath())
    }

    func storedProfiles() async throws -> Int {
        let response = try await service.handle(.describeConnectorProfiles, .object([]))
        return (response.json(.epochSeconds)["connectorProfileDetails"]?.arrayValue ?? []).count
    }

    @Test func aCreateRequestIsTriedAndNothingStored() async throws {
        try await service.testConnection(createRequest("sn", password: "sandbox-password"))
        #expect(try await storedProfiles() == 0)
        let wrong = try createRequest("sn", password: "wrong-pw-561")
        do {
            try await service.testConnection(wrong)
            Issue.record("wrong credentials passed")
        } catch {
            #expect(error.code == .connectorAuthentication)
            #expect(error.message.contains("sn") && !error.message.contains("wrong-pw-561"))
        }
        // An invalid request is refused as create-connector-profile would refuse it.
        let invalid = try createRequest("bad name!", password: "sandbox-password")
        do {
            try await service.testConnection(invalid)
            Issue.record("an invalid name was accepted")
        } catch {
            #expect(error.code == .validation)
        }
    }

    @Test func anUpdateRequestWithoutCredentialsIsTriedWithTheStoredOnes() async throws {
        _ = try await service.handle(.createConnectorProfile, createRequest("sn", password: "sandbox-password").json(.epochSeconds))
        try await service.testConnection(updateRequest("sn", password: nil))
        let wrong = try updateRequest("sn", password: "wrong-pw-562")
        do {
            try await service.testConnection(wrong)
            Issue.record("wrong credentials passed")
        } catch {
            #expect(error.code == .connectorAuthentication)
        }
        let gone = try updateRequest("sn", password: nil, url: "https://gone.example.invalid")
        do {
            try await service.testConnection(gone)
            Issue.record("an unresolvable host passed")
        } catch {
            #expect(error.code == .connectorServer)
            #expect(error.message.contains("gone.example.invalid does not resolve"), "\(error.message)")
        }
        let missing = try updateRequest("missing", password: nil)
        do {
            try await service.testConnection(missing)
            Issue.record("a missing profile passed")
        } catch {
            #expect(error.code == .resourceNotFound)
        }
    }
}
