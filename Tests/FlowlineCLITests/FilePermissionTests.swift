import Foundation
import Testing
import FlowlineTestSupport

/// What Flowline keeps under `$FLOWLINE_HOME` is its owner's alone: the home is 0700 (tightened,
/// with a warning, when found open), the metadata database and its WAL files are 0600.
@Suite struct FilePermissionTests {
    static func mode(_ path: String) -> Int? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        return Int(info.st_mode & 0o777)
    }

    @Test func aNewHomeIsCreatedPrivate() throws {
        let parent = try TemporaryDirectory("flowline-parent")
        let home = parent.file("fresh-home").path
        let cli = try FlowlineCLI(environment: ["FLOWLINE_HOME": home, "FLOWLINE_S3_ROOT": home + "/s3"])
        let result = try cli.run("list-flows")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(Self.mode(home) == 0o700)
    }

    @Test func anOpenHomeIsTightenedWithAWarning() throws {
        let cli = try FlowlineCLI()
        #expect(chmod(cli.home.path, 0o755) == 0)
        let result = try cli.run("list-flows")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(Self.mode(cli.home.path) == 0o700)
        #expect(result.stderr.contains("0755") && result.stderr.contains(cli.home.path), "\(result.stderr)")
        // Once private, nothing more is said.
        #expect(try cli.run("list-flows").stderr.isEmpty)
    }

    @Test func theDatabaseAndItsWALFilesAreOwnerOnly() throws {
        // A running server holds the database open, so the -wal and -shm files of the write it
        // makes (a profile created through it) exist while the modes are read.
        // (The profile's made-up host is stored without trying it.)
        let server = try ServeProcess(accessKeyId: "AKIAMODES", secretAccessKey: "modes-secret", environment: FlowlineCLI.skipConnectionCheck)
        let created = try server.cli.run([
            "create-connector-profile", "--endpoint-url", server.url, "--connector-profile-name", "modes", "--connector-type", "Salesforce",
            "--connection-mode", "Public", "--connector-profile-config",
            #"{"connectorProfileProperties": {"Salesforce": {"instanceUrl": "https://example.my.salesforce.com"}}, "connectorProfileCredentials": {"Salesforce": {"accessToken": "t"}}}"#])
        #expect(created.status == 0, "\(created.stderr)")
        let database = server.cli.home.file("flowline.db").path
        #expect(Self.mode(database) == 0o600)
        for suffix in ["-wal", "-shm"] {
            #expect(FileManager.default.fileExists(atPath: database + suffix), "\(suffix) is missing")
            #expect(Self.mode(database + suffix) == 0o600, "\(suffix)")
        }
        #expect(Self.mode(server.cli.home.file("master.key").path) == 0o600)
        #expect(Self.mode(server.cli.home.path) == 0o700)
    }
}
