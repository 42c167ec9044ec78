import Testing
@testable import FlowlineCore

/// Guessing a text column's type from its values: the narrowest type every value converts to, and
/// text whenever a conversion would change a value's characters.
@Suite struct FieldTypeSamplerTests {
    static func guess(_ values: [String?]) -> FieldType {
        var sampler = FieldTypeSampler()
        for value in values { sampler.add(value.map(Value.string) ?? .null) }
        return sampler.type
    }

    @Test("Whole numbers, numbers, dates, date-times and booleans are recognised; nulls are skipped")
    func recognised() {
        #expect(Self.guess(["1", "-20", "0", nil, "300"]) == .int)
        #expect(Self.guess(["1000", "470.65", "999.59", "-0.5"]) == .double)
        #expect(Self.guess(["2025-01-31", "2024-02-29"]) == .date)
        #expect(Self.guess(["2025-03-04T05:06:07Z", "2025-03-04 05:06:07.5+02:00"]) == .timestamp)
        #expect(Self.guess(["2025-03-04", "2025-03-04T05:06:07Z"]) == .timestamp)
        #expect(Self.guess(["true", "false", nil]) == .bool)
    }

    @Test("Text a conversion would change stays text: leading zeros, plus signs, exponents, spaces, empty strings, long digit runs")
    func keptAsText() {
        for values in [["00123", "12"], ["+5"], ["1e3"], [" 42"], ["12", ""], ["12345678901234567.5"], ["1.", "2"], ["2024-02-30"],
                       ["1", "true"], ["TRUE"], ["1710072000000", "2025-01-01"], ["n/a", "12"]] as [[String?]] {
            #expect(Self.guess(values) == .string, "\(values)")
        }
        #expect(Self.guess([]) == .string)
        #expect(Self.guess([nil, nil]) == .string)
    }

    @Test("Typed values keep their own type; mixed types are text")
    func typedValues() {
        var sampler = FieldTypeSampler()
        sampler.add(.int(3)); sampler.add(.int(4))
        #expect(sampler.type == .int)
        sampler.add(.double(1.5))
        #expect(sampler.type == .string)
    }
}
