import Foundation
import Testing
import FlowlineTestSupport

/// `flowline serve --tls-cert/--tls-key`: boto3 and the AWS CLI over HTTPS against a CA made for
/// the test, and the rule that only loopback may be served without TLS.
@Suite(.serialized) struct TLSServeTests {
    @Test func boto3AndTheAWSCLISpeakHTTPSWithTheTestCA() throws {
        let ca = try TestCertificateAuthority()
        let server = try ServerProcess(["--tls-cert", ca.serverCertificate, "--tls-key", ca.serverKey],
                                       environment: FlowlineCLI.skipConnectionCheck)   // a made-up Salesforce host
        let https = "https://127.0.0.1:\(server.port)"
        var environment = server.clientEnvironment
        environment["FLOWLINE_ENDPOINT"] = https
        environment["TEST_CA"] = ca.caCertificate
        let script = """
            import boto3, botocore, json, os, ssl, urllib.request
            endpoint = os.environ["FLOWLINE_ENDPOINT"]
            out = {}
            client = boto3.client("appflow", endpoint_url=endpoint, region_name="us-east-1", verify=os.environ["TEST_CA"],
                                  aws_access_key_id="\(ServerProcess.accessKeyId)", aws_secret_access_key="\(ServerProcess.secretAccessKey)")
            client.create_connector_profile(connectorProfileName="over-tls", connectorType="Salesforce", connectionMode="Public",
                connectorProfileConfig={"connectorProfileProperties": {"Salesforce": {"instanceUrl": "https://example.my.salesforce.com"}},
                                        "connectorProfileCredentials": {"Salesforce": {"accessToken": "tls-secret-token"}}})
            out["profiles"] = [p["connectorProfileName"] for p in client.describe_connector_profiles()["connectorProfileDetails"]]
            # A client that does not trust the test CA refuses the server's certificate.
            try:
                boto3.client("appflow", endpoint_url=endpoint, region_name="us-east-1",
                             aws_access_key_id="a", aws_secret_access_key="b").list_flows()
                out["untrusted"] = "accepted"
            except botocore.exceptions.SSLError:
                out["untrusted"] = "SSLError"
            # Plain HTTP to the TLS port gets no answer.
            try:
                urllib.request.urlopen("http://127.0.0.1:%d/health" % \(server.port), timeout=20).read()
                out["plainHTTP"] = "answered"
            except Exception as error:
                out["plainHTTP"] = "refused"
            context = ssl.create_default_context(cafile=os.environ["TEST_CA"])
            with urllib.request.urlopen(endpoint + "/console/sign-in", context=context, timeout=20) as r:
                out["signInCookie"] = r.headers.get("Set-Cookie", "")
            print(json.dumps(out))
            """
        let result = try Subprocess.run(Subprocess.which("python3") ?? "/usr/bin/python3", ["-c", script], environment: environment)
        #expect(result.status == 0, "\(result.stderr)\n\(server.log)")
        let out = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any] ?? [:]
        #expect(out["profiles"] as? [String] == ["over-tls"])
        #expect(out["untrusted"] as? String == "SSLError")
        #expect(out["plainHTTP"] as? String == "refused")
        // The console's session cookie is only ever sent back over TLS.
        let cookie = out["signInCookie"] as? String ?? ""
        #expect(cookie.contains("; Secure"), "\(cookie)")
        #expect(cookie.contains("HttpOnly"))

