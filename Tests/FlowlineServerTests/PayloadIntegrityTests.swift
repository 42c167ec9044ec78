import Foundation
import Testing
import FlowlineTestSupport

/// A signed request captured on the wire cannot be replayed with another body: the server hashes
/// the body it received and checks it against the signature, whatever `x-amz-content-sha256` says.
@Suite(.serialized) struct PayloadIntegrityTests {
    @Test func aSignedRequestReplayedWithAnotherBodyIsRefused() throws {
        // The profiles name made-up hosts: stored without trying them.
        let server = try ServerProcess(environment: FlowlineCLI.skipConnectionCheck)
        let result = try server.python("""
            import hashlib, http.client, urllib.parse
            from botocore.auth import SigV4Auth
            from botocore.awsrequest import AWSRequest
            from botocore.credentials import Credentials
            endpoint = os.environ["FLOWLINE_ENDPOINT"]
            url = endpoint + "/create-connector-profile"
            original = json.dumps({"connectorProfileName": "harmless", "connectorType": "Salesforce", "connectionMode": "Public",
                "connectorProfileConfig": {"connectorProfileProperties": {"Salesforce": {"instanceUrl": "https://good.example.com"}},
                                           "connectorProfileCredentials": {"Salesforce": {"accessToken": "t"}}}}).encode()
            swapped = original.replace(b"harmless", b"attacker").replace(b"good.example.com", b"evil.example.com")
            def sign(body, extra=None):
                headers = {"Content-Type": "application/json"}
                headers.update(extra or {})
                req = AWSRequest(method="POST", url=url, data=body, headers=headers)
                SigV4Auth(Credentials("\(ServerProcess.accessKeyId)", "\(ServerProcess.secretAccessKey)"), "appflow", "us-east-1").add_auth(req)
                return {k: (v.decode() if isinstance(v, bytes) else v) for k, v in req.headers.items()}
            def send(headers, body):
                u = urllib.parse.urlparse(url)
                c = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
                c.request("POST", u.path, body=body, headers=headers)
                r = c.getresponse()
                r.read()
                return [r.status, r.headers.get("x-amzn-ErrorType", "")]
            old_hash = hashlib.sha256(original).hexdigest()
            out = {}
            # The captured headers with the old body's hash added as an unsigned header, and a new body.
            out["unsignedHashHeader"] = send(dict(sign(original), **{"X-Amz-Content-Sha256": old_hash}), swapped)
            # The hash header signed by the client, and the body swapped in transit.
            out["signedHashHeader"] = send(sign(original, {"X-Amz-Content-Sha256": old_hash}), swapped)
            # A signed UNSIGNED-PAYLOAD: refused, appflow clients always sign the payload.
            out["unsignedPayload"] = send(sign(original, {"X-Amz-Content-Sha256": "UNSIGNED-PAYLOAD"}), swapped)
            # The right hash of the new body, but not among the signed headers.
            out["unsignedRightHash"] = send(dict(sign(original), **{"X-Amz-Content-Sha256": hashlib.sha256(swapped).hexdigest()}), swapped)
            # The body swapped with no hash header at all.
            out["noHashHeader"] = send(sign(original), swapped)
            # Untouched requests still pass, with and without a signed hash header.
            out["intactWithSignedHash"] = send(sign(original, {"X-Amz-Content-Sha256": old_hash}), original)
            names = [p["connectorProfileName"] for p in client.describe_connector_profiles()["connectorProfileDetails"]]
            out["profiles"] = sorted(names)
            print(json.dumps(out))
            """) as! [String: Any]
        for refused in ["unsignedHashHeader", "signedHashHeader", "unsignedPayload", "unsignedRightHash", "noHashHeader"] {
            #expect(result[refused] as? [AnyHashable] == [403, "InvalidSignatureException"], "\(refused): \(result[refused] ?? "nil")")
        }
        #expect(result["intactWithSignedHash"] as? [AnyHashable] == [200, ""])
        // Only the untouched request created its profile; the swapped body never reached the service.
        #expect(result["profiles"] as? [String] == ["harmless"])
    }
}
