import Foundation
import FlowlineTestSupport

/// A `flowline serve` subprocess (FlowlineTestSupport's ServeProcess) with this suite's access key,
/// and the clients that talk to it.
final class ServerProcess: @unchecked Sendable {
    // @unchecked: immutable after init.
    static let accessKeyId = "AKIAFLOWLINETEST"
    static let secretAccessKey = "flowline-test-secret-key"

    let serve: ServeProcess
    var cli: FlowlineCLI { serve.cli }
    var process: Process { serve.process }
    var port: Int { serve.port }
    var stderrFile: URL { serve.logFile }
    var endpoint: String { serve.url }
    var eventsLog: URL { cli.home.url.appendingPathComponent("events.jsonl") }
    var log: String { serve.log }

    init(_ extraArguments: [String] = [], environment: [String: String] = [:]) throws {
        serve = try ServeProcess(accessKeyId: Self.accessKeyId, secretAccessKey: Self.secretAccessKey, arguments: extraArguments,
                                 environment: environment)
        // The bucket `Fixtures.csvFlow` reads exists from the start (create-flow refuses a missing source bucket).
        try FileManager.default.createDirectory(at: serve.cli.s3Root.appendingPathComponent("data"), withIntermediateDirectories: true)
    }

    /// SIGTERM, then wait for the process to end; returns its exit status.
    @discardableResult
    func stop() -> Int32 { serve.stop() }

    /// Environment for a Python or `aws` child talking to this server.
    var clientEnvironment: [String: String] {
        var env = ProcessInfo.processInfo.environment
        env["AWS_ACCESS_KEY_ID"] = Self.accessKeyId
        env["AWS_SECRET_ACCESS_KEY"] = Self.secretAccessKey
        env["AWS_DEFAULT_REGION"] = "us-east-1"
        env["AWS_CONFIG_FILE"] = "/dev/null"
        env["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null"
        env["AWS_PAGER"] = ""
        env["FLOWLINE_ENDPOINT"] = endpoint
        return env
    }

    /// Runs a Python script (with boto3 configured for this server as `client`) and decodes its stdout as JSON.
    func python(_ body: String) throws -> Any {
        let script = """
            import boto3, botocore, json, os, sys, time
            from botocore.config import Config
            client = boto3.client("appflow", endpoint_url=os.environ["FLOWLINE_ENDPOINT"], region_name="us-east-1",
                                  aws_access_key_id="\(Self.accessKeyId)", aws_secret_access_key="\(Self.secretAccessKey)",
                                  config=Config(retries={"max_attempts": 1}, max_pool_connections=64))
            def wait_for(flow, execution_id, timeout=120):
                deadline = time.time() + timeout
                while time.time() < deadline:
                    for e in client.describe_flow_execution_records(flowName=flow)["flowExecutions"]:
                        if e["executionId"] == execution_id and e["executionStatus"] not in ("InProgress", "CancelStarted"):
                            return e
                    time.sleep(0.2)
                raise SystemExit("execution %s of %s did not finish" % (execution_id, flow))

            """ + body
        let result = try Subprocess.run(Subprocess.which("python3") ?? "/usr/bin/python3", ["-c", script], environment: clientEnvironment)
        guard result.status == 0 else {
            throw ServerTestFailure(description: "python failed (\(result.status)):\n\(result.stderr)\nserver log:\n\(log)")
        }
        return try JSONSerialization.jsonObject(with: Data(result.stdout.utf8), options: [.fragmentsAllowed])
    }

    /// Runs `aws appflow ARGS --endpoint-url …`.
    func aws(_ arguments: [String]) throws -> ProcessResult {
        guard let aws = Subprocess.which("aws") else { throw ServerTestFailure(description: "the aws CLI is not on PATH") }
        return try Subprocess.run(aws, ["appflow"] + arguments + ["--endpoint-url", endpoint, "--output", "json"],
                                  environment: clientEnvironment)
    }
}

/// Requests shared by the server tests: an S3 → S3 flow over a bucket with a small CSV.
enum Fixtures {
    static func csvFlow(_ name: String, trigger: String = #"{"triggerType": "OnDemand"}"#, bucket: String = "data") -> String {
        """
        dict(flowName="\(name)", triggerConfig=json.loads('\(trigger)'),
             sourceFlowConfig={"connectorType": "S3", "sourceConnectorProperties": {"S3": {"bucketName": "\(bucket)", "bucketPrefix": "in"}}},
             destinationFlowConfigList=[{"connectorType": "S3", "destinationConnectorProperties": {"S3": {"bucketName": "\(bucket)", "bucketPrefix": "out",
                 "s3OutputFormatConfig": {"fileType": "CSV"}}}}],
             tasks=[{"sourceFields": [], "connectorOperator": {"S3": "NO_OP"}, "taskType": "Map_all", "taskProperties": {}}])
        """
    }

    static let accounts = "id,name,amount\n1,Ada,10.5\n2,Grace,20\n3,Linus,\n"

    /// Python: `post_events(flow, events)` POSTs change events SigV4-signed to the server and returns
    /// (status, body or error type); `change(ids, **fields)` builds one Account change event.
    static let changeEventHelpers = """
        import urllib.request, urllib.error
        from botocore.auth import SigV4Auth
        from botocore.awsrequest import AWSRequest
        from botocore.credentials import Credentials
        def post_events(flow, events):
            url = os.environ["FLOWLINE_ENDPOINT"] + "/events/salesforce/" + flow
            req = AWSRequest(method="POST", url=url, data=json.dumps(events).encode(), headers={"Content-Type": "application/json"})
            SigV4Auth(Credentials("\(ServerProcess.accessKeyId)", "\(ServerProcess.secretAccessKey)"), "appflow", "us-east-1").add_auth(req)
            try:
                with urllib.request.urlopen(urllib.request.Request(url, data=req.body, method="POST", headers=dict(req.headers.items()))) as r:
                    return r.status, json.loads(r.read())
            except urllib.error.HTTPError as e:
                return e.code, e.headers.get("x-amzn-ErrorType")
        def change(ids, **fields):
            header = {"entityName": "Account", "changeType": "UPDATE", "recordIds": ids, "commitTimestamp": 1700000000000}
            return {"schema": "IeRuaY6cbI_HsV8Rv1Mc5g", "event": {"replayId": 42}, "payload": dict(ChangeEventHeader=header, **fields)}

        """
}

struct ServerTestFailure: Error, CustomStringConvertible {
    let description: String
}
