import FlowlineConnectors
import FlowlineCore
import Foundation
import Testing
import FlowlineTestSupport

/// SAP OData services the sandbox does not play, over real HTTP on loopback: one whose `__next`
/// link points at another server (the credentials must not follow it), and an entity set
/// annotated `sap:pageable="false"` (no `$top`/`$skip`: the server's `__next` chain is the data).
@Suite struct SAPODataServiceEdgeTests {
    @Test func aNextLinkToAnotherServerIsNotFollowed() async throws {
        let server = try EdgeService(mode: "hostile", records: 30, page: 10)
        let source = SAPODataSource(api: server.api, objectPath: "/svc/Items")
        await #expect {
            _ = try await Self.ids(source)
        } throws: { error in
            "\(error)".contains("Items: the server's __next link points to http://127.0.0.1:\(server.elsewherePort), "
                                + "not to the profile's http://127.0.0.1:\(server.port); it was not followed")
        }
        let seen = try server.elsewhereSeen()
        #expect(seen["requests"] == 0 && seen["authorization"] == 0, "the other server saw \(seen)")
    }

    @Test func aSetThatCannotPageIsReadByTheServersNextLinksAlone() async throws {
        // The service refuses $top and $skip on this set, pages by 40 with relative links that
        // leave out sap-client, and counts 250 records.
        let server = try EdgeService(mode: "serverDriven", records: 250, page: 40)
        let ids = try await Self.ids(SAPODataSource(api: server.api, objectPath: "Items", pageSize: 97))
        #expect(ids == (0..<250).map { String(format: "I%05d", $0) })
        let described = try await server.api.fields(of: "Items")
        #expect(described.filter(\.isPrimaryKey).map(\.name) == ["Id"])
    }

    static func ids(_ source: SAPODataSource) async throws -> [String] {
        var ids: [String] = []
        for try await chunk in source.read(ReadRequest()) {
            let column = chunk.batch.schema.fields.firstIndex { $0.name == "Id" }!
            for row in chunk.batch.rows { if case .string(let s) = row[column] { ids.append(s) } }
        }
        return ids
    }
}

/// A small OData v2 service in Python (`http.server`) on a free loopback port, next to a second
/// server ("elsewhere") that counts the requests it gets and the ones carrying credentials.
final class EdgeService: @unchecked Sendable {
    // @unchecked: immutable after init; deinit only stops the child.
    let process: Process
    let port: Int
    let elsewherePort: Int
    var api: SAPODataAPI {
        SAPODataAPI(serviceURL: "http://127.0.0.1:\(port)/svc", clientNumber: "100",
                    authenticator: BasicAuthenticator(username: "admin", password: "edge-password"))
    }

