import Foundation
import Testing
import FlowlineTestSupport

/// flowline-sandbox's Marketo limits and Bulk Extract, and its Salesforce Bulk API 2.0 query jobs, read by
/// the vendors' and community's own clients (marketorestpython, simple-salesforce; scripts in
/// vendorclients/): every record arrives, the documented refusals happen where the docs say, and bulk
/// files hold the same values as the REST APIs.
@Suite struct MarketoAndBulkSandboxTests {
    /// Runs vendorclients/`name` against the sandbox; its last line of output is a JSON object of facts.
    func client(_ name: String, _ sandbox: SandboxProcess, _ arguments: [String] = []) throws -> [String: Any] {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("vendorclients/\(name)").path
        let result = try Subprocess.run(Subprocess.which("python3") ?? "/usr/bin/python3", [script, sandbox.url] + arguments)
        guard result.status == 0 else {
            throw VendorClientFailure(description: "\(name) \(arguments) failed (\(result.status)); scripts/bootstrap installs marketorestpython and simple-salesforce:\n\(result.stderr)")
        }
        let line = result.stdout.split(separator: "\n").last.map(String.init) ?? "{}"
        return try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] ?? [:]
    }

    @Test("5,000 leads in one partition with 400 fields: 1003 by partition, 414 by GET, all of them by Bulk Extract and by POST _method=GET, same values")
    func marketoLeadsAtRealInstanceScale() throws {
        let sandbox = try SandboxProcess(records: 3000, extra: ["--marketo", "leads=5000&partitions=1&fields=400&matchLimit=on"])
        let facts = try client("marketo_client.py", sandbox, ["leads"])
        #expect(facts["partitions"] as? [Int] == [1])
        #expect(facts["partitionCall"] as? String == "1003")
        #expect(facts["fields"] as? Int == 400)
        #expect(facts["wideGetStatus"] as? Int == 414)
        #expect((facts["wideGetUrlBytes"] as? Int ?? 0) > 8 * 1024)
        #expect(facts["longWindow"] as? String == "1003")
        let generated = Array(1001...6000)
        #expect(facts["bulkIds"] as? [Int] == generated)
        #expect(facts["restIds"] as? [Int] == generated)
        #expect(facts["duplicates"] as? Int == 0)
        let jobs = facts["jobs"] as? [[String: Any]] ?? []
        #expect(jobs.count == 3)
        for job in jobs {
            #expect((job["statuses"] as? [String])?.last == "Completed")
            #expect(job["checksumOk"] as? Bool == true && job["sizeOk"] as? Bool == true && job["numberOfRecordsOk"] as? Bool == true)
        }
        #expect(facts["compared"] as? Int == 5000 * 400)
        #expect((facts["mismatches"] as? [Any])?.isEmpty == true, "\(facts["mismatches"] ?? "")")
    }

    @Test("Activities by Bulk Extract are the activities of the REST paging tokens, with the documented columns")
    func marketoActivitiesByBulkExtract() throws {
        let sandbox = try SandboxProcess(records: 3000)
        let facts = try client("marketo_client.py", sandbox, ["activities"])
        #expect(facts["restIds"] as? [Int] == Array(50_001...53_000))
        #expect(facts["bulkCount"] as? Int == 3000)
        #expect(facts["columns"] as? [String] == ["marketoGUID", "leadId", "activityDate", "activityTypeId", "campaignId",
                                                   "primaryAttributeValueId", "primaryAttributeValue", "attributes"])
        #expect(facts["compared"] as? Int == 3000 * 6)
        #expect((facts["mismatches"] as? [Any])?.isEmpty == true, "\(facts["mismatches"] ?? "")")
        for job in facts["jobs"] as? [[String: Any]] ?? [] {
            #expect(job["checksumOk"] as? Bool == true && job["numberOfRecordsOk"] as? Bool == true)
        }
    }

    @Test("Export jobs: 10 in the queue, 2 processing, byte ranges, a plain 404 before completion, the daily export quota; header-only tokens")
    func marketoExportLimits() throws {
        let sandbox = try SandboxProcess(records: 2000)
        let facts = try client("marketo_client.py", sandbox, ["queue"])
        let enqueueErrors = facts["enqueueErrors"] as? [Any] ?? []
        #expect(enqueueErrors.count == 11)
        #expect(enqueueErrors.prefix(10).allSatisfy { $0 is NSNull })
        #expect(enqueueErrors.last as? String == "Too many jobs in queue")
        #expect((facts["enqueueAgain"] as? [String: String]) == ["code": "1029", "message": "Job already queued"])
        let first = facts["statusesAfterOnePoll"] as? [String] ?? []
        #expect(first.filter { $0 == "Processing" }.count == 2 && first.filter { $0 == "Queued" }.count == 8)
        #expect(facts["mostProcessing"] as? Int == 2)
        #expect(facts["finalStatuses"] as? [String] == Array(repeating: "Completed", count: 10))
        let range = facts["range"] as? [String: Any] ?? [:]
        #expect(range["status"] as? [Int] == [206, 206])
        #expect((range["contentRange"] as? String)?.hasPrefix("bytes 0-99/") == true)
        #expect(range["acceptRanges"] as? String == "bytes")
        #expect(range["joined"] as? Bool == true)
        #expect(facts["notCompletedFile"] as? Int == 404)
        #expect(facts["cancelled"] as? String == "Cancelled")
        #expect(facts["quota"] as? [String] == ["1029", "Export daily quota exceeded"])
        #expect((facts["tokenInQuery"] as? [[String: String]])?.first?["code"] == "601")
        #expect(facts["tokenInHeader"] as? Bool == true)
    }

    @Test("With the rate limit on: the 11th concurrent call is 615, the 101st call in 20 s is 606, a used-up daily quota is 607")
    func marketoRateAndConcurrencyLimits() throws {
        let sandbox = try SandboxProcess(records: 300, extra: ["--marketo", "rateLimit=on"])
        let facts = try client("marketo_client.py", sandbox, ["rate"])
        #expect(facts["held"] as? [Bool] == Array(repeating: true, count: 10))
        #expect((facts["eleventh"] as? [[String: String]])?.first?["code"] == "615")
        #expect((facts["refusal"] as? [String: String]) == ["code": "606", "message": "Max rate limit '100' exceeded with in '20' secs"])
        // Ten held calls and 90 more make the 100 of the window; the 101st is refused.
        #expect(facts["okBeforeRefusal"] as? Int == 90)
        #expect(facts["client606"] as? String == "606")
        #expect(facts["clientAfterWindow"] as? [Int] == [1001, 1002])
        #expect(facts["quota"] as? [String] == ["607", "Daily quota reached"])
    }

    @Test("A Marketo setting the sandbox does not know stops it at start, naming the setting")
    func marketoBadSettingRefused() throws {
        let result = try Subprocess.run(SandboxProcess.binary, ["--port", "0", "--marketo", "matchLimit=on&rateLimits=on"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("rateLimits"), "\(result.stderr)")
    }

    @Test("Bulk API 2.0 query jobs read by simple-salesforce: every record, queryAll with deleted ones, REST's values, documented refusals")
    func salesforceBulkQueryJobs() throws {
        let sandbox = try SandboxProcess(records: 3000)
        let facts = try client("salesforce_bulk_client.py", sandbox)
        let all = (0..<3000).map { String(format: "001%012d", $0) }
        let live = (0..<3000).filter { $0 % 50 != 49 }.map { String(format: "001%012d", $0) }
        #expect(facts["accountIds"] as? [String] == live)
        #expect(facts["restIds"] as? [String] == live)
        #expect(facts["accountIdsAll"] as? [String] == all)
        #expect(facts["restIdsAll"] as? [String] == all)
        #expect(facts["pages"] as? [Int] == [1000, 1000, 940])
        #expect(facts["header"] as? [String] == ["Id", "Name", "Industry", "AnnualRevenue", "NumberOfEmployees", "Description",
                                                  "IsDeleted", "CreatedDate", "LastModifiedDate", "SystemModstamp"])
        #expect(facts["accountCompared"] as? Int == 3000 * 10)
        #expect((facts["accountMismatches"] as? [Any])?.isEmpty == true, "\(facts["accountMismatches"] ?? "")")
        #expect(facts["opportunities"] as? Int == 3000)
        #expect((facts["opportunityMismatches"] as? [Any])?.isEmpty == true, "\(facts["opportunityMismatches"] ?? "")")
        #expect(facts["nullAmounts"] as? Int == 3000 / 40)
        #expect(facts["relatedHeader"] as? [String] == ["Id", "AccountId", "Account.Name"])
        #expect((facts["relatedRows"] as? Int ?? 0) > 0)
        #expect((facts["relatedWrong"] as? [Any])?.isEmpty == true)
        let refusals = facts["refusals"] as? [String: [Any]] ?? [:]
        for name in ["count", "groupBy", "offset", "nested", "fields", "compound", "typeof"] {
            #expect(refusals[name]?.first as? Int == 400 && refusals[name]?.last as? String == "INVALIDJOB", "\(name): \(refusals[name] ?? [])")
        }
        #expect(refusals["unknownField"]?.last as? String == "INVALID_FIELD")
        #expect(facts["created"] as? String == "UploadComplete")
        #expect(facts["early"] as? Int == 412)
        #expect(facts["states"] as? [String] == ["UploadComplete", "InProgress", "JobComplete"])
        #expect((facts["locators"] as? [String])?.last == "null")
        #expect(facts["counts"] as? [Int] == [700, 700, 700, 700, 200])
        #expect(facts["otherVersion"] as? Int == 409)
        #expect(facts["abort"] as? String == "Aborted")
        #expect(facts["abortedResults"] as? Int == 412)
        #expect(facts["delete"] as? Int == 204)
        #expect(facts["afterDelete"] as? Int == 404)
    }
}

struct VendorClientFailure: Error, CustomStringConvertible {
    let description: String
}
