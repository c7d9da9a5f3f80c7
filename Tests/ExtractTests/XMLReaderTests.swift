import Foundation
import Testing

@testable import Extract

private func readXML(
    _ text: String, columns: [String], recordElement: String = "xml", limits: ReadLimits = ReadLimits()
) throws -> [ReadResult] {
    let reader = try XMLReader(
        path: try temporaryFile(Array(text.utf8), suffix: ".xml"), columns: columns,
        recordElement: recordElement, limits: limits)
    var results: [ReadResult] = []
    while let next = try reader.next() { results.append(next) }
    return results
}

private func readXML(bytes: [UInt8], columns: [String]) throws -> [ReadResult] {
    let reader = try XMLReader(path: try temporaryFile(bytes, suffix: ".xml"), columns: columns)
    var results: [ReadResult] = []
    while let next = try reader.next() { results.append(next) }
    return results
}

private func push(id: String, time: String = "1795283567", type: String = "text", content: String?) -> String {
    var text = """
        <xml>
          <ToUserName><![CDATA[gh_5f3a9c2e1b7d]]></ToUserName>
          <FromUserName><![CDATA[oWDev8R17VFvLCoSDHXQmlNU0Tlo]]></FromUserName>
          <CreateTime>\(time)</CreateTime>
          <MsgType><![CDATA[\(type)]]></MsgType>

        """
    if let content { text += "  <Content><![CDATA[\(content)]]></Content>\n" }
    if type == "event" {
        text += "  <Event><![CDATA[subscribe]]></Event>\n"
    } else {
        text += "  <MsgId>\(id)</MsgId>\n"
    }
    return text + "</xml>\n"
}

private let header = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<pushes account=\"gh_5f3a9c2e1b7d\">\n"

@Suite struct XMLReaderTests {
    @Test func aRecordPastItsTextLimitsIsTooLargeAndTheNextOneReads() throws {
        var limits = ReadLimits()
        limits.cellBytes = 64
        limits.recordBytes = 100
        let text =
            header + push(id: "1", content: String(repeating: "长", count: 30))  // 90 bytes: past the cell limit
            + push(id: "2", content: String(repeating: "a", count: 60))  // 60 + the others' text: past the record's
            + push(id: "3", content: "手机：138") + "</pushes>"
        let results = try readXML(text, columns: ["MsgId", "Content", "MsgType", "CreateTime", "FromUserName"], limits: limits)
        #expect(results.count == 3)
        #expect(results[0].problem?.refusal == .tooLarge)
        #expect(results[0].problem?.message == "<Content> holds more than the 64 bytes a cell may hold")
        #expect(results[1].problem?.message == "the record holds more than the 100 bytes a record may hold")
        #expect(results[2].record?.values.first == "3")
    }

    @Test func readsPushesWithCDATAAndStartLines() throws {
        let text =
            header
            + push(id: "1001", content: "姓名：张伟\n手机：138 0013 8000")  // lines 3–10 (Content spans two)
            + push(id: "1002", time: "1795283600", content: "你好，在吗？ <不是标签> & 符号")  // line 12
            + "</pushes>\n"
        let results = try readXML(text, columns: ["MsgId", "CreateTime", "Content", "MsgType"])
        #expect(results.count == 2)
        #expect(results.map(\.locator) == [.line(3), .line(12)])
        #expect(results[0].record?.values == ["1001", "1795283567", "姓名：张伟\n手机：138 0013 8000", "text"])
        #expect(results[1].record?.values == ["1002", "1795283600", "你好，在吗？ <不是标签> & 符号", "text"])
    }

    @Test func readsNestedPathsAndPlainTextMixedWithCDATA() throws {
        let text = """
            <pushes>
            <xml><MsgId>7</MsgId><a><b>x<![CDATA[y]]>z</b></a><c>&lt;1&amp;2&gt;</c></xml>
            </pushes>
            """
        let results = try readXML(text, columns: ["MsgId", "a/b", "a.b", "c", "missing"])
        #expect(results.first?.record?.values == ["7", "xyz", "xyz", "<1&2>", ""])
    }

