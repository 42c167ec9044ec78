import Foundation
import Testing
import FlowlineCore
@testable import FlowlineFormats

/// Reads a whole JSON-lines file with `JSONLinesReader`.
func readAllJSONLines(_ path: String, options: JSONLinesReadOptions = JSONLinesReadOptions(),
                      maxRows: Int = 1000) throws -> (schema: Schema, rows: [[Value]], malformed: [MalformedRow], reader: JSONLinesReader) {
    let reader = try JSONLinesReader(path: path, options: options)
    var rows: [[Value]] = []
    var malformed: [MalformedRow] = []
    while let chunk = try reader.next(maxRows: maxRows) {
        rows += chunk.batch.rows
        malformed += chunk.malformedRows
    }
    return (reader.schema, rows, malformed, reader)
}

@Suite struct JSONLinesReaderTests {
    @Test func infersSchemaInFirstSeenOrderAndConvertsValues() throws {
        let dir = try TemporaryDirectory()
        let text = """
        {"id": 1, "name": "Zoë", "score": 2, "ok": true, "meta": {"a": [1, 2]}, "gone": null}
        {"id": 2, "name": "esc \\"q\\" \\n \\u00e9 \\ud83d\\ude80", "score": 2.5, "ok": false, "tags": ["x"], "meta": [ ]}

        {"name": null, "id": -9223372036854775808, "extra_in_window": 1}\r
          {"id": 3}
        """
        let path = try dir.file("infer.jsonl", text: text)
        let result = try readAllJSONLines(path)
        #expect(result.schema == Schema([
            Field(name: "id", type: .int), Field(name: "name", type: .string), Field(name: "score", type: .double),
            Field(name: "ok", type: .bool), Field(name: "meta", type: .string), Field(name: "gone", type: .string),
            Field(name: "tags", type: .string), Field(name: "extra_in_window", type: .int),
        ]))
        #expect(result.malformed.isEmpty)
        #expect(result.rows == [
            [.int(1), .string("Zoë"), .double(2), .bool(true), .string("{\"a\": [1, 2]}"), .null, .null, .null],
            [.int(2), .string("esc \"q\" \n é 🚀"), .double(2.5), .bool(false), .string("[ ]"), .null, .string("[\"x\"]"), .null],
            [.int(.min), .null, .null, .null, .null, .null, .null, .int(1)],
            [.int(3), .null, .null, .null, .null, .null, .null, .null],
        ])
        #expect(result.reader.bytesRead == Int64(text.utf8.count))
    }

    @Test func keysFirstSeenAfterTheInferenceWindowAreIgnored() throws {
        let dir = try TemporaryDirectory()
        let text = "{\"a\": 1}\n{\"a\": 2}\n{\"a\": 3, \"late\": \"x\"}\n"
        var options = JSONLinesReadOptions()
        options.inferenceRows = 2
        let result = try readAllJSONLines(try dir.file("late.jsonl", text: text), options: options)
        #expect(result.schema.names == ["a"])
        #expect(result.rows == [[.int(1)], [.int(2)], [.int(3)]])
    }

    @Test func mixedTypesWidenOrBecomeText() throws {
        let dir = try TemporaryDirectory()
        let text = """
        {"n": 1, "mixed": 1, "flag": true, "s": "x"}
        {"n": 1.5, "mixed": "two", "flag": false, "s": 7}
        """
        let result = try readAllJSONLines(try dir.file("mixed.jsonl", text: text))
        #expect(result.schema.fields.map(\.type) == [.double, .string, .bool, .string])
        #expect(result.rows == [
            [.double(1), .string("1"), .bool(true), .string("x")],
            [.double(1.5), .string("two"), .bool(false), .string("7")],
        ])
    }

    @Test func valuesThatDoNotFitTheInferredTypeAreMalformedRows() throws {
        let dir = try TemporaryDirectory()
        let text = """
        {"i": 1, "d": 0.5, "b": true}
        {"i": 2.0, "d": 3, "b": false}
        {"i": 2.5, "d": 1, "b": true}
        {"i": "x", "d": 1, "b": true}
        {"i": 4, "d": 9007199254740993, "b": true}
        {"i": 5, "d": 1, "b": 1}
        {"i": 6, "d": 1, "b": null}
        {"i": 99999999999999999999, "d": 1, "b": true}
        """
        var options = JSONLinesReadOptions()
        options.inferenceRows = 1
        let result = try readAllJSONLines(try dir.file("fit.jsonl", text: text), options: options)
        #expect(result.rows == [
            [.int(1), .double(0.5), .bool(true)],
            [.int(2), .double(3), .bool(false)],
            [.int(6), .double(1), .null],
        ])
        #expect(result.malformed.map(\.line) == [3, 4, 5, 6, 8])
        #expect(result.malformed.map(\.reason) == [
            "key \"i\": expected int, found number 2.5",
            "key \"i\": expected int, found string",
            "key \"d\": expected double, found integer too large for a double",
            "key \"b\": expected bool, found number",
            "key \"i\": expected int, found number 99999999999999999999",
        ])
    }

    @Test func malformedLinesCarryLineNumbersAndGoodLinesSurvive() throws {
        let dir = try TemporaryDirectory()
        var bytes = Array("""
        {"a": 1, "b": "x"}
        {"a": 2, "b": }
        [1, 2]

        {"a": 3, "b": "y"} trailing
        {"a": 4, "b": "tab\there"}
        {"a": 5, "b": "\\ud800"}
        {"a": 6, "b": "ok"}
        {"a": 7, "b": "
        """.utf8)
        bytes += [0xFF, 0x22, 0x7D, 0x0A]       // line 9 ends: invalid UTF-8 byte, then "}
        bytes += Array("{\"a\": 8, \"b\": \"z\"}\n{\"a\": 9, \"b\": {\"deep\": [1, {\"x\": tru}]}}\n{\"a\": 10".utf8)
        let path = try dir.file("bad.jsonl", bytes: bytes)
        var options = JSONLinesReadOptions()
        options.inferenceRows = 3
        let result = try readAllJSONLines(path, options: options, maxRows: 2)
        #expect(result.schema == Schema([Field(name: "a", type: .int), Field(name: "b", type: .string)]))
        #expect(result.rows == [
            [.int(1), .string("x")], [.int(6), .string("ok")], [.int(8), .string("z")],
        ])
        #expect(result.malformed.map(\.line) == [2, 3, 5, 6, 7, 9, 11, 12])
        #expect(result.malformed.map(\.reason) == [
            "invalid JSON at byte 15: unexpected character '}'",
            "invalid JSON at byte 1: line is not a JSON object",
            "invalid JSON at byte 20: text after the object",
            "invalid JSON at byte 19: control character in string",
            "key \"b\": invalid UTF-8 or unpaired surrogate in string",
            "key \"b\": invalid UTF-8 or unpaired surrogate in string",
            "invalid JSON at byte 34: invalid literal",
            "invalid JSON at byte 9: expected ',' or '}'",
        ])
        #expect(result.malformed[0].raw == "{\"a\": 2, \"b\": }")
        // Python's json agrees on which lines are valid JSON at all.
        let script = """
        import json, sys
        bad = []
        for n, line in enumerate(open(sys.argv[1], 'rb').read().split(b'\\n'), 1):
            if not line.strip(): continue
            try:
                v = json.loads(line.decode('utf-8'))
                if not isinstance(v, dict): bad.append(n)
            except Exception:
                bad.append(n)
        print(json.dumps(bad))
        """
        let pythonBad = try runPython(script, path: path) as! [Int]
        // Line 7 (a lone surrogate escape) is valid to Python, which allows unpaired surrogates.
        #expect(pythonBad == [2, 3, 5, 6, 9, 11, 12])
    }

    @Test func explicitSchemaConvertsDecimalsDatesAndTimestamps() throws {
        let dir = try TemporaryDirectory()
        let text = """
        {"price": 12345678901234567890.125, "day": "2024-02-29", "at": "2024-02-29T12:34:56.5Z", "n": 1e3}
        {"price": "0.1", "day": "nope", "at": null, "n": 1}
        """
        var options = JSONLinesReadOptions()
        options.schema = Schema([
            Field(name: "price", type: .decimal), Field(name: "day", type: .date),
            Field(name: "at", type: .timestamp), Field(name: "n", type: .int),
        ])
        let result = try readAllJSONLines(try dir.file("typed.jsonl", text: text), options: options)
        #expect(result.rows == [[
            .decimal(Decimal(string: "12345678901234567890.125")!), .date(ValueFormat.parseDate("2024-02-29")!),
            .timestamp(ValueFormat.parseTimestamp("2024-02-29T12:34:56.5Z")!), .int(1000),
        ]])
        #expect(result.malformed.map(\.reason) == ["key \"day\": expected date, found string \"nope\""])
    }

    @Test func linesSpanningChunkBoundariesReadTheSameAtEveryChunkSize() throws {
        let dir = try TemporaryDirectory()
        let text = (0..<30).map { i in
            i % 6 == 5 ? "{\"i\": \(i), \"s\": oops}\r\n" : "{\"i\": \(i), \"s\": \"東京 \\\"\(i)\\\"\", \"o\": {\"k\": [\(i)]}}\r\n"
        }.joined()
        let path = try dir.file("spans.jsonl", text: text)
        let reference = try readAllJSONLines(path)
        #expect(reference.rows.count == 25)
        #expect(reference.malformed.map(\.line) == [6, 12, 18, 24, 30])
        for chunkSize in 16...90 {
            var options = JSONLinesReadOptions()
            options.chunkSize = chunkSize
            options.inferenceRows = 4
            let result = try readAllJSONLines(path, options: options, maxRows: 7)
            #expect(result.rows == reference.rows, "chunk size \(chunkSize)")
            #expect(result.malformed == reference.malformed, "chunk size \(chunkSize)")
        }
    }

    @Test func overlongLineIsSkippedWithoutLosingTheNextOnes() throws {
        let dir = try TemporaryDirectory()
        let text = "{\"a\": 1}\n{\"a\": \"" + String(repeating: "x", count: 5000) + "\"}\n{\"a\": 2}\n"
        var options = JSONLinesReadOptions()
        options.chunkSize = 64
        options.maxLineBytes = 300
        options.schema = Schema([Field(name: "a", type: .string)])
        let result = try readAllJSONLines(try dir.file("long.jsonl", text: text), options: options)
        #expect(result.rows == [[.string("1")], [.string("2")]])
        #expect(result.malformed.map(\.line) == [2])
        #expect(result.malformed.first?.reason == "line longer than 300 bytes")
    }

    @Test func emptyFileHasAnEmptySchemaAndNoRows() throws {
        let dir = try TemporaryDirectory()
        let result = try readAllJSONLines(try dir.file("empty.jsonl", text: "\n\n"))
        #expect(result.schema.fields.isEmpty)
        #expect(result.rows.isEmpty)
        #expect(result.malformed.isEmpty)
    }
}
