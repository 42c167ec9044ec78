import Foundation
import Testing
import FlowlineTestSupport

/// What retrying cannot fix ends a call at once, naming the host and the cause; what it can fix
/// (429, 5xx) is retried within one budget per call. Through the built CLI, as a user meets it.
@Suite struct FailFastTests {
    /// The README's Salesforce example with its host replaced by one under the reserved `.invalid`
    /// top-level domain, which never resolves (RFC 6761).
    static let unresolvable = "https://flowline-readme.example.invalid"

    static func readmeProfile(_ instanceUrl: String, name: String = "MySalesforceConnection") -> [String] {
        ["create-connector-profile", "--connector-profile-name", name,
         "--connector-type", "Salesforce", "--connection-mode", "Public",
         "--connector-profile-config", """
            {"connectorProfileProperties": {"Salesforce": {"instanceUrl": "\(instanceUrl)", "isSandboxEnvironment": false}},
             "connectorProfileCredentials": {"Salesforce": {"accessToken": "00D-readme-token", "refreshToken": "5Aep-readme-refresh"}}}
            """]
    }

    @Test func aHostThatDoesNotResolveEndsTheCallAtOnceNamingIt() throws {
        let cli = try FlowlineCLI()
        // create-connector-profile tries the connection: refused, with the host and the cause.
        let created = try cli.run(Self.readmeProfile(Self.unresolvable))
        #expect(created.status == 254)
        #expect(created.stderr.contains("ConnectorServerException"), "\(created.stderr)")
        #expect(created.stderr.contains("flowline-readme.example.invalid does not resolve"), "\(created.stderr)")
        #expect(created.stderr.contains("MySalesforceConnection"))
        #expect(created.stderr.contains("FLOWLINE_SKIP_CONNECTION_CHECK"))
        // One attempt: retrying a name that does not resolve cannot help.
        #expect(!created.stderr.contains("attempts"), "\(created.stderr)")
        #expect(!created.stderr.contains("readme-token") && !created.stderr.contains("readme-refresh"))
        #expect((try cli.json(["describe-connector-profiles"])["connectorProfileDetails"] as? [Any] ?? []).isEmpty)

        // Stored without the check (offline), a run ends the same way.
        #expect(try cli.run(Self.readmeProfile(Self.unresolvable), adding: FlowlineCLI.skipConnectionCheck).status == 0)
        let flows = SaaSFlows(cli: cli)
        try flows.createFlow("accounts", type: "Salesforce", profile: "MySalesforceConnection", properties: #"{"Salesforce": {"object": "Account"}}"#)
        let (_, run) = try flows.start("accounts")
        #expect(run.status == 1)
        let text = "\(try flows.lastExecution("accounts"))"
        #expect(text.contains("ConnectorServerException") && text.contains("flowline-readme.example.invalid does not resolve"), "\(text)")
        #expect(!text.contains("attempts"), "\(text)")
        let listed = try cli.run("list-connector-entities", "--connector-profile-name", "MySalesforceConnection")
        #expect(listed.status == 254)
        #expect(listed.stderr.contains("Cannot reach Salesforce at https://flowline-readme.example.invalid/services/data/"), "\(listed.stderr)")
    }

    @Test func aRefusedConnectionEndsTheCallAtOnce() throws {
        // A port nothing listens on: the sandbox's, after it stopped.
        let url: String
        do {
            let sandbox = try SandboxProcess(records: 1)
            url = sandbox.url
        }
        let cli = try FlowlineCLI()
        let created = try cli.run(Self.readmeProfile(url, name: "gone"))
        #expect(created.status == 254)
        #expect(created.stderr.contains("ConnectorServerException") && created.stderr.contains("connection refused by 127.0.0.1"), "\(created.stderr)")
        #expect(!created.stderr.contains("attempts"), "\(created.stderr)")
    }

    @Test func anUntrustedCertificateEndsTheCallAtOnce() throws {
        let server = try SelfSignedHTTPSServer()
        let cli = try FlowlineCLI()
        let created = try cli.run(Self.readmeProfile("https://127.0.0.1:\(server.port)", name: "tls"))
        #expect(created.status == 254)
        #expect(created.stderr.contains("ConnectorServerException") && created.stderr.contains("the TLS handshake with 127.0.0.1 failed"),
                "\(created.stderr)")
        #expect(created.stderr.contains("CERTIFICATE_VERIFY_FAILED: the server's certificate is not trusted"), "\(created.stderr)")
        #expect(!created.stderr.contains("attempts"), "\(created.stderr)")
        #expect(server.handshakes() == 1)
    }

