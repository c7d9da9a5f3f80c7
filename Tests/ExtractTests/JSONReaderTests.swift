import Foundation
import Testing

@testable import Extract

private func readJSON(_ text: String, columns: [String], suffix: String = ".jsonl") throws -> [ReadResult] {
    try readJSON(Array(text.utf8), columns: columns, suffix: suffix)
}

private func readJSON(_ bytes: [UInt8], columns: [String], suffix: String = ".jsonl") throws -> [ReadResult] {
    let reader = try JSONReader(path: try temporaryFile(bytes, suffix: suffix), columns: columns, encoding: nil)
    var results: [ReadResult] = []
    while let next = try reader.next() { results.append(next) }
    return results
}

extension ReadResult {
    var locator: Locator {
        switch self {
        case .record(let r): r.locator
        case .unreadable(let p): p.locator
        }
    }
}

@Suite struct JSONReaderTests {
    @Test func readsNestedPathsFromJSONLines() throws {
        let text = """
            {"id": "F1", "answers": {"mobile": "13800138000", "tags": ["a", "b"]}, "data": [{"value": "x"}, {"value": "y"}]}
            {"id": "F2", "answers": {"mobile": "13900139000"}, "a": {"b": [0, 1, {"c": "deep"}]}}

            """
        let results = try readJSON(text, columns: ["id", "answers.mobile", "data[1].value", "a.b[2].c", "answers.tags", "data"])
        #expect(results.count == 2)
        #expect(results[0].record?.values == ["F1", "13800138000", "y", "", #"["a","b"]"#, #"[{"value":"x"},{"value":"y"}]"#])
        #expect(results[1].record?.values == ["F2", "13900139000", "", "deep", "", ""])
        #expect(results.map(\.locator) == [.line(1), .line(2)])
    }

