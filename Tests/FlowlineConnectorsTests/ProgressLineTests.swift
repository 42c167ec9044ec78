import Foundation
import Testing
import FlowlineTestSupport

/// A slow call shows on a terminal how long it has waited and what it is waiting for; in a pipe
/// (scripts, logs) nothing is added.
@Suite struct ProgressLineTests {
    @Test func aCallWaitingOutRetriesShowsThemOnATerminalOnly() throws {
        guard let script = Subprocess.which("script") else {
            Issue.record("script (util-linux) is needed to give flowline a terminal")
            return
        }
        let sandbox = try SandboxProcess(records: 5)
        let cli = try FlowlineCLI()
        try SaaSFlows(cli: cli).createSalesforceProfile("sf", sandbox: sandbox)
        let command = [FlowlineCLI.binary, "list-connector-entities", "--connector-profile-name", "sf"]

        // Two 429s asking for 3 seconds each: the call waits 6 seconds, well past the first second.
        try sandbox.admin("/_sandbox/throttle?count=2&retryAfter=3")
        let onTerminal = try Subprocess.run(script, ["-qec", command.joined(separator: " "), "/dev/null"], environment: cli.environment)
        #expect(onTerminal.status == 0, "\(onTerminal.stdout)")
        #expect(onTerminal.stdout.contains("ListConnectorEntities: waiting"), "\(onTerminal.stdout)")
        #expect(onTerminal.stdout.contains("Salesforce at \(sandbox.url)/services/data/"), "\(onTerminal.stdout)")
        #expect(onTerminal.stdout.contains("HTTP 429, try 2 of 6"), "\(onTerminal.stdout)")

        try sandbox.admin("/_sandbox/throttle?count=2&retryAfter=3")
        let piped = try cli.run(Array(command.dropFirst()))
        #expect(piped.status == 0, "\(piped.stderr)")
        #expect(piped.stderr.isEmpty, "\(piped.stderr)")
    }
}