    @Test func serverErrorsAreRetriedAndRetryAfterBeyondTheBudgetIsNotWaited() throws {
        let sandbox = try SandboxProcess(records: 10)
        let cli = try FlowlineCLI(environment: ["FLOWLINE_HTTP_TIMEOUT": "3"])
        let flows = SaaSFlows(cli: cli)
        try flows.createSalesforceProfile("sf", sandbox: sandbox)
        let before = try sandbox.stats()

        // Two 429s that ask for no wait are retried: the third try answers.
        try sandbox.admin("/_sandbox/throttle?count=2&retryAfter=0")
        let listed = try cli.run("list-connector-entities", "--connector-profile-name", "sf")
        #expect(listed.status == 0, "\(listed.stderr)")
        #expect(try sandbox.stats()["throttled"] == (before["throttled"] ?? 0) + 2)

        // A Retry-After of 30 seconds cannot fit in a 3-second budget: one try, and the service's answer.
        try sandbox.admin("/_sandbox/throttle?count=10&retryAfter=30")
        let throttled = try cli.run("list-connector-entities", "--connector-profile-name", "sf")
        #expect(throttled.status == 254)
        #expect(throttled.stderr.contains("still answered HTTP 429 after 1 attempt"), "\(throttled.stderr)")
        #expect(try sandbox.stats()["throttled"] == (before["throttled"] ?? 0) + 3)
    }
}

/// An HTTPS server on loopback whose certificate nobody trusts (made now by `openssl`), served
/// by Python's `ssl` module; counts the handshakes it was offered.
final class SelfSignedHTTPSServer: @unchecked Sendable {
    // @unchecked: immutable after init; deinit only stops the child.
    let process: Process
    let port: Int
    let directory: TemporaryDirectory

    init() throws {
        directory = try TemporaryDirectory("tls")
        let key = directory.url.appendingPathComponent("key.pem").path
        let cert = directory.url.appendingPathComponent("cert.pem").path
        let made = try Subprocess.run(Subprocess.which("openssl") ?? "/usr/bin/openssl",
                                      ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-days", "1",
                                       "-keyout", key, "-out", cert])
        guard made.status == 0 else { throw HTTPSServerError(description: "openssl failed: \(made.stderr)") }
        let script = """
            import socket, ssl, sys
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(sys.argv[1], sys.argv[2])
            listener = socket.socket()
            listener.bind(("127.0.0.1", 0))
            listener.listen(16)
            print(listener.getsockname()[1], flush=True)
            count = 0
            while True:
                conn, _ = listener.accept()
                count += 1
                with open(sys.argv[3], "w") as f:
                    f.write(str(count))
                try:
                    context.wrap_socket(conn, server_side=True).close()
                except (ssl.SSLError, OSError):
                    conn.close()
            """
        process = Process()
        process.executableURL = URL(fileURLWithPath: Subprocess.which("python3") ?? "/usr/bin/python3")
        process.arguments = ["-c", script, cert, key, directory.url.appendingPathComponent("count").path]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let line = String(decoding: out.fileHandleForReading.availableData, as: UTF8.self)
        guard let port = Int(line.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            process.terminate()
            throw HTTPSServerError(description: "the HTTPS server did not start: \(line)")
        }
        self.port = port
    }

    /// Connections accepted so far (each one a handshake offered).
    func handshakes() -> Int {
        Int((try? String(contentsOf: directory.url.appendingPathComponent("count"), encoding: .utf8)) ?? "0") ?? 0
    }

    deinit {
        // SIGKILL: a child may inherit a signal mask that blocks SIGTERM.
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }
}

struct HTTPSServerError: Error, CustomStringConvertible {
    let description: String
}
