import Foundation
import Testing
@testable import FlowlineAPI

@Suite struct TimestampTests {
    /// What Python (and so the AWS CLI v1 with cli_timestamp_format = iso8601) prints for these epoch seconds.
    func pythonISO(_ seconds: [Double]) throws -> [String] {
        let script = "import sys, datetime\nfor a in sys.argv[1:]: print(datetime.datetime.fromtimestamp(float(a), datetime.timezone.utc).isoformat())"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script] + seconds.map { String($0) }
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: output, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    func record(_ startedAt: String) throws -> AppFlow.ExecutionRecord {
        try AppFlowJSON.decode(AppFlow.ExecutionRecord.self, from: Data(#"{"executionId":"e1","startedAt":\#(startedAt)}"#.utf8))
    }

    @Test func decodesEpochSecondsAndISO8601() throws {
        let expected = Date(timeIntervalSince1970: 1_626_798_632.123)
        for form in ["1626798632.123", #""2021-07-20T16:30:32.123000+00:00""#, #""2021-07-20T16:30:32.123Z""#,
                     #""2021-07-20T18:30:32.123+02:00""#] {
            let startedAt = try #require(try record(form).startedAt)
            #expect(abs(startedAt.timeIntervalSince1970 - expected.timeIntervalSince1970) < 0.000_5, "\(form)")
        }
        #expect(try record(#""2021-07-20T16:30:32Z""#).startedAt == Date(timeIntervalSince1970: 1_626_798_632))
        #expect(try record("1626798632").startedAt == Date(timeIntervalSince1970: 1_626_798_632))
    }

    @Test func rejectsBadTimestamps() {
        #expect(throws: AppFlowError.validation("Invalid timestamp 'yesterday' for member 'startedAt': expected epoch seconds or an ISO 8601 date-time")) {
            try record(#""yesterday""#)
        }
        #expect(throws: AppFlowError.self) { try record("true") }
    }

    @Test func encodesBothForms() throws {
        let record = AppFlow.ExecutionRecord(executionId: "e1", startedAt: Date(timeIntervalSince1970: 1_626_798_632.123))
        let wire = try JSONValue.parse(AppFlowJSON.encode(record, timestamps: .epochSeconds))
        #expect(wire["startedAt"] == .number(1_626_798_632.123))
        #expect(String(decoding: AppFlowJSON.encode(record, timestamps: .iso8601), as: UTF8.self)
            == #"{"executionId":"e1","startedAt":"2021-07-20T16:30:32.123000+00:00"}"#)
    }

    @Test func iso8601MatchesWhatTheAWSCLIPrints() throws {
        let samples: [Double] = [1_626_798_632.123, 1_626_798_632, 0, 951_782_400.5, 4_102_444_799.999999, -86_400.25]
        let ours = samples.map { Timestamp.iso8601(Date(timeIntervalSince1970: $0)) }
        #expect(ours == (try pythonISO(samples)))
    }
}
