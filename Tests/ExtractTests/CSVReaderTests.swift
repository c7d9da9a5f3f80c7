import Foundation
import Testing

@testable import Extract

/// Writes `bytes` to a fresh temporary file and returns its path.
func temporaryFile(_ bytes: [UInt8], suffix: String = ".csv") throws -> String {
    let path = FileManager.default.temporaryDirectory
        .appendingPathComponent("crmbridge-\(UUID().uuidString)\(suffix)").path
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    return path
}

func gb18030(_ text: String) -> [UInt8] {
    Array(text.data(using: String.Encoding(rawValue: 0x8000_0632))!)
}

func readAll(_ path: String, _ options: CSVReader.Options = .init()) throws -> (CSVReader, [ReadResult]) {
    let reader = try CSVReader(path: path, options: options)
    var results: [ReadResult] = []
    while let next = try reader.next() { results.append(next) }
    return (reader, results)
}

extension ReadResult {
    var record: SourceRecord? { if case .record(let r) = self { r } else { nil } }
    var problem: UnreadableRecord? { if case .unreadable(let p) = self { p } else { nil } }
    var line: Int {
        switch self {
        case .record(let r): if case .line(let n) = r.locator { n } else { -1 }
        case .unreadable(let p): if case .line(let n) = p.locator { n } else { -1 }
        }
    }
}

@Suite struct CSVReaderTests {
    @Test func readsGB18030WithChineseHeadersAndCRLF() throws {
        let text = "客户编号,联系人,手机\r\nKH1,张伟,13800138000\r\nKH2,单天方,13900139000\r\n"
        let path = try temporaryFile(gb18030(text))
        let (reader, results) = try readAll(path)
        #expect(reader.encoding == .gb18030)
        #expect(reader.columns == ["客户编号", "联系人", "手机"])
        #expect(results.compactMap(\.record).map(\.values) == [["KH1", "张伟", "13800138000"], ["KH2", "单天方", "13900139000"]])
        #expect(results.map(\.line) == [2, 3])
    }

    @Test func stripsTheUTF8ByteOrderMarkFromTheFirstHeader() throws {
        let path = try temporaryFile([0xEF, 0xBB, 0xBF] + Array("id,name\n1,张伟\n".utf8))
        let (reader, results) = try readAll(path)
        #expect(reader.encoding == .utf8)
        #expect(reader.columns == ["id", "name"])
        #expect(results.first?.record?.values == ["1", "张伟"])
    }

    @Test func readsUTF16LittleEndianWithTabs() throws {
        let text = "\u{FEFF}id\tname\tphone\n1\t欧阳丹娜\t138 0013 8000\n"
        var bytes: [UInt8] = []
        for unit in text.utf16 { bytes.append(UInt8(unit & 0xFF)); bytes.append(UInt8(unit >> 8)) }
        let (reader, results) = try readAll(try temporaryFile(bytes))
        #expect(reader.encoding == .utf16le)
        #expect(reader.delimiter == UInt8(ascii: "\t"))
        #expect(reader.columns == ["id", "name", "phone"])
        #expect(results.first?.record?.values == ["1", "欧阳丹娜", "138 0013 8000"])
    }

    @Test func detectsSemicolonsAndKeepsQuotedOnes() throws {
        let path = try temporaryFile(Array("id;name;note\n1;张伟;\"a;b\"\n".utf8))
        let (reader, results) = try readAll(path)
        #expect(reader.delimiter == UInt8(ascii: ";"))
        #expect(results.first?.record?.values == ["1", "张伟", "a;b"])
    }

    @Test func quotedNewlinesCountTowardsLineNumbers() throws {
        let text = "id,note\n1,\"two\nlines\"\n2,\"say \"\"hi\"\", ok\"\n3,plain\n"
        let (_, results) = try readAll(try temporaryFile(Array(text.utf8)))
        #expect(results.map(\.line) == [2, 4, 5])
        #expect(results[0].record?.values == ["1", "two\nlines"])
        #expect(results[1].record?.values == ["2", "say \"hi\", ok"])
    }

    @Test func keepsBlanksAroundValues() throws {
        let (_, results) = try readAll(try temporaryFile(Array("id,name\n1, 张伟 \n".utf8)))
        #expect(results.first?.record?.values == ["1", " 张伟 "])
    }

    @Test func rejectsBadRowsAndGoesOn() throws {
        let text = "id,name,phone\r\n1,a,138\r\n以下为测试数据\r\n,,\r\n\r\n2,b,139,extra\r\n3,c,\r\n4,d"
        let (_, results) = try readAll(try temporaryFile(gb18030(text)))
        let summary = results.map { result -> String in
            if let problem = result.problem { return "\(result.line):\(problem.refusal.rawValue)" }
            return "\(result.line):ok"
        }
        #expect(summary == ["2:ok", "3:malformed", "4:empty_row", "5:empty_row", "6:malformed", "7:ok", "8:malformed"])
        #expect(results[1].problem?.message == "the record has 1 fields, the header has 3")
    }

