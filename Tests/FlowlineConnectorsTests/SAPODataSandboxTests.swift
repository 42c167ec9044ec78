import Foundation
import Testing
import FlowlineTestSupport

/// The sandbox's SAP OData v2 service read by pyodata (SAP's community Python client, which follows
/// `d.__next` as an opaque URL and sends `$top`/`$skip`/`$inlinecount`/`/$count` itself), so the
/// emulator is checked by a client that shares none of Flowline's assumptions. The behaviours
/// emulated, with the documents they come from, are listed on SAPODataRoutes (and SAPODataLogon,
/// SAPODataError); the script is sap/pyodata_check.py.
@Suite struct SAPODataSandboxTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("sap/pyodata_check.py").path

    func check(_ mode: String, _ sandbox: SandboxProcess, _ arguments: [String] = []) throws -> [String: Any] {
        guard let python = Subprocess.which("python3") else { throw PyODataCheckFailure(description: "python3 is not on PATH") }
        let r = try Subprocess.run(python, [Self.script, mode, sandbox.url] + arguments)
        guard r.status == 0 else {
            throw PyODataCheckFailure(description: "pyodata_check.py \(mode) failed (\(r.status)); scripts/bootstrap installs pyodata:\n\(r.stderr)")
        }
        return try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any] ?? [:]
    }

    func probe(_ sandbox: SandboxProcess, _ path: String, method: String = "GET") throws -> (status: Int, contentType: String, body: String) {
        let r = try check("probe", sandbox, [path, method])
        return (r["status"] as? Int ?? 0, r["contentType"] as? String ?? "", r["body"] as? String ?? "")
    }

    static let set = "/sap/opu/odata/sap/API_BUSINESS_PARTNER/A_BusinessPartner"

    @Test func pyodataReadsEveryPartnerThroughSkiptokenPagesAndTopWindows() throws {
        let sandbox = try SandboxProcess(records: 600, extra: ["--sap-server-page-size", "47"])
        let r = try check("read", sandbox, ["600"])

        let all = r["all"] as? [String: Any] ?? [:]
        #expect(all["count"] as? Int == 600 && all["matches"] as? Bool == true)
        #expect(all["requests"] as? Int == 13)   // 12 pages of 47, then 36
        let firstNext = (all["firstNext"] as? String)?.removingPercentEncoding ?? ""
        #expect(firstNext.contains("$skiptoken=47") && firstNext.contains("sap-client=100") && firstNext.contains("$select=BusinessPartner"), "\(firstNext)")

        // Each $skip/$top window arrives whole over its __next chain, and the chain stops at the window's end.
        for w in r["windows"] as? [[String: Any]] ?? [] {
            #expect(w["matches"] as? Bool == true && w["got"] as? Int == w["expected"] as? Int, "\(w)")
        }
        let first = (r["windows"] as? [[String: Any]])?.first
        #expect(first?["got"] as? Int == 97 && first?["requests"] as? Int == 3)   // 47 + 47 + 3
        let paging = r["clientPaging"] as? [String: Any] ?? [:]
        #expect(paging["matches"] as? Bool == true && paging["windows"] as? Int == 7)

        let filtered = r["filtered"] as? [String: Any] ?? [:]
        #expect(filtered["count"] as? Int == 100 && filtered["matches"] as? Bool == true && filtered["requests"] as? Int == 3)
        #expect(r["count"] as? Int == 600)
        #expect(r["filteredCount"] as? Int == 100)
        #expect(r["countWithTop"] as? Int == 600)   // $top does not change /$count
        #expect(r["inlineCount"] as? Int == 600 && r["inlinePage"] as? Int == 5)

        let raw = r["raw"] as? [String: Any] ?? [:]
        #expect(raw["countType"] as? String == "str" && raw["count"] as? String == "600")
        #expect(raw["page"] as? Int == 47)
        let next = raw["next"] as? String ?? ""
        #expect(next.hasPrefix(sandbox.url + Self.set + "?"), "\(next)")
        for option in ["sap-client=100", "$format=json", "$select=BusinessPartner", "$top=97", "$inlinecount=allpages", "$skiptoken=47"] {
            #expect(next.contains(option), "\(option) missing from \(next)")
        }
        let count = r["rawCount"] as? [String: Any] ?? [:]
        #expect(count["status"] as? Int == 200 && (count["contentType"] as? String ?? "").hasPrefix("text/plain") && count["body"] as? String == "600")
    }

    @Test func twelveThousandPartnersOnDemandArriveBehindFortySevenRecordPages() throws {
        let sandbox = try SandboxProcess(records: 20)
        let switches = try sandbox.admin("/_sandbox/sap?records=12000&serverPageSize=47")
        #expect(switches["records"] as? Int == 12000 && switches["serverPageSize"] as? Int == 47)
        let r = try check("read", sandbox, ["12000"])
        let all = r["all"] as? [String: Any] ?? [:]
        #expect(all["count"] as? Int == 12000 && all["matches"] as? Bool == true)
        #expect(all["requests"] as? Int == 256)
        let paging = r["clientPaging"] as? [String: Any] ?? [:]
        #expect(paging["matches"] as? Bool == true && paging["count"] as? Int == 12000)
        #expect(r["count"] as? Int == 12000 && r["inlineCount"] as? Int == 12000)
        // Asked again, the switches still say 12,000.
        #expect(try probe(sandbox, "/_sandbox/sap", method: "POST").body.contains(#""records":12000"#))
    }

    @Test func withoutTheSwitchPagesAreCutAtThePageSizeWithSkipLinks() throws {
        let sandbox = try SandboxProcess(records: 300, pageSize: 100)
        var r = try check("read", sandbox, ["300"])
        var all = r["all"] as? [String: Any] ?? [:]
        #expect(all["matches"] as? Bool == true && all["requests"] as? Int == 3)
        var firstNext = all["firstNext"] as? String ?? ""
        #expect(firstNext.contains("skip=100") && !firstNext.contains("skiptoken"), "\(firstNext)")
        #expect((r["windows"] as? [[String: Any]] ?? []).allSatisfy { $0["matches"] as? Bool == true })

        // On, then off again.
        try sandbox.admin("/_sandbox/sap?serverPageSize=40")
        r = try check("read", sandbox, ["300"])
        all = r["all"] as? [String: Any] ?? [:]
        firstNext = all["firstNext"] as? String ?? ""
        #expect(all["matches"] as? Bool == true && all["requests"] as? Int == 8 && firstNext.contains("$skiptoken=40"), "\(firstNext)")
        let off = try sandbox.admin("/_sandbox/sap?serverPageSize=0")
        #expect(off["serverPageSize"] is NSNull)
        all = try check("read", sandbox, ["300"])["all"] as? [String: Any] ?? [:]
        #expect(all["requests"] as? Int == 3 && !(all["firstNext"] as? String ?? "").contains("skiptoken"))
    }

    @Test func countOffsetMakesBothCountsLieWhileTheDataStaysWhole() throws {
        let sandbox = try SandboxProcess(records: 50, extra: ["--sap-server-page-size", "20"])
        try sandbox.admin("/_sandbox/sap?countOffset=3")
        var r = try check("read", sandbox, ["50"])
        #expect((r["all"] as? [String: Any])?["count"] as? Int == 50)
        #expect(r["count"] as? Int == 53 && r["filteredCount"] as? Int == 53 && r["inlineCount"] as? Int == 53)
        #expect((r["raw"] as? [String: Any])?["count"] as? String == "53")
        try sandbox.admin("/_sandbox/sap?countOffset=-2")
        r = try check("read", sandbox, ["50"])
        #expect(r["count"] as? Int == 48 && r["inlineCount"] as? Int == 48)
    }

    @Test func aWrongClientIsRefusedInSAPsWordsUnlikeAWrongPassword() throws {
        let sandbox = try SandboxProcess(records: 5)
        let r = try check("logon", sandbox)
        let client = r["wrongClient"] as? [String: Any] ?? [:]
        let password = r["wrongPassword"] as? [String: Any] ?? [:]
        #expect(client["raised"] as? Bool == true && client["status"] as? Int == 401)
        #expect((client["body"] as? String ?? "").contains("Client 200 is not available in this system"))
        #expect(password["raised"] as? Bool == true && password["status"] as? Int == 401)
        #expect((password["body"] as? String ?? "").contains("Name or password is incorrect"))
        #expect(!(password["body"] as? String ?? "").contains("Client"))
        #expect((client["wwwAuthenticate"] as? String ?? "").hasPrefix("Basic realm="))
        #expect((r["noClient"] as? [String: Any])?["status"] as? Int == 200)   // the default client
    }

    @Test func metadataNamesAKeyForEveryEntityType() throws {
        let sandbox = try SandboxProcess(records: 5)
        let r = try check("metadata", sandbox)
        let types = r["entityTypes"] as? [String: [String]] ?? [:]
        #expect(!types.isEmpty && types.values.allSatisfy { !$0.isEmpty }, "\(types)")
        #expect(types["A_BusinessPartnerType"] == ["BusinessPartner"])
        #expect(r["entitySets"] as? [String: String] == ["A_BusinessPartner": "A_BusinessPartnerType"])
    }

    @Test func malformedOptionsAndSwitchesAreRefusedNamingWhatIsWrong() throws {
        let sandbox = try SandboxProcess(records: 5)
        for (query, word) in [("$top=-1", "$top"), ("$skip=x", "$skip"), ("$inlinecount=some", "$inlinecount"),
                              ("$expand=to_BusinessPartnerAddress", "$expand"), ("$skiptoken=later", "$skiptoken"),
                              ("$orderby=Nope", "Nope")] {
            let r = try probe(sandbox, Self.set + "?sap-client=100&$format=json&" + query)
            #expect(r.status == 400, "\(query): \(r)")
            let error = (try? JSONSerialization.jsonObject(with: Data(r.body.utf8)) as? [String: Any])?["error"] as? [String: Any] ?? [:]
            let message = error["message"] as? [String: Any] ?? [:]
            #expect(message["lang"] as? String == "en" && (message["value"] as? String ?? "").contains(word), "\(query): \(r.body)")
            let inner = error["innererror"] as? [String: Any] ?? [:]
            #expect((inner["transactionid"] as? String)?.count == 32 && (inner["errordetails"] as? [Any])?.count == 1, "\(r.body)")
        }
        let bad = try probe(sandbox, "/_sandbox/sap?serverPageSize=many", method: "POST")
        #expect(bad.status == 400 && bad.body.contains("serverPageSize"))
        #expect(try probe(sandbox, Self.set + "/$nothing").status == 404)
    }
}

struct PyODataCheckFailure: Error, CustomStringConvertible {
    let description: String
}
