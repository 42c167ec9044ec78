import Testing
@testable import FlowlineCore

@Suite struct TaskMaskTruncateTests {
    private func maskTask(_ op: String, _ properties: [String: String] = [:]) -> TaskSpec {
        TaskSpec(taskType: "Mask", sourceFields: ["Phone"], connectorOperator: op, destinationField: "Phone", properties: properties)
    }

    private func phones(_ tasks: [TaskSpec], _ values: [Value]) throws -> [Value] {
        try column(run([projection("Phone"), map("Phone")] + tasks, values.map { contact(["Phone": $0]) }), "Phone")
    }

    @Test func maskAllKeepsTheLength() throws {
        #expect(try phones([maskTask("MASK_ALL")], [.string("555-1234"), .string(""), .null]) == [.string("********"), .string(""), .null])
        #expect(try phones([maskTask("MASK_ALL", ["MASK_VALUE": "#"])], [.string("abc")]) == [.string("###")])
    }

    @Test func maskFirstAndLastN() throws {
        #expect(try phones([maskTask("MASK_FIRST_N", ["MASK_LENGTH": "3"])], [.string("555-1234"), .string("12")]) == [.string("***-1234"), .string("**")])
        #expect(try phones([maskTask("MASK_LAST_N", ["MASK_LENGTH": "4", "MASK_VALUE": "X"])], [.string("555-1234"), .string("1")])
            == [.string("555-XXXX"), .string("X")])
    }

    @Test func maskCountsCharactersAsPeopleSeeThem() throws {
        let decomposed = "Zoe\u{301}!"  // e + combining acute is one character
        let family = "👨‍👩‍👧‍👦🇫🇷ab"    // a ZWJ family and a flag are one character each
        #expect(try phones([maskTask("MASK_ALL")], [.string(decomposed)]) == [.string("****")])
        #expect(try phones([maskTask("MASK_FIRST_N", ["MASK_LENGTH": "2"])], [.string(family)]) == [.string("**ab")])
        #expect(try phones([maskTask("MASK_LAST_N", ["MASK_LENGTH": "2"])], [.string(decomposed)]) == [.string("Zo**")])
        #expect(try phones([maskTask("MASK_ALL", ["MASK_VALUE": "•"])], [.string("日本語")]) == [.string("•••")])
        #expect(TextMask.mask(family, .lastN(3), with: "*") == "👨‍👩‍👧‍👦***")
        #expect(TextMask.mask("a\r\nb", .all, with: "*") == "***")  // CR LF is one character
        #expect(TextMask.mask("a\r\nbc", .firstN(2), with: "#") == "##bc")
    }

    @Test func truncateKeepsTheFirstCharacters() throws {
        let truncate = TaskSpec(taskType: "Truncate", sourceFields: ["Phone"], connectorOperator: "NO_OP", properties: ["TRUNCATE_LENGTH": "3"])
        #expect(try phones([truncate], [.string("abcdef"), .string("ab"), .string("e\u{301}e\u{301}e\u{301}e\u{301}"), .string("🇯🇵🇫🇷🇩🇪🇮🇹"), .null])
            == [.string("abc"), .string("ab"), .string("e\u{301}e\u{301}e\u{301}"), .string("🇯🇵🇫🇷🇩🇪"), .null])
        #expect(TextMask.truncate("naïve", to: 3) == "naï")
    }

    @Test func maskingANumberGivesText() throws {
        let tasks = [projection("Qty"), map("Qty"), TaskSpec(taskType: "Mask", sourceFields: ["Qty"], connectorOperator: "MASK_LAST_N", properties: ["MASK_LENGTH": "2"])]
        let out = try run(tasks, [contact(["Qty": .int(12345)])])
        #expect(out.batch.schema.fields == [Field(name: "Qty", type: .string)])
        #expect(out.batch.rows == [[.string("123**")]])
    }

    @Test func maskWithANewDestinationKeepsTheOriginal() throws {
        let tasks = [projection("Email"), map("Email"),
                     TaskSpec(taskType: "Mask", sourceFields: ["Email"], connectorOperator: "MASK_FIRST_N", destinationField: "EmailMasked",
                              properties: ["MASK_LENGTH": "3"]),
                     TaskSpec(taskType: "Truncate", sourceFields: ["EmailMasked"], properties: ["TRUNCATE_LENGTH": "5"])]
        let out = try run(tasks, [contact(["Email": .string("ann@example.com")])])
        #expect(out.batch.schema.names == ["Email", "EmailMasked"])
        #expect(out.batch.rows == [[.string("ann@example.com"), .string("***@e")]])
    }

    @Test func maskAppliesToTheMappedDestination() throws {
        let tasks = [projection("Phone"), map("Phone", to: "Tel"),
                     TaskSpec(taskType: "Mask", sourceFields: ["Phone"], connectorOperator: "MASK_ALL", destinationField: "Tel")]
        let out = try run(tasks, [contact(["Phone": .string("12")])])
        #expect(out.batch.schema.names == ["Tel"])
        #expect(out.batch.rows == [[.string("**")]])
    }
}
