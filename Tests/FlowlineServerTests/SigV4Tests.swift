import Foundation
import Testing
import FlowlineServer
import FlowlineTestSupport

/// SigV4 checked against botocore's own signer, and refused requests over real HTTP.
@Suite(.serialized) struct SigV4Tests {
    /// botocore signs a request; the verifier must accept it and refuse it once anything changes.
    @Test func verifierAgreesWithBotocore() throws {
        let signed = try Python.json("""
            import json, datetime
            from botocore.auth import SigV4Auth
            from botocore.awsrequest import AWSRequest
            from botocore.credentials import Credentials
            req = AWSRequest(method="DELETE", url="http://127.0.0.1:9/tags/arn%3Aaws%3Aappflow%3Aus-east-1%3A123456789012%3Aflow%2Fmy-flow?tagKeys=a%20b&tagKeys=team",
                             data=b"", headers={"Content-Type": "application/json"})
            SigV4Auth(Credentials("AKIDEXAMPLE", "s3cr3t/Key+"), "appflow", "eu-west-1").add_auth(req)
            print(json.dumps({k.lower(): v for k, v in req.headers.items()}))
            """) as! [String: String]
        var headers = signed
        headers["host"] = "127.0.0.1:9"
        let request = SigV4Verifier.Request(
            method: "DELETE", rawPath: "/tags/arn%3Aaws%3Aappflow%3Aus-east-1%3A123456789012%3Aflow%2Fmy-flow",
            rawQuery: "tagKeys=a%20b&tagKeys=team", headers: headers, body: [])
        let verifier = SigV4Verifier(key: AccessKey(id: "AKIDEXAMPLE", secret: "s3cr3t/Key+"))
        try verifier.verify(request)

        var tampered = request
        tampered.rawQuery = "tagKeys=a%20b"
        #expect(throws: SigV4Verifier.Failure.self) { try verifier.verify(tampered) }
        #expect(throws: SigV4Verifier.Failure.self) {
            try SigV4Verifier(key: AccessKey(id: "AKIDEXAMPLE", secret: "other")).verify(request)
        }
        do {
            try verifier.verify(request, now: Date().addingTimeInterval(16 * 60))
            Issue.record("a 16-minute-old signature was accepted")
        } catch {
            #expect(error.type == "InvalidSignatureException")
            #expect(error.message.contains("Signature expired"))
        }
        do {
            try SigV4Verifier(key: AccessKey(id: "AKIDOTHER", secret: "s3cr3t/Key+")).verify(request)
            Issue.record("an unknown key was accepted")
        } catch {
            #expect(error.type == "UnrecognizedClientException")
        }
    }

    @Test func serverRefusesUnsignedWrongAndStaleRequests() throws {
        let server = try ServerProcess()
        let result = try server.python("""
            import urllib.request, urllib.error, datetime
            from botocore.auth import SigV4Auth
            from botocore.awsrequest import AWSRequest
            from botocore.credentials import Credentials
            url = os.environ["FLOWLINE_ENDPOINT"] + "/list-flows"
            def send(headers):
                req = urllib.request.Request(url, data=b"{}", method="POST", headers=headers)
                try:
                    with urllib.request.urlopen(req) as r:
                        return [r.status, ""]
                except urllib.error.HTTPError as e:
                    return [e.code, e.headers.get("x-amzn-ErrorType", "")]
            def signed(key, secret, when=None):
                req = AWSRequest(method="POST", url=url, data=b"{}", headers={"Content-Type": "application/json"})
                auth = SigV4Auth(Credentials(key, secret), "appflow", "us-east-1")
                if when is not None:
                    import botocore.auth as ba
                    original = ba.get_current_datetime
                    ba.get_current_datetime = lambda: when
                    try: auth.add_auth(req)
                    finally: ba.get_current_datetime = original
                else:
                    auth.add_auth(req)
                return dict(req.headers.items())
            out = {
                "unsigned": send({"Content-Type": "application/json"}),
                "wrongSecret": send(signed("\(ServerProcess.accessKeyId)", "wrong")),
                "unknownKey": send(signed("AKIAUNKNOWN", "\(ServerProcess.secretAccessKey)")),
                "stale": send(signed("\(ServerProcess.accessKeyId)", "\(ServerProcess.secretAccessKey)",
                                     datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None) - datetime.timedelta(minutes=20))),
                "good": send(signed("\(ServerProcess.accessKeyId)", "\(ServerProcess.secretAccessKey)")),
            }
            try:
                boto3.client("appflow", endpoint_url=os.environ["FLOWLINE_ENDPOINT"], region_name="us-east-1",
                             aws_access_key_id="\(ServerProcess.accessKeyId)", aws_secret_access_key="nope").list_flows()
                out["boto"] = "accepted"
            except botocore.exceptions.ClientError as e:
                out["boto"] = e.response["Error"]["Code"]
            print(json.dumps(out))
            """) as! [String: Any]
        #expect(result["unsigned"] as? [AnyHashable] == [403, "MissingAuthenticationTokenException"])
        #expect(result["wrongSecret"] as? [AnyHashable] == [403, "InvalidSignatureException"])
        #expect(result["unknownKey"] as? [AnyHashable] == [403, "UnrecognizedClientException"])
        #expect(result["stale"] as? [AnyHashable] == [403, "InvalidSignatureException"])
        #expect(result["good"] as? [AnyHashable] == [200, ""])
        #expect(result["boto"] as? String == "InvalidSignatureException")
        #expect(!server.log.contains(ServerProcess.secretAccessKey))
    }
}
