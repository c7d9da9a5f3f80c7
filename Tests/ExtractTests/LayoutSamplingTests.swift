import Foundation
import Testing

@testable import Extract

/// What `crmbridge init` reads of a file before a source exists: its format by content, the
/// paths of its JSON records, its XML record element, the labelled answers of a text.
@Suite struct LayoutSamplingTests {
    @Test(arguments: [
        ("a,b\n1,2\n", SniffedFormat.csv),
        ("\u{FEFF}[{\"id\": 1}]", .json),
        ("  \n{\"id\": 1}\n{\"id\": 2}\n", .jsonl),
        ("<?xml version=\"1.0\"?><pushes/>", .xml),
        ("客户编号\t手机\n", .csv),
    ])
    func tellsTheFormatByContent(text: String, format: SniffedFormat) throws {
        // The name says nothing: exports arrive as .txt and .dat.
        #expect(try sniffFormat(path: temporaryFile(Array(text.utf8), suffix: ".txt")) == format)
    }

    @Test func tellsUTF16AndBinaryFiles() throws {
        let utf16: [UInt8] = [0xFF, 0xFE] + Array("[{}]".utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        #expect(try sniffFormat(head: utf16).get() == .json)
        #expect(
            try sniffFormat(head: [0x50, 0x4B, 0x03, 0x04] + Array("[Content_Types].xml xl/workbook.xml".utf8)).get() == .xlsx)
        if case .success = sniffFormat(head: [0xD0, 0xCF, 0x11, 0xE0, 0, 0]) {
            Issue.record("an .xls file is no format crmbridge reads")
        }
        if case .success = sniffFormat(head: [0x50, 0x4B, 0x03, 0x04] + Array("word/document.xml".utf8)) {
            Issue.record("a Word file is no workbook")
        }
    }

    @Test func flattensJSONRecordsIntoThePathsTheReaderReads() throws {
        let path = try temporaryFile(
            Array(
                """
                {"id": "F1", "contact": {"mobile": 13800138000}, "tags": ["a", "b"], "answers": [{"label": "姓名", "value": "王建华"}, {"label": "手机：", "value": "13900139000", "type": "text"}]}
                not json
                {"id": "F2", "answers": [{"label": "联系电话", "value": "13700137000"}, {"label": "姓名", "value": "李秀英"}]}

                """.utf8), suffix: ".jsonl")
        let sample = try JSONReader.sample(path: path, records: 10)
        #expect(sample.layout == .lines)
        #expect(sample.unreadable == 1)
        #expect(sample.records.count == 2)
        #expect(
            sample.records[0].map(\.path) == [
                "id", "contact.mobile", "tags[0]", "tags[1]", "answers[label=姓名].value",
                "answers[label=手机].value", "answers[label=手机].type",
            ])
        #expect(sample.records[0].map(\.value) == ["F1", "13800138000", "a", "b", "王建华", "13900139000", "text"])
        let selector = try #require(sample.records[1][1].selector)
        #expect(selector == JSONLeaf.Selector(base: "answers", key: "label", label: "联系电话", rest: ".value"))
        #expect(selector.path(labels: ["手机", "联系电话"]) == "answers[label=手机|联系电话].value")
        // Each path reads back through the reader.
        let reader = try JSONReader(path: path, columns: ["answers[label=手机|联系电话].value", "contact.mobile"], encoding: nil)
        #expect(try reader.next()?.record?.values == ["13900139000", "13800138000"])
    }

    @Test func readsAJSONArray() throws {
        let path = try temporaryFile(
            Array(#"[{"id": 1, "data": [{"title": "公司", "answer": "某某"}, {"title": "税号", "answer": "x"}]}, {"id": 2}]"#.utf8),
            suffix: ".json")
        let sample = try JSONReader.sample(path: path, records: 10)
        #expect(sample.layout == .array)
        #expect(sample.records.map { $0.map(\.path) } == [["id", "data[title=公司].answer", "data[title=税号].answer"], ["id"]])
    }

    @Test func findsTheXMLRecordElementAndItsFields() throws {
        let path = try temporaryFile(
            Array(
                """
                <?xml version="1.0" encoding="UTF-8"?>
                <pushes account="gh">
                <xml><ToUserName><![CDATA[gh]]></ToUserName><MsgType>event</MsgType><Event>subscribe</Event></xml>
                <xml><MsgType>text</MsgType><Content><![CDATA[姓名：张伟]]></Content><MsgId>1</MsgId><Extra><A>x</A></Extra></xml>
                </pushes>
                """.utf8), suffix: ".xml")
        let structure = try #require(try XMLReader.structure(path: path))
        #expect(structure.recordElement == "xml")
        #expect(structure.records == 2)
        #expect(structure.paths == ["ToUserName", "MsgType", "Event", "Content", "MsgId", "Extra/A"])
        // One push alone: the root is the record.
        let single = try temporaryFile(Array("<xml><MsgId>1</MsgId><Content>hi</Content></xml>".utf8), suffix: ".xml")
        #expect(
            try XMLReader.structure(path: single) == XMLStructure(recordElement: "xml", paths: ["MsgId", "Content"], records: 1))
    }

    @Test func nestingPastTheSampledDepthLeavesTheRecordAsItIs() throws {
        let deep = String(repeating: "<a>", count: 100) + String(repeating: "</a>", count: 100)
        let push = "<xml><MsgId>1</MsgId><Deep>\(deep)</Deep><Content>hi</Content></xml>"
        let path = try temporaryFile(Array("<pushes>\(push)\(push)</pushes>".utf8), suffix: ".xml")
        let structure = try #require(try XMLReader.structure(path: path))
        #expect(structure.recordElement == "xml")
        #expect(structure.records == 2)
        #expect(structure.paths == ["MsgId", "Content"])
    }

    @Test func refusesADTDWhileSampling() throws {
        let path = try temporaryFile(
            Array("<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"b\">]><x><y>&a;</y><y>c</y></x>".utf8),
            suffix: ".xml")
        #expect(throws: ExtractError.self) { try XMLReader.structure(path: path) }
    }

    @Test(arguments: [
        ("姓名：张伟\n手机：138 0013 8000", ["姓名=张伟", "手机=138 0013 8000"]),
        ("【预约演示】姓名=周敏；公司：某某 时间：周六 14:33", ["姓名=周敏", "公司=某某", "时间=周六 14:33"]),
        ("预约 姓名：张伟", ["姓名=张伟"]),
        ("你好，在吗？", []),
    ])
    func listsTheLabelledAnswersOfAText(text: String, answers: [String]) {
        #expect(labelledAnswers(in: text).map { "\($0.label)=\($0.value)" } == answers)
    }
}
