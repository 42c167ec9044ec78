import Foundation
import Testing
@testable import FlowlineCore

/// Text becomes the nearest double, as strtod, Python's `float` and pyarrow read it.
@Suite struct DoubleParsingTests {
    /// Texts whose nearest double the old Decimal-based path missed, and the fast path's edges.
    static let texts = [
        "0.4161", "0.1", "0.3", "123.45", "-2.675", "1.005", "9007199254740993", "0.000001", "99999.99",
        "12345678901234567890.5", "1e-7", "2.5E3", "+1.5", ".5", "7.", "-0.0", "0.1234567890123456789012",
        "4.35", "1.7976931348623157e308", "5e-324", " 8.8 ", "1234567.891",
    ]

    @Test(arguments: texts)
    func textIsTheNearestDouble(_ text: String) throws {
        let reference = try #require(Double(text.trimmingCharacters(in: .whitespaces)))   // strtod, C locale
        let parsed = try #require(ValueConversion.double(.string(text)))
        #expect(parsed.bitPattern == reference.bitPattern, "\(text): \(parsed) instead of \(reference)")
    }

    @Test func fourSixOneRoundTripsExactly() {
        #expect(ValueConversion.double(.string("0.4161")) == 0.4161)
        #expect(ValueConversion.double(.string("0.4161"))?.description == "0.4161")
        #expect(ValueConversion.double(.decimal(Decimal(string: "0.4161")!)) == 0.4161)
    }

    @Test(arguments: ["nan", "inf", "-Infinity", "0x1p3", "1e", "", "1.2.3", "e5", "1,5"])
    func nonNumbersAreRefused(_ text: String) {
        #expect(ValueConversion.double(.string(text)) == nil)
    }
}