    @Test func toleratesTrailingEmptyFields() throws {
        let (_, results) = try readAll(try temporaryFile(Array("id,name\n1,a,,\n".utf8)))
        #expect(results.first?.record?.values == ["1", "a"])
    }

    @Test func rejectsTheRowWithBytesInvalidInTheEncoding() throws {
        var bytes = gb18030("id,name\r\n1,张伟\r\n2,")
        bytes += [0x81, 0x20]  // a GB18030 lead byte followed by a space: no such character
        bytes += gb18030("\r\n3,李娜\r\n")
        let (reader, results) = try readAll(try temporaryFile(bytes), .init(encoding: .gb18030))
        #expect(reader.encoding == .gb18030)
        #expect(results.map { $0.problem?.refusal } == [nil, .badEncoding, nil])
        #expect(results[2].record?.values == ["3", "李娜"])
    }

    @Test func rejectsInvalidUTF8InAUTF8File() throws {
        let bytes = Array("id,name\n1,ok\n2,".utf8) + [0xFF] + Array("\n".utf8)
        let (_, results) = try readAll(try temporaryFile(bytes), .init(encoding: .utf8))
        #expect(results.map { $0.problem?.refusal } == [nil, .badEncoding])
    }

    @Test func reportsAnUnterminatedQuote() throws {
        let (_, results) = try readAll(try temporaryFile(Array("id,note\n1,ok\n2,\"never closed\n".utf8)))
        #expect(results.last?.problem?.refusal == .malformed)
        #expect(results.last?.line == 3)
    }

    @Test func skipsAPreambleBeforeTheHeaderRow() throws {
        let text = "导出时间: 2026-11-22\nid,name\n1,a\n"
        let (reader, results) = try readAll(try temporaryFile(Array(text.utf8)), .init(headerRow: 2))
        #expect(reader.columns == ["id", "name"])
        #expect(results.map(\.line) == [3])
    }

    @Test func anEmptyFileHasNoHeader() throws {
        #expect(throws: ExtractError.self) { try CSVReader(path: try temporaryFile([])) }
    }

    @Test func aMissingFileNamesItself() throws {
        do {
            _ = try CSVReader(path: "/nonexistent/crm.csv")
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .cannotOpen)
            #expect(error.description.hasPrefix("/nonexistent/crm.csv: cannot open"))
        }
    }

    @Test func streamsAcrossChunkBoundaries() throws {
        // Far more than one 1 MiB chunk, with multi-byte characters and quoted newlines spanning reads.
        var text = "id,name,note\n"
        for index in 0..<40_000 { text += "\(index),张伟\(index),\"第\(index)行\n续\"\n" }
        let (_, results) = try readAll(try temporaryFile(gb18030(text)))
        #expect(results.count == 40_000)
        #expect(results.allSatisfy { $0.record != nil })
        #expect(results[39_999].record?.values == ["39999", "张伟39999", "第39999行\n续"])
        #expect(results[39_999].line == 2 + 39_999 * 2)
    }

    /// Lines without quotes are split by the reader itself, the others parsed by libcsv: both
    /// must read every file alike, whatever its mix of quotes, line ends, blanks and small limits.
    @Test(arguments: 0..<8)
    func splitsPlainLinesAsLibcsvParsesThem(batch: Int) throws {
        let pieces = ["a", "张伟", "K1", ",", ",", ";", "\t", " ", "\"", "\"\"", "\r", "\n", "\n", "\r\n", "\u{FFFD}"]
        var random = SplitMix64(seed: UInt64(batch))
        for _ in 0..<50 {
            var text = "id,name,note\n"
            for _ in 0..<random.below(200) { text += pieces[random.below(pieces.count)] }
            let path = try temporaryFile(Array(text.utf8))
            var small = ReadLimits()
            small.cellBytes = 1 + random.below(8)
            small.recordBytes = 4 + random.below(16)
            small.cellsPerRecord = 2 + random.below(4)
            for limits in [ReadLimits(), small] {
                func read(splitting: Bool) -> String {
                    let delimiter = [UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "\t")][batch % 3]
                    let options = CSVReader.Options(delimiter: delimiter, limits: limits, splitsPlainLines: splitting)
                    guard let (reader, results) = try? readAll(path, options) else { return "no header" }
                    return "\(reader.columns) "
                        + results.map {
                            "\($0.line) \($0.record?.values ?? []) \($0.problem.map { "\($0.refusal) \($0.message) \($0.values)" } ?? "")"
                        }.joined(separator: "\n")
                }
                #expect(read(splitting: true) == read(splitting: false), "\(text.debugDescription)")
            }
        }
    }

    /// Plain lines that cross the reader's chunks (each line of its own length, CRLF and LF, a
    /// GB18030 file converted chunk by chunk) go partly through libcsv: the records are the same.
    @Test func splitsPlainLinesAcrossChunksAsLibcsvParsesThem() throws {
        var text = "id,name,note\n"
        for index in 0..<60_000 {
            text += "K\(index),张伟\(index),\(String(repeating: "备", count: index % 17))" + (index % 3 == 0 ? "\r\n" : "\n")
        }
        let path = try temporaryFile(gb18030(text))
        let (_, split) = try readAll(path, .init(splitsPlainLines: true))
        let (_, parsed) = try readAll(path, .init(splitsPlainLines: false))
        #expect(split.count == 60_000)
        #expect(split.map(\.line) == parsed.map(\.line))
        #expect(split.map { $0.record?.values ?? [] } == parsed.map { $0.record?.values ?? [] })
    }
}

