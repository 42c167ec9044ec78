import Foundation
import Testing
import FlowlineTestSupport

/// The seed flows in examples/ run end to end as a user would run them: profiles and flows made
/// with `--cli-input-json file://…` from the example files (only the sandbox's URL and tokens and
/// the database's URL put in), run with `start-flow`, and the results read back by independent
/// clients (psql, Python's csv module) and compared with what the sandbox itself serves.
@Suite struct SeedFlowTests {
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("examples")

    let cli: FlowlineCLI
    let work: TemporaryDirectory

    init() throws {
        cli = try FlowlineCLI()
        work = try TemporaryDirectory()
    }

    /// An example request with `edit` applied, written to a file of its own; returns `file://PATH`.
    func request(_ name: String, _ edit: (inout [String: Any]) -> Void = { _ in }) throws -> String {
        let data = try Data(contentsOf: Self.examples.appendingPathComponent(name))
        var json = try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
        edit(&json)
        let url = work.url.appendingPathComponent(name)
        try JSONSerialization.data(withJSONObject: json).write(to: url)
        return "file://" + url.path
    }

    /// Runs `command --cli-input-json file://…` and expects it to succeed.
    func create(_ command: String, _ file: String, _ edit: (inout [String: Any]) -> Void = { _ in }) throws {
        let r = try cli.run([command, "--cli-input-json", try request(file, edit)])
        #expect(r.status == 0, "\(file): \(r.stderr)")
    }

    /// Replaces `connectorProfileConfig.<part>.<key>` members of a profile request.
    static func setProfile(_ json: inout [String: Any], _ part: String, _ key: String, _ members: [String: Any]) {
        var config = json["connectorProfileConfig"] as? [String: Any] ?? [:]
        var section = config[part] as? [String: Any] ?? [:]
        var inner = section[key] as? [String: Any] ?? [:]
        for (k, v) in members { inner[k] = v }
        section[key] = inner
        config[part] = section
        json["connectorProfileConfig"] = config
    }

    func salesforceProfile(_ sandbox: SandboxProcess) throws {
        try create("create-connector-profile", "salesforce-profile.json") { json in
            Self.setProfile(&json, "connectorProfileProperties", "Salesforce", ["instanceUrl": sandbox.url])
            Self.setProfile(&json, "connectorProfileCredentials", "Salesforce",
                            ["accessToken": "sandbox-access-token", "refreshToken": "sandbox-refresh-token"])
        }
    }

    @Test func salesforceOpportunitiesToRedshift() throws {
        let database = try SeedDatabase.settings()
        let sandbox = try SandboxProcess(records: 2500, pageSize: 400)
        try salesforceProfile(sandbox)
        try create("create-connector-profile", "redshift-profile.json") { json in
            Self.setProfile(&json, "connectorProfileProperties", "Redshift", ["databaseUrl": database.jdbcURL])
            Self.setProfile(&json, "connectorProfileCredentials", "Redshift", ["username": database.user, "password": database.password])
        }
        // The example loads into public.opportunities: start from no table, as a new user would.
        _ = try SeedDatabase.psql(database.url, "DROP TABLE IF EXISTS public.opportunities")
        try create("create-flow", "salesforce-opportunities-to-redshift-flow.json")

        for run in 1...2 {
            let r = try cli.run("start-flow", "--flow-name", "example-salesforce-opportunities-to-redshift")
            #expect(r.status == 0, "run \(run): \(r.stderr)")
            // Every Opportunity the sandbox serves is a row with exactly its values; the second
            // run upserts by id, so the table still holds each one once.
            let check = try Python.json(Self.compareOpportunities, [sandbox.url, "sandbox-access-token", database.url]) as? [String: Any] ?? [:]
            #expect(check["want"] as? Int == 2500, "\(check)")
            #expect(check["got"] as? Int == 2500, "\(check)")
            #expect(check["rows"] as? Int == 2500, "\(check)")
            #expect((check["problems"] as? [String])?.isEmpty == true, "\(check)")
        }
    }