        let aws = try #require(Subprocess.which("aws"), "the aws CLI is not on PATH")
        let listed = try Subprocess.run(aws, ["appflow", "describe-connector-profiles", "--endpoint-url", https,
                                              "--ca-bundle", ca.caCertificate, "--output", "json"], environment: environment)
        #expect(listed.status == 0, "\(listed.stderr)")
        #expect(listed.stdout.contains("over-tls"))
        let untrusted = try Subprocess.run(aws, ["appflow", "list-flows", "--endpoint-url", https, "--output", "json"],
                                           environment: environment)
        #expect(untrusted.status != 0)
        #expect(untrusted.stderr.contains("SSL"), "\(untrusted.stderr)")
        // Flowline's own client, told the CA the way the AWS CLI is (AWS_CA_BUNDLE).
        var trusting = server.cli.environment
        trusting["AWS_CA_BUNDLE"] = ca.caCertificate
        let own = try Subprocess.run(FlowlineCLI.binary, ["describe-connector-profiles", "--endpoint-url", https], environment: trusting)
        #expect(own.status == 0 && own.stdout.contains("over-tls"), "\(own.stderr)")
        #expect(!server.log.contains("tls-secret-token"))
    }

    @Test func plainHTTPCookieHasNoSecureFlag() throws {
        let server = try ServerProcess()
        let headers = try server.python("""
            import urllib.request
            with urllib.request.urlopen(os.environ["FLOWLINE_ENDPOINT"] + "/console/sign-in", timeout=20) as r:
                print(json.dumps(r.headers.get("Set-Cookie", "")))
            """) as? String ?? ""
        #expect(headers.contains("HttpOnly") && !headers.contains("Secure"), "\(headers)")
    }

    @Test func aNonLoopbackAddressIsRefusedWithoutTLS() throws {
        let cli = try FlowlineCLI(environment: ["FLOWLINE_ACCESS_KEY_ID": "AKIATLSTEST", "FLOWLINE_SECRET_ACCESS_KEY": "tls-test-secret"])
        let refused = try ServeAttempt.run(cli, ["serve", "--host", "0.0.0.0", "--port", "0"])
        #expect(refused.exitStatus != nil && refused.exitStatus != 0, "flowline serve --host 0.0.0.0 started without TLS: \(refused.output)")
        #expect(refused.output.contains("--tls-cert") && refused.output.contains("--insecure-http"), "\(refused.output)")
        // Saying so explicitly starts it.
        let allowed = try ServeAttempt.run(cli, ["serve", "--host", "0.0.0.0", "--port", "0", "--insecure-http"])
        #expect(allowed.exitStatus == nil, "--insecure-http did not start: \(allowed.output)")
        #expect(allowed.output.contains("listening on http://0.0.0.0:"))
        // A key without a certificate, or one that does not parse, is a clear start-up error.
        let ca = try TestCertificateAuthority()
        let keyOnly = try ServeAttempt.run(cli, ["serve", "--port", "0", "--tls-key", ca.serverKey])
        #expect(keyOnly.exitStatus != nil && keyOnly.exitStatus != 0)
        #expect(keyOnly.output.contains("--tls-cert"), "\(keyOnly.output)")
        let swapped = try ServeAttempt.run(cli, ["serve", "--port", "0", "--tls-cert", ca.serverKey, "--tls-key", ca.serverCertificate])
        #expect(swapped.exitStatus != nil && swapped.exitStatus != 0)
        #expect(swapped.output.contains(ca.serverKey), "\(swapped.output)")
    }
}

/// Starts `flowline serve` and waits until it either exits or prints that it listens; a server
/// that started is stopped again. `exitStatus` is nil when it was listening.
enum ServeAttempt {
    struct Outcome {
        var exitStatus: Int32?
        var output: String
    }

    static func run(_ cli: FlowlineCLI, _ arguments: [String]) throws -> Outcome {
        let out = cli.home.url.appendingPathComponent("attempt-\(UUID().uuidString.prefix(8)).log")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: FlowlineCLI.binary)
        process.arguments = arguments
        process.environment = cli.environment
        let handle = try FileHandle(forWritingTo: out)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        var text = ""
        while process.isRunning && Date() < deadline {
            text = (try? String(contentsOf: out, encoding: .utf8)) ?? ""
            if text.contains("listening on") { break }
            usleep(50_000)
        }
        if process.isRunning {
            kill(process.processIdentifier, SIGTERM)
            process.waitUntilExit()
            return Outcome(exitStatus: nil, output: (try? String(contentsOf: out, encoding: .utf8)) ?? text)
        }
        return Outcome(exitStatus: process.terminationStatus, output: (try? String(contentsOf: out, encoding: .utf8)) ?? "")
    }
}
