import Foundation
import Testing
import FlowlineTestSupport

/// Files the server keeps in its home: the access key's `credentials` file must be private, and
/// the change events it keeps for a run are written owner-only.
@Suite(.serialized) struct HomeFileTests {
    static func mode(_ path: String) -> Int? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        return Int(info.st_mode & 0o777)
    }

    @Test func aCredentialsFileOthersCanReadIsRefused() throws {
        let cli = try FlowlineCLI()
        let credentials = try cli.home.write("credentials", "aws_access_key_id = AKIAFILE\naws_secret_access_key = file-secret-key\n")
        #expect(chmod(credentials.path, 0o644) == 0)
        let refused = try ServeAttempt.run(cli, ["serve", "--port", "0"])
        #expect(refused.exitStatus != nil && refused.exitStatus != 0, "flowline serve started with a world-readable credentials file")
        #expect(refused.output.contains(credentials.path) && refused.output.contains("chmod 600"), "\(refused.output)")
        #expect(!refused.output.contains("file-secret-key"))
        #expect(chmod(credentials.path, 0o600) == 0)
        let started = try ServeAttempt.run(cli, ["serve", "--port", "0"])
        #expect(started.exitStatus == nil, "\(started.output)")
    }

    @Test func keptChangeEventsAreOwnerOnly() throws {
        let server = try ServerProcess()
        try server.cli.putObject(bucket: "data", key: "in/accounts.csv", Fixtures.accounts)
        // The destination folder is a file: the run fails, so its events stay kept for a later look.
        try server.cli.putObject(bucket: "data", key: "out", "not a folder")
        let result = try server.python(Fixtures.changeEventHelpers + """
            client.create_flow(**dict(\(Fixtures.csvFlow("kept")), triggerConfig={"triggerType": "Event"}))
            client.start_flow(flowName="kept")
            status, body = post_events("kept", [change(["001A"], Name="Acme")])
            record = wait_for("kept", body["executionId"])
            print(json.dumps({"status": status, "executionId": body["executionId"], "run": record["executionStatus"]}))
            """) as! [String: Any]
        #expect(result["status"] as? Int == 202)
        #expect(result["run"] as? String == "Error")
        let executionId = try #require(result["executionId"] as? String)
        let events = server.cli.home.url.appendingPathComponent("events")
        let kept = events.appendingPathComponent("incoming/kept/\(executionId).json")
        #expect(FileManager.default.fileExists(atPath: kept.path))
        #expect(Self.mode(kept.path) == 0o600)
        for directory in [events, events.appendingPathComponent("incoming"), events.appendingPathComponent("incoming/kept")] {
            #expect(Self.mode(directory.path) == 0o700, "\(directory.path)")
        }
        #expect(Self.mode(server.eventsLog.path) == 0o600)
    }
}