    /// Reads every Opportunity from the sandbox's SOQL query (following nextRecordsUrl) and the
    /// table through psql, and lists the differences field by field.
    static let compareOpportunities = #"""
        import json, subprocess, sys, urllib.parse, urllib.request
        from decimal import Decimal
        base, token, pg = sys.argv[1:4]
        def get(path):
            req = urllib.request.Request(base + path, headers={"Authorization": "Bearer " + token})
            return json.loads(urllib.request.urlopen(req).read().decode(), parse_float=Decimal)
        soql = "SELECT Id, Name, AccountId, StageName, Amount, Probability, CloseDate, IsClosed, CreatedDate, LastModifiedDate FROM Opportunity"
        page = get("/services/data/v58.0/query?q=" + urllib.parse.quote(soql))
        want = list(page["records"])
        while not page["done"]:
            page = get(page["nextRecordsUrl"])
            want += page["records"]
        ts = "to_char(%s AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"+0000\"')"
        sql = ("SELECT coalesce(json_agg(q), '[]') FROM (SELECT id, name, account_id, stage_name, amount::text AS amount, "
               "probability::text AS probability, close_date::text AS close_date, is_closed, "
               + ts % "created_date" + " AS created_date, " + ts % "last_modified_date" + " AS last_modified_date "
               "FROM public.opportunities) q")
        out = subprocess.run(["psql", pg, "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-c", sql],
                             capture_output=True, text=True, check=True).stdout
        rows = json.loads(out)
        got = {r["id"]: r for r in rows}
        problems = []
        for w in want:
            g = got.get(w["Id"])
            if g is None:
                problems.append("missing " + w["Id"])
                continue
            expect = {"name": w["Name"], "account_id": w["AccountId"], "stage_name": w["StageName"], "amount": w["Amount"],
                      "probability": w["Probability"], "close_date": w["CloseDate"], "is_closed": w["IsClosed"],
                      "created_date": w["CreatedDate"], "last_modified_date": w["LastModifiedDate"]}
            for k, v in expect.items():
                actual = g[k]
                if k in ("amount", "probability") and actual is not None:
                    actual = Decimal(actual)
                if actual != v:
                    problems.append("%s %s: want %r, got %r" % (w["Id"], k, v, actual))
        print(json.dumps({"want": len(want), "got": len(got), "rows": len(rows), "problems": problems[:20]}))
        """#

    @Test func slackChannelToS3() throws {
        let sandbox = try SandboxProcess(records: 950)
        try create("create-connector-profile", "slack-profile.json") { json in
            Self.setProfile(&json, "connectorProfileProperties", "Slack", ["instanceUrl": sandbox.url])
            Self.setProfile(&json, "connectorProfileCredentials", "Slack",
                            ["clientId": "sandbox-client-id", "clientSecret": "sandbox-client-secret", "accessToken": "sandbox-access-token"])
        }
        try create("create-flow", "slack-channel-to-s3-flow.json")
        let r = try cli.run("start-flow", "--flow-name", "example-slack-channel-to-s3")
        #expect(r.status == 0, "\(r.stderr)")
        let files = cli.objectKeys(bucket: "appflow-output").filter { $0.hasPrefix("slack/example-slack-channel-to-s3/") && $0.hasSuffix(".csv") }
            .map { cli.s3Root.appendingPathComponent("appflow-output").appendingPathComponent($0).path }
        #expect(files.count == 1, "\(files)")
        let check = try Python.json(Self.compareMessages, [sandbox.url, "sandbox-access-token"] + files) as? [String: Any] ?? [:]
        #expect(check["want"] as? Int == 950, "\(check)")
        #expect(check["rows"] as? Int == 950, "\(check)")
        #expect((check["problems"] as? [String])?.isEmpty == true, "\(check)")
    }

    /// Reads the channel's whole history from the sandbox (following next_cursor) and the CSV
    /// files with the csv module, and lists messages missing or differing.
    static let compareMessages = #"""
        import csv, json, sys, urllib.parse, urllib.request
        base, token, paths = sys.argv[1], sys.argv[2], sys.argv[3:]
        want, cursor = [], ""
        while True:
            query = urllib.parse.urlencode({"channel": "C0GENERAL", "limit": 200, "cursor": cursor})
            req = urllib.request.Request(base + "/api/conversations.history?" + query, headers={"Authorization": "Bearer " + token})
            page = json.loads(urllib.request.urlopen(req).read().decode())
            assert page["ok"], page
            want += page["messages"]
            cursor = page["response_metadata"]["next_cursor"]
            if not cursor:
                break
        rows = []
        for p in paths:
            with open(p, newline="", encoding="utf-8") as f:
                rows.extend(csv.DictReader(f))
        got = {r["ts"]: r for r in rows}
        problems = []
        for m in want:
            g = got.get(m["ts"])
            if g is None:
                problems.append("missing " + m["ts"])
                continue
            for k in ("type", "user", "text"):
                if g.get(k) != m[k]:
                    problems.append("%s %s: want %r, got %r" % (m["ts"], k, m[k], g.get(k)))
        print(json.dumps({"want": len(want), "rows": len(rows), "problems": problems[:20]}))
        """#
}

/// The PostgreSQL `scripts/test` starts (`FLOWLINE_TEST_PG_URL`), as the Redshift tests use it;
/// a test that needs it fails with this message when it is missing.
enum SeedDatabase {
    struct Missing: Error, CustomStringConvertible {
        var description: String {
            "FLOWLINE_TEST_PG_URL is not set: run the tests with scripts/test (which starts a throwaway PostgreSQL), or `eval \"$(scripts/postgres start)\"` first"
        }
    }

    struct Failure: Error, CustomStringConvertible { var description: String }

    /// The URL and the parts a Redshift profile takes: `jdbc:redshift://host:port/db`, user, password.
    static func settings() throws -> (url: String, jdbcURL: String, user: String, password: String) {
        guard let url = ProcessInfo.processInfo.environment["FLOWLINE_TEST_PG_URL"], !url.isEmpty else { throw Missing() }
        guard let parts = URLComponents(string: url), let host = parts.host, let user = parts.user else {
            throw Failure(description: "FLOWLINE_TEST_PG_URL is not a postgresql://user:password@host:port/db URL")
        }
        let port = parts.port ?? 5432
        let database = parts.path.hasPrefix("/") ? String(parts.path.dropFirst()) : parts.path
        return (url, "jdbc:redshift://\(host):\(port)/\(database)", user, parts.password ?? "")
    }

    static func psql(_ url: String, _ sql: String) throws -> String {
        guard let psql = Subprocess.which("psql") else { throw Failure(description: "psql is not on PATH (apt-get install postgresql-client)") }
        let r = try Subprocess.run(psql, [url, "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-c", sql])
        guard r.status == 0 else { throw Failure(description: "psql failed: \(r.stderr)") }
        return r.stdout
    }
}