    @Test(arguments: [
        ("13800138000", "13800138000"),
        ("8613800138000", "8613800138000"),
        ("1.38001E+10", "13800100000"),
        ("1.38E10", "13800000000"),
        ("-12", "-12"),
        ("2.50", "2.5"),
        ("1.5e-3", "0.0015"),
        ("true", "true"),
        ("false", "false"),
        ("null", ""),
        (#""""#, ""),
        (#""  x ""#, "  x "),
        (#""\u5f20\u4f1f""#, "张伟"),
        // Exponents past any Int: once a trap taking the magnitude of Int.min.
        ("1e-9223372036854775808", "0.0"),
        ("1e9223372036854775807", "inf"),
        ("1e99999999999999999999", "inf"),
    ])
    func convertsValuesToText(json: String, text: String) throws {
        let results = try readJSON("{\"id\": \"F1\", \"v\": \(json)}\n", columns: ["id", "v"])
        #expect(results.first?.record?.values == ["F1", text])
    }

    @Test func membersNoColumnReadsAreCheckedButNotKept() throws {
        let results = try readJSON(
            #"""
            {"id": "F1", "skip": {"deep": [1, 2, {"x": "y\u00e9"}]}, "note": "a\tb", "mobile": 13800138000}
            {"id": "F2", "skip": "bad \q escape"}
            {"skip": 1}
            {"id": "F4", "skip": [1, 2,}
            """#, columns: ["id", "mobile"])
        guard case .record(let first) = results[0] else { Issue.record("line 1 should read"); return }
        #expect(first.values == ["F1", "13800138000"])
        guard case .unreadable(let escape) = results[1] else { Issue.record("line 2 is malformed"); return }
        #expect(escape.refusal == .malformed)
        #expect(escape.message.contains("unknown escape"))
        // An object with only unread members is not empty: its columns are.
        guard case .record(let third) = results[2] else { Issue.record("line 3 should read"); return }
        #expect(third.values == ["", ""])
        guard case .unreadable(let array) = results[3] else { Issue.record("line 4 is malformed"); return }
        #expect(array.refusal == .malformed)
        #expect(array.values == ["F4", ""])
    }

    /// Form exports that list answers as an array: chosen by a key's value, in any order.
    static let answers = """
        {"id": "A1", "answers": [{"label": "公司名称", "value": "某某科技"}, {"label": "手机", "value": 13800138000}, {"label": "姓名", "value": "张伟"}]}
        {"id": "A2", "answers": [{"label": "姓名", "value": "李娜"}, {"label": "手机", "value": "139 0013 9000"}]}
        {"id": "A3", "answers": [{"label": "手机：", "value": 1.38001E+10}, {"label": " 姓名 ", "value": "王博诚"}]}
        {"id": "A4", "answers": [{"label": "手机", "value": ""}, {"label": "联系电话", "value": "13280091293"}, {"label": "手机", "value": null}]}
        {"id": "A5", "answers": [{"label": "手机", "value": "13700137000"}, {"label": "手机", "value": "13600136000"}]}
        {"id": "A6", "answers": {"label": "手机", "value": "13800138000"}}
        {"id": "A7", "data": [{"title": "公司名称", "answer": "某某贸易"}, {"title": "No.", "answer": 7}]}
        {"id": "A8", "answers": [{"value": "13800138000"}, "手机", 5, {"label": {"zh": "手机"}, "value": "x"}]}

        """

    @Test(
        "array elements chosen by a key's value",
        arguments: [
            ("answers[label=手机].value", ["13800138000", "139 0013 9000", "13800100000", "", "13700137000", "", "", ""]),
            (
                "answers[label=手机|联系电话].value",
                [
                    "13800138000", "139 0013 9000", "13800100000", "13280091293",
                    "13700137000", "", "", "",
                ]
            ),
            ("answers[label=姓名].value", ["张伟", "李娜", "王博诚", "", "", "", "", ""]),
            ("answers[label=公司名称].value", ["某某科技", "", "", "", "", "", "", ""]),
            ("data[title=公司名称].answer", ["", "", "", "", "", "", "某某贸易", ""]),
            ("data[title=No.].answer", ["", "", "", "", "", "", "7", ""]),
            (
                "answers[label=手机]",
                [
                    #"{"label":"手机","value":13800138000}"#, #"{"label":"手机","value":"139 0013 9000"}"#,
                    #"{"label":"手机：","value":1.38001E+10}"#, #"{"label":"手机","value":""}"#,
                    #"{"label":"手机","value":"13700137000"}"#, "", "", "",
                ]
            ),
        ])
    func selectsArrayElements(path: String, values: [String]) throws {
        let results = try readJSON(Self.answers, columns: ["id", path])
        #expect(results.map { $0.record?.values[1] } == values)
    }

    @Test func aSelectedAnswerMayHoldLabelledLines() throws {
        let text = #"{"id": "B1", "answers": [{"label": "备注", "value": "手机：13800138000；公司：某某"}]}"# + "\n"
        let results = try readJSON(text, columns: ["id", "answers[label=备注].value#公司", "answers[label=备注].value#手机"])
        #expect(results.first?.record?.values == ["B1", "某某", "13800138000"])
    }

    @Test func missingKeysAreEmpty() throws {
        let results = try readJSON(#"{"id": "F1", "a": {"b": 1}}"# + "\n", columns: ["id", "mobile", "a.b.c", "a[0]"])
        #expect(results.first?.record?.values == ["F1", "", "", ""])
    }

    @Test func countsPhysicalLinesIncludingBlankOnes() throws {
        let text = "\n{\"id\": \"F1\"}\r\n   \n{}\n{\"id\": \"F2\"}\n"
        let results = try readJSON(text, columns: ["id"])
        #expect(results.map(\.locator) == [.line(1), .line(2), .line(3), .line(4), .line(5)])
        #expect(results.map { $0.problem?.refusal } == [.emptyRow, nil, .emptyRow, .emptyRow, nil])
        #expect(results[4].record?.values == ["F2"])
    }

    @Test func aMalformedLineIsRejectedAndTheFileGoesOn() throws {
        let text = """
            {"id": "F1"}
            ERROR: upstream timeout
            {"id": "F2", "mobile": 13800138000, "name": oops}
            null
            [1, 2]
            {"id": "F3"}

            """
        let results = try readJSON(text, columns: ["id", "mobile"])
        #expect(results.count == 6)
        #expect(results.map { $0.problem?.refusal } == [nil, .malformed, .malformed, .malformed, .malformed, nil])
        #expect(results[1].problem?.message.hasPrefix("not valid JSON") == true)
        // The members read before the error still give the source id.
        #expect(results[2].problem?.values == ["F2", "13800138000"])
        #expect(results[3].problem?.message == "a JSON line must be an object")
        #expect(results[4].problem?.message == "a JSON line must be an object")
        #expect(results[5].record?.values == ["F3", ""])
        #expect(results.map(\.locator) == (1...6).map(Locator.line))
    }

    @Test func aTruncatedLastLineIsMalformed() throws {
        let text = "{\"id\": \"F1\"}\n{\"id\": \"F2\", \"name\": \"张"
        let results = try readJSON(text, columns: ["id", "name"])
        #expect(results.count == 2)
        #expect(results[1].locator == .line(2))
        #expect(results[1].problem?.refusal == .malformed)
        #expect(results[1].problem?.values == ["F2", ""])
    }

    @Test func invalidUTF8IsBadEncoding() throws {
        let bytes =
            Array("{\"id\": \"F1\"}\n{\"id\": \"F2\", \"name\": \"".utf8) + [0xFF, 0xFE] + Array("\"}\n{\"id\": \"F3\"}\n".utf8)
        let results = try readJSON(bytes, columns: ["id"])
        #expect(results.count == 3)
        #expect(results[1].problem?.refusal == .badEncoding)
        #expect(results[1].problem?.values == ["F2"])
        #expect(results[2].record?.values == ["F3"])
    }

    @Test(
        arguments: [
            ([0xC0, 0xAF], false),  // overlong '/'
            ([0xE0, 0x80, 0xAF], false),  // overlong, three bytes
            ([0xED, 0xA0, 0x80], false),  // a UTF-16 surrogate
            ([0xF4, 0x90, 0x80, 0x80], false),  // above U+10FFFF
            ([0xE5, 0xBC], false),  // cut off
            ([0xEF, 0xBF, 0xBD], false),  // U+FFFD: a byte lost before us
            ([0xE5, 0xBC, 0xA0], true),  // 张
            ([0xF0, 0x9F, 0x98, 0x80], true),  // 😀
            ([0xEF, 0xBC, 0x8C], true),  // ，
        ] as [([UInt8], Bool)])
    func utf8IsCheckedByteByByte(sequence: [UInt8], valid: Bool) throws {
        // Declared UTF-8: with `auto`, bytes that are not UTF-8 would be read as GB18030.
        let bytes = Array("{\"id\": \"F1\", \"name\": \"".utf8) + sequence + Array("\"}\n".utf8)
        let reader = try JSONReader(path: try temporaryFile(bytes, suffix: ".jsonl"), columns: ["id"], encoding: .utf8)
        let result = try #require(try reader.next())
        #expect((result.problem?.refusal == .badEncoding) == !valid)
    }

    @Test func readsAJSONArrayWithIndexLocators() throws {
        let text = """
              [
              {"id": "A0", "mobile": 13800138000, "note": "a ] and a } and \\" inside"},
              {"id": "A1", "nested": {"list": [1, {"x": "]"}]}},
              "not an object",
              {},
              {"id": "A4"}
            ]
            """
        let results = try readJSON(text, columns: ["id", "mobile", "note", "nested.list[1].x"], suffix: ".json")
        #expect(results.map(\.locator) == (0...4).map(Locator.arrayIndex))
        #expect(results[0].record?.values == ["A0", "13800138000", #"a ] and a } and " inside"#, ""])
        #expect(results[1].record?.values == ["A1", "", "", "]"])
        #expect(results[2].problem?.refusal == .malformed)
        #expect(results[2].problem?.message == "a JSON array element must be an object")
        #expect(results[3].problem?.refusal == .emptyRow)
        #expect(results[4].record?.values == ["A4", "", "", ""])
    }

    @Test func aTruncatedArrayYieldsItsCompleteElementsThenOneMalformedTail() throws {
        let text = #"[{"id": "A0"}, {"id": "A1", "mobile": "13900139000"}, {"id": "A2", "mobile": "1390"#
        let results = try readJSON(text, columns: ["id", "mobile"], suffix: ".json")
        #expect(results.count == 3)
        #expect(results[0].record?.values == ["A0", ""])
        #expect(results[1].record?.values == ["A1", "13900139000"])
        #expect(results[2].locator == .arrayIndex(2))
        #expect(results[2].problem?.refusal == .malformed)
        #expect(results[2].problem?.values == ["A2", ""])
    }

    @Test func linesAndElementsSpanChunkBoundaries() throws {
        // Over 2 MiB, so that lines and array elements cross the reader's 1 MiB chunks.
        let count = 30_000
        var lines = ""
        var array = "["
        for i in 0..<count {
            let line =
                #"{"id": "F\#(i)", "answers": {"mobile": \#(13_800_000_000 + i)}, "pad": "\#(String(repeating: "填", count: 20))"}"#
            lines += line + "\n"
            array += (i == 0 ? "" : ",\n") + line
        }
        array += "]"
        #expect(lines.utf8.count > 2 << 20)
        for (text, suffix) in [(lines, ".jsonl"), (array, ".json")] {
            let results = try readJSON(text, columns: ["id", "answers.mobile"], suffix: suffix)
            #expect(results.count == count)
            #expect(results.allSatisfy { $0.record != nil })
            #expect(
                results.enumerated().allSatisfy { i, result in
                    result.record?.values == ["F\(i)", "\(13_800_000_000 + i)"]
                        && result.locator == (suffix == ".json" ? .arrayIndex(i) : .line(i + 1))
                })
        }
    }

    @Test(arguments: [
        ("a.b[2].c", [JSONPathStep.key("a"), .key("b"), .index(2), .key("c")]),
        ("data[0].value", [.key("data"), .index(0), .key("value")]),
        ("mobile", [.key("mobile")]),
        ("answers[label=手机].value", [.key("answers"), .select(key: "label", values: ["手机"]), .key("value")]),
        ("answers[ label = 手机 | 电话 ].value", [.key("answers"), .select(key: "label", values: ["手机", "电话"]), .key("value")]),
        ("answers[label=No.].value", [.key("answers"), .select(key: "label", values: ["No."]), .key("value")]),
        (
            "pages[0].items[title=公司].answer",
            [
                .key("pages"), .index(0), .key("items"),
                .select(key: "title", values: ["公司"]), .key("answer"),
            ]
        ),
        ("[label=手机].value", [.select(key: "label", values: ["手机"]), .key("value")]),
        ("a[x]", [.key("a[x]")]),
        ("a[=x]", [.key("a[=x]")]),
    ])
    func parsesPaths(path: String, steps: [JSONPathStep]) {
        #expect(parsePath(path) == steps)
    }
}

@Suite struct JSONReaderLimitTests {
    @Test func aLineOverTheRecordLimitIsRejectedAndTheFileGoesOn() throws {
        let huge = "{\"id\": \"F2\", \"note\": \"" + String(repeating: "x", count: ReadLimits().recordBytes) + "\"}"
        let text = "{\"id\": \"F1\"}\n" + huge + "\n{\"id\": \"F3\"}\n" + huge
        let results = try readJSON(text, columns: ["id", "note"])
        #expect(results.map(\.locator) == [.line(1), .line(2), .line(3), .line(4)])
        #expect(results.map { $0.record?.values.first } == ["F1", nil, "F3", nil])
        #expect(results[1].problem?.message == "the line holds more than the 4 MiB a record may hold")
        #expect(results[3].problem?.refusal == .tooLarge)
    }

    @Test func anArrayElementOverTheRecordLimitFailsTheFile() throws {
        let text = "[{\"id\": \"F1\"}, {\"id\": \"" + String(repeating: "x", count: 3 * ReadLimits().recordBytes) + "\"}]"
        let reader = try JSONReader(path: try temporaryFile(Array(text.utf8), suffix: ".json"), columns: ["id"], encoding: nil)
        #expect(throws: ExtractError.self) { while try reader.next() != nil {} }
    }
}
