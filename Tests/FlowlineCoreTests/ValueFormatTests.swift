import Foundation
import Testing
@testable import FlowlineCore

@Suite struct ValueFormatTests {
    @Test(arguments: ["1970-01-01", "2024-02-29", "1969-12-31", "0001-01-01", "9999-12-31", "2000-03-01", "1900-02-28"])
    func dateRoundTrips(_ text: String) throws {
        let days = try #require(ValueFormat.parseDate(Substring(text)))
        #expect(ValueFormat.dateString(days: days) == text)
    }

    @Test func knownDates() {
        #expect(ValueFormat.parseDate("1970-01-01") == 0)
        #expect(ValueFormat.parseDate("1970-01-02") == 1)
        #expect(ValueFormat.parseDate("1969-12-31") == -1)
        #expect(ValueFormat.parseDate("2000-01-01") == 10_957)
    }

    @Test(arguments: ["2023-02-29", "2024-02-30", "2024-04-31", "1900-02-29", "2024-13-01", "2024-00-10", "2024-01-00",
                      "2024-1-01", "2024/01/01", "abcd-ef-gh", ""])
    func impossibleDatesAreRefused(_ text: String) {
        #expect(ValueFormat.parseDate(Substring(text)) == nil)
    }

    @Test(arguments: [
        "1970-01-01T00:00:00Z", "2024-02-29T23:59:59Z", "1969-12-31T23:59:59.999999Z", "2021-06-15T08:30:00.5Z",
        "1900-01-01T12:00:00Z", "2038-01-19T03:14:08.000001Z",
    ])
    func timestampRoundTrips(_ text: String) throws {
        let micros = try #require(ValueFormat.parseTimestamp(Substring(text)))
        let again = ValueFormat.timestampString(micros: micros)
        #expect(ValueFormat.parseTimestamp(Substring(again)) == micros)
        if text.hasSuffix(".5Z") { #expect(again == "2021-06-15T08:30:00.500000Z") } else { #expect(again == text) }
    }

    @Test func timestampForms() {
        let base = ValueFormat.parseTimestamp("2024-03-10T12:00:00Z")
        #expect(base == 1_710_072_000_000_000)
        #expect(ValueFormat.parseTimestamp("2024-03-10 12:00:00") == base)
        #expect(ValueFormat.parseTimestamp("2024-03-10T12:00") == base)
        #expect(ValueFormat.parseTimestamp("2024-03-10T14:00:00+02:00") == base)
        #expect(ValueFormat.parseTimestamp("2024-03-10T14:00:00+0200") == base)
        #expect(ValueFormat.parseTimestamp("2024-03-10T07:30:00-04:30") == base)
        #expect(ValueFormat.parseTimestamp("2024-03-10T14:00:00+02") == base)
        #expect(ValueFormat.parseTimestamp("2024-03-10T12:00:00.123456789Z") == base! + 123_456)
        #expect(ValueFormat.parseTimestamp("2024-03-10") == 1_710_028_800_000_000)
    }

    @Test(arguments: ["2024-03-10T25:00:00Z", "2024-03-10T12:60:00Z", "2024-03-10T12:00:00+02:", "2024-03-10T12:00:00+25:00",
                      "2024-03-10T12:00:00+02:60", "2024-03-10T12:00:00Zjunk", "2024-03-10T12", "2024-02-30T00:00:00Z",
                      "2024-03-10T12:00:00.Z"])
    func malformedTimestampsAreRefused(_ text: String) {
        #expect(ValueFormat.parseTimestamp(Substring(text)) == nil)
    }

    /// Python's datetime reads back what ValueFormat writes, to the microsecond.
    @Test func pythonReadsTimestampsBack() throws {
        var micros: [Int64] = [0, -1, 1, 86_400_000_000 - 1, -86_400_000_000, 951_782_400_000_000, 4_102_444_800_123_456, -2_208_988_800_000_000]
        var x: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<200 {
            x = x &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            micros.append(Int64(bitPattern: x >> 1) % 253_402_300_799_000_000)  // before year 10000
        }
        micros = micros.map { $0 < -62_135_596_800_000_000 ? -$0 : $0 }  // not before year 1
        let lines = micros.map { "\(ValueFormat.timestampString(micros: $0)) \($0)" }.joined(separator: "\n")
        let script = """
        import sys, datetime
        epoch = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
        bad = 0
        for line in sys.stdin.read().splitlines():
            text, micros = line.split(' ')
            t = datetime.datetime.fromisoformat(text.replace('Z', '+00:00'))
            d = t - epoch
            got = (d.days * 86400 + d.seconds) * 1000000 + d.microseconds
            if got != int(micros):
                bad += 1
                print(text, micros, got)
        print('bad', bad)
        """
        let output = try runPython(script, input: lines)
        #expect(output.hasSuffix("bad 0\n"), "\(output)")
    }
}

/// Runs python3 with `script`, feeding `input` on stdin; returns stdout.
func runPython(_ script: String, input: String) throws -> String {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["python3", "-c", script]
    let stdin = Pipe(), stdout = Pipe()
    p.standardInput = stdin
    p.standardOutput = stdout
    try p.run()
    stdin.fileHandleForWriting.write(Data(input.utf8))
    try stdin.fileHandleForWriting.close()
    let data = stdout.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return String(decoding: data, as: UTF8.self)
}
