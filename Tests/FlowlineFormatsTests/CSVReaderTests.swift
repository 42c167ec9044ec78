import Foundation
import Testing
import FlowlineCore
@testable import FlowlineFormats

@Suite struct CSVReaderTests {
    @Test func readsQuotingLineEndingsBOMAndNonASCII() throws {
        let dir = try TemporaryDirectory()
        var bytes: [UInt8] = [0xEF, 0xBB, 0xBF]
        bytes += Array((
            "id,name,note\r\n" +
            "1,\"Smith, Jane\",\"she said \"\"hi\"\"\"\r\n" +
            "2,Zoë 東京,\"line one\nline two\"\n" +
            "3,,\"\"\r" +
            "4,\"\",\n" +
            "5,\"a\r\nb\",plain"
        ).utf8)
        let path = try dir.file("basic.csv", bytes: bytes)
        let result = try readAllCSV(path)
        #expect(result.schema == Schema([
            Field(name: "id", type: .string), Field(name: "name", type: .string), Field(name: "note", type: .string),
        ]))
        #expect(result.malformed.isEmpty)
        #expect(result.rows == [
            [.string("1"), .string("Smith, Jane"), .string("she said \"hi\"")],
            [.string("2"), .string("Zoë 東京"), .string("line one\nline two")],
            [.string("3"), .null, .string("")],
            [.string("4"), .string(""), .null],
            [.string("5"), .string("a\r\nb"), .string("plain")],
        ])
        #expect(result.reader.bytesRead == Int64(bytes.count))
        // Python's csv module agrees on every value (it shows null and "" both as "").
        let python = try pythonCSVRows(path)
        #expect(python.dropFirst().map { $0 } == result.rows.map { $0.map { $0.text ?? "" } })
    }

    @Test func skipsBlankLinesExceptInOneColumnFiles() throws {
        let dir = try TemporaryDirectory()
        let wide = try readAllCSV(try dir.file("wide.csv", text: "a,b\n1,2\n\n3,4\n\r\n"))
        #expect(wide.rows == [[.string("1"), .string("2")], [.string("3"), .string("4")]])
        #expect(wide.malformed.isEmpty)
        let narrow = try readAllCSV(try dir.file("narrow.csv", text: "a\nx\n\n\"\"\ny\n"))
        #expect(narrow.rows == [[.string("x")], [.null], [.string("")], [.string("y")]])
    }

    @Test func yieldsBatchesOfAtMostMaxRows() throws {
        let dir = try TemporaryDirectory()
        let text = "n\n" + (1...10).map { "\($0)\n" }.joined()
        let reader = try CSVReader(path: try dir.file("n.csv", text: text))
        var sizes: [Int] = []
        while let chunk = try reader.next(maxRows: 4) { sizes.append(chunk.batch.count) }
        #expect(sizes == [4, 4, 2])
        #expect(try reader.next(maxRows: 4) == nil)
    }

    @Test func headerErrorsAreClear() throws {
        let dir = try TemporaryDirectory()
        let duplicate = try dir.file("dup.csv", text: "a,b,a\n1,2,3\n")
        #expect(throws: CSVError.duplicateHeaderName(path: duplicate, name: "a", columns: [1, 3])) {
            try CSVReader(path: duplicate)
        }
        let empty = try dir.file("emptyname.csv", text: "a,,c\n")
        #expect(throws: CSVError.emptyHeaderName(path: empty, column: 2)) { try CSVReader(path: empty) }
        let quotedEmpty = try dir.file("quotedempty.csv", text: "a,\"\"\n")
        #expect(throws: CSVError.emptyHeaderName(path: quotedEmpty, column: 2)) { try CSVReader(path: quotedEmpty) }
        let nothing = try dir.file("nothing.csv", bytes: [])
        #expect(throws: CSVError.missingHeader(path: nothing)) { try CSVReader(path: nothing) }
        let bomOnly = try dir.file("bom.csv", bytes: [0xEF, 0xBB, 0xBF])
        #expect(throws: CSVError.missingHeader(path: bomOnly)) { try CSVReader(path: bomOnly) }
        let badQuote = try dir.file("badheader.csv", text: "a,\"b\nc\n")
        #expect(throws: CSVError.self) { try CSVReader(path: badQuote) }
        let missing = dir.path("absent.csv")
        #expect(throws: FileReadError.self) { try CSVReader(path: missing) }
        let header = try dir.file("headeronly.csv", text: "a,b\n")
        let result = try readAllCSV(header)
        #expect(result.schema.names == ["a", "b"])
        #expect(result.rows.isEmpty)
    }

    @Test func malformedRowsCarryLineNumbersAndGoodRowsSurvive() throws {
        let dir = try TemporaryDirectory()
        var bytes = Array((
            "id,text\n" +                       // line 1
            "1,ok\n" +                          // 2
            "2,\"spans\ntwo lines\"\n" +        // 3-4
            "3,too,many\n" +                    // 5
            "4\n" +                             // 6
            "5,ab\"c\n" +                       // 7  stray quote
            "6,\"ab\"cd\n" +                    // 8  text after closing quote
            "7,"
        ).utf8)
        bytes += [0xC3, 0x28]                   // 9  invalid UTF-8
        bytes += Array((
            "\n" +
            "8,\"fine\r\nagain\"\r\n" +         // 10-11
            "9,last good\n" +                   // 12
            "10,\"never closed\n" +             // 13 unterminated quote...
            "11,after\n"                        // 14 ...reading resumes here
        ).utf8)
        let path = try dir.file("bad.csv", bytes: bytes)
        let result = try readAllCSV(path, maxRows: 3)
        #expect(result.rows == [
            [.string("1"), .string("ok")],
            [.string("2"), .string("spans\ntwo lines")],
            [.string("8"), .string("fine\r\nagain")],
            [.string("9"), .string("last good")],
            [.string("11"), .string("after")],
        ])
        #expect(result.malformed.map(\.line) == [5, 6, 7, 8, 9, 13])
        #expect(result.malformed.map(\.reason) == [
            "expected 2 fields, found 3",
            "expected 2 fields, found 1",
            "quote inside unquoted field 2",
            "text after the closing quote of field 2",
            "invalid UTF-8 in field 2",
            "quoted field not closed before end of file",
        ])
        #expect(result.malformed[0].raw == "3,too,many")
        #expect(result.malformed[4].raw == "7,\u{FFFD}(")
        #expect(result.malformed[5].raw == "10,\"never closed")
    }

    @Test func unterminatedQuoteOnTheLastLine() throws {
        let dir = try TemporaryDirectory()
        let result = try readAllCSV(try dir.file("eof.csv", text: "a,b\n1,2\n3,\"open"))
        #expect(result.rows == [[.string("1"), .string("2")]])
        #expect(result.malformed == [MalformedRow(line: 3, reason: "quoted field not closed before end of file", raw: "3,\"open")])
    }

    @Test func truncatesRawTextOfLongMalformedRows() throws {
        let dir = try TemporaryDirectory()
        let long = String(repeating: "é", count: 100)
        var options = CSVReadOptions()
        options.maxRawBytes = 11
        let result = try readAllCSV(try dir.file("long.csv", text: "a\nx,\(long)\n"), options: options)
        // 11 bytes would split an "é"; the cut backs up to a character boundary.
        #expect(result.malformed.map(\.raw) == ["x,éééé…"])
    }

    @Test func oversizedRecordIsRejectedAndReadingResumes() throws {
        let dir = try TemporaryDirectory()
        let filler = String(repeating: "z", count: 300)
        let text = "a,b\n1,\"open quote\n" + (0..<20).map { "\(filler)\($0)\n" }.joined()
        var options = CSVReadOptions()
        options.chunkSize = 64
        options.maxRecordBytes = 1000
        let result = try readAllCSV(try dir.file("huge.csv", text: text), options: options)
        #expect(result.malformed.first?.line == 2)
        #expect(result.malformed.first?.reason.hasPrefix("record longer than 1000 bytes") == true)
        // Lines after the bad one are read again as records (each with one field: malformed width).
        #expect(result.malformed.dropFirst().map(\.line) == Array(3...22))

        // A single line longer than the limit with no line break inside the window.
        let oneLine = "a,b\n1,\"" + String(repeating: "q", count: 5000) + "\n2,ok\n"
        let single = try readAllCSV(try dir.file("oneline.csv", text: oneLine), options: options)
        #expect(single.malformed.map(\.line) == [2])
        #expect(single.rows == [[.string("2"), .string("ok")]])
    }

    /// Every chunk size from 16 bytes up puts some boundary inside a quoted newline, between a CR
    /// and its LF, between doubled quotes, and inside a multi-byte character.
    @Test func recordsSpanningChunkBoundariesReadTheSameAtEveryChunkSize() throws {
        let dir = try TemporaryDirectory()
        var text = "k,v,w\r\n"
        for i in 0..<40 {
            switch i % 5 {
            case 0: text += "\(i),\"multi\r\nline\",Ω\r\n"
            case 1: text += "\(i),\"q\"\"q\",\n"
            case 2: text += "\(i),,\"\"\r"
            case 3: text += "\(i),東京タワー,\"\n\"\r\n"
            default: text += "\(i),x\"y,z\n"  // malformed: stray quote
            }
        }
        let path = try dir.file("spans.csv", text: text)
        let reference = try readAllCSV(path)
        #expect(reference.rows.count == 32)
        #expect(reference.malformed.count == 8)
        for chunkSize in 16...97 {
            var options = CSVReadOptions()
            options.chunkSize = chunkSize
            let result = try readAllCSV(path, options: options, maxRows: 7)
            #expect(result.rows == reference.rows, "chunk size \(chunkSize)")
            #expect(result.malformed == reference.malformed, "chunk size \(chunkSize)")
        }
    }

    @Test func quotedNewlineExactlyAtAChunkBoundary() throws {
        let dir = try TemporaryDirectory()
        // The header is 4 bytes, so with 16-byte chunks byte 16 (the first of chunk two) is the
        // newline inside the quoted field, and the CR of the CRLF is the last byte of chunk one.
        let text = "a,b\n" + "1,\"01234567\r\n89\"\n2,z\n"
        #expect(Array(text.utf8)[15] == UInt8(ascii: "\r"))
        #expect(Array(text.utf8)[16] == UInt8(ascii: "\n"))
        var options = CSVReadOptions()
        options.chunkSize = 16
        let result = try readAllCSV(try dir.file("edge.csv", text: text), options: options)
        #expect(result.rows == [[.string("1"), .string("01234567\r\n89")], [.string("2"), .string("z")]])
        #expect(result.malformed.isEmpty)
    }

    @Test func largeFileAgreesWithPythonCSV() throws {
        let dir = try TemporaryDirectory()
        // Written by Python's csv module, so the input is independent of CSVWriter.
        let path = dir.path("large.csv")
        let script = """
        import csv, sys
        with open(sys.argv[1], 'w', newline='', encoding='utf-8') as f:
            w = csv.writer(f, lineterminator='\\r\\n')
            w.writerow(['id', 'text', 'num'])
            for i in range(30000):
                w.writerow([i, 'row %d, "quoted"\\nnext line é' % i if i % 7 == 0 else 'plain %d' % i, i * 1.5])
        print('null')
        """
        _ = try runPython(script, path: path)
        var options = CSVReadOptions()
        options.chunkSize = 4096
        let result = try readAllCSV(path, options: options, maxRows: 5000)
        let python = try pythonCSVRows(path)
        #expect(result.malformed.isEmpty)
        #expect(result.rows.count == 30000)
        #expect(result.rows.map { $0.map { $0.text ?? "" } } == Array(python.dropFirst()))
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as! Int
        #expect(result.reader.bytesRead == Int64(size))
    }
}
