import Foundation
import Testing
import FlowlineTestSupport

/// What the README promises about the command line itself: exit statuses, `--version`, `--help`,
/// and the emulator's help naming every API it emulates.
@Suite struct CommandLineContractTests {
    let cli: FlowlineCLI

    init() throws {
        cli = try FlowlineCLI()
    }

    @Test func anUnknownCommandExits252() throws {
        let r = try cli.run("create-flowz")
        #expect(r.status == 252, "\(r.stderr)")
        #expect(r.stderr.contains("create-flowz"))
    }

    @Test func anUnknownOptionExits252() throws {
        let r = try cli.run("describe-flow", "--flow-name", "f", "--colour", "red")
        #expect(r.status == 252, "\(r.stderr)")
        #expect(r.stderr.contains("--colour"))
    }

    @Test func anOptionWithoutItsValueExits252() throws {
        let r = try cli.run("describe-flow", "--flow-name")
        #expect(r.status == 252, "\(r.stderr)")
        #expect(r.stderr.contains("--flow-name"))
    }

    @Test func badJSONExits252() throws {
        let r = try cli.run("create-flow", "--cli-input-json", #"{"flowName": "f",}"#)
        #expect(r.status == 252, "\(r.stderr)")
        #expect(r.stderr.contains("Error parsing parameter '--cli-input-json': Invalid JSON"))
    }

    @Test func versionPrintsTheVersionAndExits0() throws {
        let r = try cli.run("--version")
        #expect(r.status == 0, "\(r.stderr)")
        let version = r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(version.split(separator: ".").count == 3 && version.allSatisfy { $0.isNumber || $0 == "." }, "\(version)")
    }

    @Test func helpExits0() throws {
        let r = try cli.run("--help")
        #expect(r.status == 0)
        #expect(r.stdout.contains("create-flow"))
    }

    /// Every `*Routes.swift` of the emulator but the test switches (`*AdminRoutes.swift`) is an API its help names.
    @Test func sandboxHelpListsEveryEmulatedAPI() throws {
        let sources = ReadmeTests.repository.appendingPathComponent("Sources/flowline-sandbox")
        let apis = try FileManager.default.contentsOfDirectory(atPath: sources.path)
            .filter { $0.hasSuffix("Routes.swift") && !$0.hasSuffix("AdminRoutes.swift") }
            .map { String($0.dropLast("Routes.swift".count)) }
        #expect(apis.count >= 7)
        let r = try Subprocess.run(SandboxProcess.binary, ["--help"])
        #expect(r.status == 0)
        let help = r.stdout.replacingOccurrences(of: " ", with: "")
        for api in apis {
            #expect(help.contains(api), "flowline-sandbox --help does not name \(api)")
        }
    }
}
