import Foundation
import Testing
import FlowlineTestSupport

/// README.md keeps its word: every ```sh block runs, in order, as written, on a fresh home,
/// against the SaaS emulator and the throwaway PostgreSQL. A block is changed only where an HTML
/// comment right above it says so (see `ReadmeBlock`), so the README cannot drift unnoticed.
@Suite struct ReadmeTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static func blocks() throws -> [ReadmeBlock] {
        try ReadmeBlock.parse(String(contentsOf: repository.appendingPathComponent("README.md"), encoding: .utf8))
    }

    @Test func everyShellBlockIsRunOrSaysWhyNot() throws {
        let blocks = try Self.blocks()
        #expect(blocks.count >= 5)
        for block in blocks {
            if let reason = block.skipReason { #expect(!reason.isEmpty, "README line \(block.line): a skipped block must say why") }
            for (from, _) in block.replacements {
                #expect(block.script.contains(from), "README line \(block.line): nothing to replace for '\(from)'")
            }
        }
        // The CLI section, the Redshift profile and the CloudFormation templates are among the blocks that run.
        let run = blocks.filter { $0.skipReason == nil }.map(\.script)
        #expect(run.contains { $0.contains("flowline start-flow --flow-name accounts-to-parquet") })
        #expect(run.contains { $0.contains("--connector-profile-name warehouse") })
        #expect(run.contains { $0.contains("flowline deploy") })
    }

    @Test func everyShellBlockRunsAsWritten() throws {
        let database = try PostgresURL.fromEnvironment()
        let sandbox = try SandboxProcess(records: 50)
        let home = try TemporaryDirectory("readme-home")
        // A local S3 root away from the home: the README's commands must follow $FLOWLINE_S3_ROOT.
        let s3Root = try TemporaryDirectory("readme-s3")
        let userHome = try TemporaryDirectory("readme-user")
        let values = ["SANDBOX_URL": sandbox.url, "PG_JDBC_URL": database.jdbcURL, "PG_USER": database.user,
                      "PG_PASSWORD": database.password]
        var environment = ProcessInfo.processInfo.environment
        environment["FLOWLINE_HOME"] = home.path
        environment["FLOWLINE_S3_ROOT"] = s3Root.path
        environment["HOME"] = userHome.path
        environment["PATH"] = URL(fileURLWithPath: FlowlineCLI.binary).deletingLastPathComponent().path + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        environment.removeValue(forKey: "FLOWLINE_SKIP_CONNECTION_CHECK")

        for block in try Self.blocks() where block.skipReason == nil {
            let script = block.runnableScript(values)
            let r = try Subprocess.run("/bin/bash", ["-euo", "pipefail", "-c", script], environment: environment,
                                       currentDirectory: Self.repository)
            #expect(r.status == 0, "README block at line \(block.line) failed (\(r.status)):\n\(script)\nstdout:\n\(r.stdout)\nstderr:\n\(r.stderr)")
            guard r.status == 0 else { return }
        }

        // The first S3 example wrote its Parquet file under $FLOWLINE_S3_ROOT, with the sample's rows.
        let out = s3Root.url.appendingPathComponent("my-bucket/out").path
        let rows = try Python.json("""
            import glob, json, sys, pyarrow.parquet as pq
            files = glob.glob(sys.argv[1] + "/accounts-to-parquet/**/*.parquet", recursive=True)
            print(json.dumps(sum(pq.read_table(f).num_rows for f in files)))
            """, [out]) as? Int
        #expect(rows == 10)
        #expect(!FileManager.default.fileExists(atPath: userHome.url.appendingPathComponent(".flowline").path))
    }
}

/// One ```sh block of the README, with what the HTML comments right above it tell the test:
///
/// - `<!-- readme-test: skip: REASON -->` the block is not run (a server in the foreground, the
///   test suite itself); the reason is required.
/// - `<!-- readme-test: replace TEXT => REPLACEMENT -->` TEXT (a placeholder such as `...` or an
///   example host) becomes REPLACEMENT before the block runs; `${NAME}` in REPLACEMENT is the
///   test's value for NAME: `SANDBOX_URL`, `PG_JDBC_URL`, `PG_USER`, `PG_PASSWORD`.
struct ReadmeBlock {
    var line: Int
    var script: String
    var skipReason: String?
    var replacements: [(String, String)] = []

    static let directive = "<!-- readme-test:"

    static func parse(_ text: String) -> [ReadmeBlock] {
        let lines = text.components(separatedBy: "\n")
        var blocks: [ReadmeBlock] = []
        var i = 0
        while i < lines.count {
            guard lines[i].trimmingCharacters(in: .whitespaces) == "```sh" else { i += 1; continue }
            var block = ReadmeBlock(line: i + 1, script: "")
            var above = i - 1
            while above >= 0, lines[above].hasPrefix(directive) {
                block.apply(lines[above])
                above -= 1
            }
            var body: [String] = []
            i += 1
            while i < lines.count, lines[i].trimmingCharacters(in: .whitespaces) != "```" {
                body.append(lines[i])
                i += 1
            }
            block.script = body.joined(separator: "\n")
            blocks.append(block)
            i += 1
        }
        return blocks
    }

    mutating func apply(_ comment: String) {
        var text = comment.dropFirst(Self.directive.count)
        if text.hasSuffix("-->") { text = text.dropLast(3) }
        let body = text.trimmingCharacters(in: .whitespaces)
        if body.hasPrefix("skip") {
            skipReason = body.dropFirst(4).trimmingCharacters(in: CharacterSet(charactersIn: ": ").union(.whitespaces))
        } else if body.hasPrefix("replace "), let arrow = body.range(of: " => ") {
            replacements.insert((String(body[body.index(body.startIndex, offsetBy: 8)..<arrow.lowerBound]), String(body[arrow.upperBound...])), at: 0)
        }
    }

    func runnableScript(_ values: [String: String]) -> String {
        var out = script
        for (from, to) in replacements {
            var value = to
            for (name, v) in values { value = value.replacingOccurrences(of: "${\(name)}", with: v) }
            out = out.replacingOccurrences(of: from, with: value)
        }
        return out
    }
}

/// The parts of `FLOWLINE_TEST_PG_URL` a Redshift profile takes.
struct PostgresURL {
    var jdbcURL: String
    var user: String
    var password: String

    struct Missing: Error, CustomStringConvertible {
        var description: String {
            "FLOWLINE_TEST_PG_URL is not set: run the tests with scripts/test (which starts a throwaway PostgreSQL), or `eval \"$(scripts/postgres start)\"` first"
        }
    }

    static func fromEnvironment() throws -> PostgresURL {
        guard let text = ProcessInfo.processInfo.environment["FLOWLINE_TEST_PG_URL"], let url = URLComponents(string: text),
              let host = url.host, let user = url.user else { throw Missing() }
        return PostgresURL(jdbcURL: "jdbc:redshift://\(host):\(url.port ?? 5432)\(url.path)", user: user,
                           password: url.password?.removingPercentEncoding ?? "")
    }
}