    @Test func takesLabelledLinesInAnyOrderWithEitherColon() throws {
        let text =
            header
            + push(id: "1", content: "【在线留资】\n姓名：张伟\n手机：138 0013 8000\n税号： 91440300MA5FXT4K8N ")
            + push(id: "2", content: "需求:想了解一下价格\n电话:0086-13891234563\n姓名:李娜\n统一社会信用代码:91110108MA01ABCD5T")
            + push(id: "3", content: "联系电话：13280091293\n姓名 ： 王博诚 \n时间：10:30")
            + push(id: "4", content: "你好，在吗？")
            + "</pushes>\n"
        let columns = ["MsgId", "Content#姓名", "Content#手机|电话|联系电话", "Content#税号|统一社会信用代码", "Content#时间"]
        let results = try readXML(text, columns: columns)
        #expect(
            results.map { $0.record?.values ?? [] } == [
                ["1", "张伟", "138 0013 8000", "91440300MA5FXT4K8N", ""],
                ["2", "李娜", "0086-13891234563", "91110108MA01ABCD5T", ""],
                ["3", "王博诚", "13280091293", "", "10:30"],
                ["4", "", "", "", ""],
            ])
    }

    @Test func jsonPathsTakeLabelledLinesToo() throws {
        let path = try temporaryFile(Array(#"{"id": "F1", "text": "姓名：张伟\n手机：13800138000"}"#.utf8) + [0x0A], suffix: ".jsonl")
        let reader = try JSONReader(path: path, columns: ["id", "text#手机|电话", "text#姓名"], encoding: nil)
        #expect(try reader.next()?.record?.values == ["F1", "13800138000", "张伟"])
    }

    @Test func anEventPushHasNoContent() throws {
        let text = header + push(id: "", type: "event", content: nil) + "</pushes>\n"
        let results = try readXML(text, columns: ["MsgId", "Content", "Content#手机", "MsgType"])
        #expect(results.first?.record?.values == ["", "", "", "event"])
        #expect(results.first?.locator == .line(3))
    }

    @Test func aRecordElementWithoutTextIsAnEmptyRow() throws {
        let text =
            "<pushes>\n<xml/>\n<xml>\n  <Content><![CDATA[]]></Content>\n  <MsgId></MsgId>\n</xml>\n<xml><MsgId>9</MsgId></xml>\n</pushes>\n"
        let results = try readXML(text, columns: ["MsgId", "Content"])
        #expect(results.map { $0.problem?.refusal } == [.emptyRow, .emptyRow, nil])
        #expect(results.map(\.locator) == [.line(2), .line(3), .line(7)])
        #expect(results[2].record?.values == ["9", ""])
    }

    @Test func aTruncatedDocumentYieldsItsRecordsThenOneMalformed() throws {
        let text =
            header
            + push(id: "1", content: "姓名：张伟")
            + push(id: "2", content: "姓名：李娜")
            + "<xml>\n  <MsgId>3</MsgId>\n  <Content><![CDATA[姓名：王"
        let results = try readXML(text, columns: ["MsgId", "Content#姓名"])
        #expect(results.count == 3)
        #expect(results[0].record?.values == ["1", "张伟"])
        #expect(results[1].record?.values == ["2", "李娜"])
        let problem = try #require(results[2].problem)
        #expect(problem.refusal == .malformed)
        #expect(problem.message.contains("not well-formed XML"))
        #expect(problem.values.first == "3")
        if case .line(let line) = problem.locator { #expect(line >= 19) } else { Issue.record("locator \(problem.locator)") }
    }

    @Test func aStrayTagStopsTheFileAtItsLine() throws {
        let text = "<pushes>\n<xml><MsgId>1</MsgId></xml>\n<xml><MsgId>2</MsgId></oops>\n<xml><MsgId>3</MsgId></xml>\n</pushes>\n"
        let results = try readXML(text, columns: ["MsgId"])
        #expect(results.count == 2)
        #expect(results[0].record?.values == ["1"])
        #expect(results[1].problem?.refusal == .malformed)
        #expect(results[1].locator == .line(3))
    }

    /// libxml2 stops at bytes the declared encoding cannot decode without reporting an error
    /// (it writes to stderr): the records after them must not go missing without a word.
    @Test(arguments: [
        ("<xml id=\"", "\"><MsgId>2</MsgId></xml>\n"),  // in the next record's start tag
        ("<!-- ", " -->\n<xml><MsgId>2</MsgId></xml>\n"),  // in a comment between records
        ("<xml><MsgId>2", "</MsgId></xml>\n"),  // in a record's text
    ])
    func bytesNotValidInTheDeclaredEncodingEndTheFileWithABadEncodingRecord(before: String, after: String) throws {
        // 张伟 in GBK; 0x81 0x20 is no GBK character (0x81 leads a pair, 0x20 cannot follow it).
        let bytes =
            Array("<?xml version=\"1.0\" encoding=\"GBK\"?>\n<pushes>\n<xml><MsgId>1</MsgId><Content>".utf8)
            + [0xD5, 0xC5, 0xCE, 0xB0] + Array("</Content></xml>\n\(before)".utf8) + [0x81, 0x20]
            + Array("\(after)<xml><MsgId>3</MsgId></xml>\n</pushes>\n".utf8)
        let results = try readXML(bytes: bytes, columns: ["MsgId", "Content"])
        #expect(results.count == 2)
        #expect(results.first?.record?.values == ["1", "张伟"])
        let problem = try #require(results.last?.problem)
        #expect(problem.refusal == .badEncoding)
        #expect(problem.locator == .line(4))
        #expect(problem.message.contains("not valid GBK"))
    }

    @Test func bytesNotValidInTheDeclaredEncodingPastTheFirstChunk() throws {
        var text = "<?xml version=\"1.0\" encoding=\"GBK\"?>\n<pushes>\n"
        for index in 0..<4_000 { text += "<xml><MsgId>\(index)</MsgId></xml>\n" }
        let bytes = Array(text.utf8) + [0x81, 0x20] + Array("\n<xml><MsgId>lost</MsgId></xml>\n</pushes>\n".utf8)
        #expect(bytes.count > XMLReader.chunkSize)
        let results = try readXML(bytes: bytes, columns: ["MsgId"])
        #expect(results.count == 4_001)
        #expect(results.dropLast().allSatisfy { $0.record != nil })
        #expect(results.last?.problem?.refusal == .badEncoding)
        // The line the parser stopped at: the last record's, or the next one where the bytes are,
        // depending on where a chunk ended.
        if case .line(let line) = results.last?.locator {
            #expect((4_002...4_003).contains(line))
        } else {
            Issue.record("locator \(String(describing: results.last?.locator))")
        }
    }

    @Test func refusesExternalEntitiesWithoutReadingThem() throws {
        let text = """
            <?xml version="1.0"?>
            <!DOCTYPE pushes [<!ENTITY e SYSTEM "file:///etc/passwd">]>
            <pushes><xml><MsgId>1</MsgId><Content>&e;</Content></xml></pushes>
            """
        var seen: [ReadResult] = []
        let error = #expect(throws: ExtractError.self) {
            let reader = try XMLReader(path: try temporaryFile(Array(text.utf8), suffix: ".xml"), columns: ["MsgId", "Content"])
            while let next = try reader.next() { seen.append(next) }
        }
        #expect(error?.message.contains("DTD/entities") == true)
        #expect(error?.message.contains("never expands") == true)
        #expect(seen.isEmpty)
        #expect(!"\(seen)".contains("root:"))
    }

    @Test(.timeLimit(.minutes(1)))
    func refusesBillionLaughsQuickly() throws {
        var text = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n<!ENTITY lol \"lol\">\n"
        for level in 1...9 {
            let previous = level == 1 ? "lol" : "lol\(level - 1)"
            text += "<!ENTITY lol\(level) \"" + String(repeating: "&\(previous);", count: 10) + "\">\n"
        }
        text += "]>\n<pushes><xml><MsgId>1</MsgId><Content>&lol9;</Content></xml></pushes>\n"
        let start = ContinuousClock.now
        #expect(throws: ExtractError.self) { _ = try readXML(text, columns: ["MsgId", "Content"]) }
        #expect(ContinuousClock.now - start < .seconds(2))
    }

    @Test func anEmptyFileHasNoRecords() throws {
        #expect(try readXML("", columns: ["MsgId"]).isEmpty)
    }

    @Test func aMissingFileNamesItself() {
        #expect(throws: ExtractError.self) { _ = try XMLReader(path: "/nonexistent/pushes.xml", columns: ["MsgId"]) }
    }

    @Test func anotherRecordElement() throws {
        let text = "<export>\n<message><id>1</id></message>\n<message><id>2</id></message>\n</export>\n"
        let results = try readXML(text, columns: ["id"], recordElement: "message")
        #expect(results.map { $0.record?.values ?? [] } == [["1"], ["2"]])
        #expect(results.map(\.locator) == [.line(2), .line(3)])
    }

    @Test func linesPast65535AreExact() throws {
        // libxml2 keeps a node's line in 16 bits; the reader takes the parser's own line instead.
        let text = "<pushes>\n" + String(repeating: "\n", count: 70_000) + "<xml><MsgId>1</MsgId></xml>\n</pushes>\n"
        #expect(try readXML(text, columns: ["MsgId"]).map(\.locator) == [.line(70_002)])
    }

    @Test func streamsALargeFile() throws {
        var text = "<pushes>\n"
        for index in 0..<5_000 { text += "<xml><MsgId>\(index)</MsgId><Content><![CDATA[手机：138\(index)]]></Content></xml>\n" }
        text += "</pushes>\n"
        let results = try readXML(text, columns: ["MsgId", "Content#手机"])
        #expect(results.count == 5_000)
        #expect(results.last?.record?.values == ["4999", "1384999"])
        #expect(results.last?.locator == .line(5_001))
    }
}