@Suite struct CSVReaderLimitTests {
    @Test func aCellOverTheLimitRejectsItsRowOnly() throws {
        let big = String(repeating: "长", count: ReadLimits().cellBytes / 3 + 10)
        let text = "id,note\nK1,ok\nK2,\"\(big)\"\nK3,ok\n"
        let (_, results) = try readAll(try temporaryFile(Array(text.utf8)))
        #expect(results.map(\.line) == [2, 3, 4])
        #expect(results.map { $0.record?.values } == [["K1", "ok"], nil, ["K3", "ok"]])
        #expect(results[1].problem?.refusal == .tooLarge)
        #expect(results[1].problem?.message.contains("cell 2 holds more than the 1 MiB") == true)
        #expect(results[1].problem?.values == ["K2", ""])
    }

    @Test func aQuoteNeverClosedStopsHoldingTheFileAtTheLimit() throws {
        let rows = (0..<40_000).map { "K\($0),13800138000,广东省深圳市南山区科技园" }.joined(separator: "\n")
        let text = "id,phone,address\nK,\"13800138000,x\n" + rows
        let (_, results) = try readAll(try temporaryFile(Array(text.utf8)))
        #expect(results.count == 1)
        #expect(results[0].problem?.message.contains("a quote never closed?") == true)
        #expect(results[0].problem?.values.joined().utf8.count ?? .max < 100)
    }

    @Test func aRecordWithTooManyCellsIsRejected() throws {
        let text = "id,note\n" + String(repeating: ",", count: ReadLimits().cellsPerRecord + 5) + "\nK3,ok\n"
        let (_, results) = try readAll(try temporaryFile(Array(text.utf8)))
        #expect(results.count == 2)
        #expect(results[0].problem?.message == "the record has more than \(ReadLimits().cellsPerRecord) cells")
        #expect(results[0].problem?.values.count == ReadLimits().cellsPerRecord)
        #expect(results[1].record?.values == ["K3", "ok"])
    }

    @Test func anUnterminatedQuoteInTheHeaderIsAHeaderError() throws {
        let text = "\"id,phone\nK1,13800138000\n"
        #expect(throws: ExtractError.self) { _ = try CSVReader(path: try temporaryFile(Array(text.utf8))) }
    }
}

@Suite struct TextEncodingTests {
    @Test(
        arguments: [
            ([0xEF, 0xBB, 0xBF, 0x61], TextEncoding.utf8),
            ([0xFF, 0xFE, 0x61, 0x00], .utf16le),
            ([0xFE, 0xFF, 0x00, 0x61], .utf16be),
            (Array("张伟".utf8), .utf8),
            ([0xD5, 0xC5, 0xCE, 0xB0], .gb18030),  // 张伟 in GBK
            (Array("张".utf8).dropLast(), .utf8),  // a sample cut inside a character
        ] as [([UInt8], TextEncoding)])
    func detects(bytes: [UInt8], expected: TextEncoding) {
        #expect(TextEncoding.detect(bytes) == expected)
    }

    static let customers = (0..<200).map { "KH\($0),深圳市前海微众科技有限公司,张伟,广东省深圳市南山区科技园\($0)号" }
        .joined(separator: "\n")

    @Test func aFewBrokenBytesInUTF8TextLeaveItUTF8() {
        var bytes = Array(Self.customers.utf8)
        bytes[bytes.count / 2] = 0xFF
        bytes[bytes.count / 3] = 0xC3
        #expect(TextEncoding.detect(bytes) == .utf8)
    }

    @Test func chineseTextInGB18030IsGB18030() {
        #expect(TextEncoding.detect(gb18030(Self.customers)) == .gb18030)
        #expect(TextEncoding.detect(gb18030("客户编号,客户名称,联系人,手机")) == .gb18030)
    }

    @Test func oneBrokenByteRejectsOnlyItsRow() throws {
        var bytes = Array(("id,company,name,address\n" + Self.customers).utf8)
        let broken = try #require(bytes.firstIndex(of: UInt8(ascii: "9")))  // in row KH9
        bytes.insert(0xFF, at: broken)
        let (reader, results) = try readAll(try temporaryFile(bytes))
        #expect(reader.encoding == .utf8)
        #expect(results.count == 200)
        #expect(results.filter { $0.record == nil }.map(\.line) == [11])
        #expect(results[0].record?.values[1] == "深圳市前海微众科技有限公司")
    }

    @Test(arguments: [("UTF8", TextEncoding.utf8), ("gb2312", .gb18030), ("cp936", .gbk), ("UTF_16", .utf16le)])
    func acceptsCommonNames(name: String, expected: TextEncoding) {
        #expect(TextEncoding(name: name) == expected)
    }
}