    static let script = #"""
        import base64, json, signal, sys
        # The test runner's thread may have SIGTERM blocked, and a child inherits that: unblock it.
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})
        from http.server import ThreadingHTTPServer, BaseHTTPRequestHandler
        from urllib.parse import urlparse, parse_qs
        import threading
        mode, total, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
        seen = {"requests": 0, "authorization": 0}
        expected_auth = "Basic " + base64.b64encode(b"admin:edge-password").decode()
        pageable = ' sap:pageable="false"' if mode == "serverDriven" else ""
        metadata = ('<?xml version="1.0" encoding="utf-8"?><edmx:Edmx Version="1.0" xmlns:edmx="http://schemas.microsoft.com/ado/2007/06/edmx" '
                    'xmlns:sap="http://www.sap.com/Protocols/SAPData"><edmx:DataServices><Schema Namespace="EDGE">'
                    '<EntityType Name="ItemType"><Key><PropertyRef Name="Id"/></Key><Property Name="Id" Type="Edm.String"/>'
                    '<Property Name="Qty" Type="Edm.Int32"/></EntityType><EntityContainer Name="C">'
                    '<EntitySet Name="Items" EntityType="EDGE.ItemType"' + pageable + '/></EntityContainer></Schema></edmx:DataServices></edmx:Edmx>')

        def reply(handler, status, body, kind="application/json"):
            data = body.encode()
            handler.send_response(status)
            handler.send_header("Content-Type", kind)
            handler.send_header("Content-Length", str(len(data)))
            handler.end_headers()
            handler.wfile.write(data)

        def error(handler, status, message):
            reply(handler, status, json.dumps({"error": {"code": "EDGE/1", "message": {"lang": "en", "value": message}}}))

        class Elsewhere(BaseHTTPRequestHandler):
            def do_GET(self):
                if self.path == "/_seen":
                    return reply(self, 200, json.dumps(seen))
                seen["requests"] += 1
                if self.headers.get("Authorization"):
                    seen["authorization"] += 1
                reply(self, 200, '{"d":{"results":[]}}')
            def log_message(self, *args): pass

        class Service(BaseHTTPRequestHandler):
            def do_GET(self):
                url = urlparse(self.path)
                q = {k: v[0] for k, v in parse_qs(url.query, keep_blank_values=True).items()}
                if self.headers.get("Authorization") != expected_auth:
                    return reply(self, 401, "<html><body>Logon failed</body></html>", "text/html")
                if q.get("sap-client") != "100":
                    return error(self, 400, "sap-client missing")
                if url.path == "/svc/$metadata":
                    return reply(self, 200, metadata, "application/xml")
                if url.path != "/svc/Items":
                    return error(self, 404, "no such resource")
                if mode == "serverDriven" and ("$top" in q or "$skip" in q):
                    return error(self, 400, "System query options '$top,$skip' are not supported")
                start = int(q.get("$skiptoken", q.get("$skip", "0")))
                end = min(total, int(q.get("$skip", "0")) + int(q["$top"])) if "$top" in q and "$skiptoken" not in q else total
                served = range(start, min(end, start + size))
                d = {"results": [{"__metadata": {"type": "EDGE.ItemType"}, "Id": "I%05d" % i, "Qty": i} for i in served]}
                if q.get("$inlinecount") == "allpages":
                    d["__count"] = str(total)
                if served.stop < end:
                    if mode == "hostile":
                        d["__next"] = "http://127.0.0.1:%d/svc/Items?$skiptoken=%d&sap-client=100" % (elsewhere.server_port, served.stop)
                    else:
                        d["__next"] = "Items?$skiptoken=%d" % served.stop
                reply(self, 200, json.dumps({"d": d}))
            def log_message(self, *args): pass

        service = ThreadingHTTPServer(("127.0.0.1", 0), Service)
        elsewhere = ThreadingHTTPServer(("127.0.0.1", 0), Elsewhere)
        threading.Thread(target=elsewhere.serve_forever, daemon=True).start()
        print(json.dumps({"port": service.server_port, "elsewhere": elsewhere.server_port}), flush=True)
        service.serve_forever()
        """#

    init(mode: String, records: Int, page: Int) throws {
        guard let python = Subprocess.which("python3") else { throw EdgeServiceError(output: "python3 is not on PATH") }
        process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", Self.script, mode, String(records), String(page)]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        var text = ""
        var ports: [String: Int]?
        while ports == nil {
            let data = out.fileHandleForReading.availableData
            if data.isEmpty { break }
            text += String(decoding: data, as: UTF8.self)
            if let line = text.split(separator: "\n").first, text.contains("\n") {
                ports = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Int]
            }
        }
        guard let port = ports?["port"], let elsewhere = ports?["elsewhere"] else {
            process.terminate()
            throw EdgeServiceError(output: text)
        }
        self.port = port
        elsewherePort = elsewhere
    }

    deinit {
        process.terminate()
        process.waitUntilExit()
    }

    /// What the other server saw: `requests` and `authorization` (requests carrying credentials).
    func elsewhereSeen() throws -> [String: Int] {
        let script = "import sys, urllib.request; print(urllib.request.urlopen(sys.argv[1]).read().decode())"
        return try Python.json(script, ["http://127.0.0.1:\(elsewherePort)/_seen"]) as? [String: Int] ?? [:]
    }
}

struct EdgeServiceError: Error, CustomStringConvertible {
    let output: String
    var description: String { "the edge service did not start: \(output)" }
}
