import Extract
import Testing

@testable import Transform

@Suite struct RowRulesTests {
    static let header = ["MsgId", "MsgType", "Content", "CreateTime"]

    func filter(_ configure: (inout RowRules) -> Void) throws -> RowFilter {
        var rules = RowRules()
        configure(&rules)
        let ruleColumns = rules.conditions.map { ("where", $0.column) } + rules.dedupeBy.map { ("dedupe_by", $0) }
        let mapping = try FieldMapping(
            header: Self.header, id: "MsgId", updatedAt: nil, fields: [(.notes, "Content")],
            ruleColumns: ruleColumns)
        return try #require(try RowFilter(rules: rules, mapping: mapping, dedupeIndex: DedupeIndex()))
    }

    func row(_ line: Int, _ values: [String]) -> SourceRecord { SourceRecord(locator: .line(line), values: values) }

    @Test func noRulesNoFilter() throws {
        let mapping = try FieldMapping(header: Self.header, id: "MsgId", updatedAt: nil, fields: [])
        #expect(try RowFilter(rules: RowRules(), mapping: mapping, dedupeIndex: DedupeIndex()) == nil)
    }

    @Test func whereKeepsOnlyTheRowsThatPassEveryCondition() throws {
        let rows = try filter {
            $0.conditions = [
                .init(column: "MsgType", test: .equals("text")),
                .init(column: "Content", test: .matches("手机|电话")),
            ]
        }
        #expect(try rows.check(row(2, ["1", " text ", "手机：13800138000", ""])) == nil)
        let event = try #require(try rows.check(row(3, ["2", "event", "", ""])))
        #expect(event.reason == .filtered)
        #expect(event.message == "left out by where: MsgType is 'event'")
        #expect(event.sourceID == "2")
        #expect(try rows.check(row(4, ["3", "text", "你好", ""]))?.reason == .filtered)
    }

    @Test func negatedAndListTests() throws {
        let rows = try filter {
            $0.conditions = [
                .init(column: "MsgType", test: .noneOf(["event", "image"])),
                .init(column: "Content", test: .notMatches("^测试")),
                .init(column: "CreateTime", test: .notEquals("0")),
            ]
        }
        #expect(try rows.check(row(2, ["1", "text", "姓名：张伟", "1795283567"])) == nil)
        #expect(try rows.check(row(3, ["2", "image", "", "1795283567"]))?.reason == .filtered)
        #expect(try rows.check(row(4, ["3", "text", "测试消息", "1795283567"]))?.reason == .filtered)
        #expect(try rows.check(row(5, ["4", "text", "x", "0"]))?.reason == .filtered)
    }

    @Test func skipRowsMatchingLooksAtEveryCell() throws {
        let rows = try filter { $0.skipPatterns = ["^(合计|总计)"] }
        let totals = try #require(try rows.check(row(9, ["", "", " 合计：12 条", ""])))
        #expect(totals.reason == .skipped)
        #expect(totals.message.contains("合计：12 条"))
        #expect(try rows.check(row(10, ["5", "text", "本月合计", ""])) == nil)
    }

    @Test func dedupeByRejectsARepeatNamingTheFirst() throws {
        let rows = try filter { $0.dedupeBy = ["MsgId"] }
        #expect(try rows.check(row(2, ["6234", "text", "a", "1"])) == nil)
        #expect(try rows.check(row(9, ["7777", "text", "a", "1"])) == nil)
        let retry = try #require(try rows.check(row(16, ["6234", "text", "a", "2"])))
        #expect(retry.reason == .duplicate)
        #expect(retry.message == "repeats MsgId=6234 of line 2 (dedupe_by)")
        // Rows with no value to compare are not repeats of each other.
        #expect(try rows.check(row(20, ["", "text", "", ""])) == nil)
        #expect(try rows.check(row(21, ["", "text", "", ""])) == nil)
    }

    @Test func aPatternThatBacktracksForeverStopsAtItsLimit() throws {
        let rows = try filter { $0.skipPatterns = ["(a+)+$"] }
        let cell = String(repeating: "a", count: 5_000) + "!"
        #expect(throws: BoundedRegex.Timeout.self) { try rows.check(row(2, ["1", "text", cell, ""])) }
        // The same pattern on an ordinary cell answers at once.
        #expect(try rows.check(row(3, ["2", "text", "aaa", ""]))?.reason == .skipped)
    }

    @Test(
        arguments: [
            ("^合计", ["合计"]),
            ("^(合计|总计)\\s", ["合计", "总计"]),
            ("^ab?c", ["a"]),
            ("^ab+", ["a"]),
            ("^合计|小计", nil),
            ("^(合计|总计)?x", nil),
            ("^(?i)total", nil),
            ("^[合总]计", nil),
            ("^\\d+", nil),
            ("合计$", nil),
            ("^a.\u{301}", ["a"]),
        ] as [(String, [String]?)])
    func anAnchoredLiteralIsToldByItsFirstBytes(pattern: String, prefixes: [String]?) {
        #expect(BoundedRegex.anchoredPrefixes(pattern) == prefixes?.map { Array($0.utf8) })
    }

    /// The first-bytes test only ever says "no" where ICU would too.
    @Test func aPrefixNeverChangesWhatMatches() throws {
        let cases: [(String, String, Bool)] = [
            ("^合计", "合计 1,024", true), ("^合计", "本月合计", false), ("^合计", "合", false),
            ("^(合计|总计)\\s", "总计 9", true), ("^(合计|总计)\\s", "小计 9", false), ("^(合计|总计)\\s", "合计9", false),
            ("^ab?c", "ac", true), ("^ab?c", "abc", true), ("^ab?c", "bc", false),
            ("^合计|小计", "本月小计", true), ("^a.\u{301}", "ab\u{301}", true), ("^a.\u{301}", "a.", false),
        ]
        for (pattern, text, matches) in cases {
            let regex = try BoundedRegex.compile(pattern).get()
            #expect(try regex.firstMatch(in: text) == matches, "\(pattern) on \(text)")
        }
    }

    @Test func aLongCellIsShownAsAnExcerpt() throws {
        let rows = try filter { $0.skipPatterns = ["^合计"] }
        let cell = "合计" + String(repeating: "x", count: 5_000)
        let skipped = try #require(try rows.check(row(2, ["1", "text", cell, ""])))
        #expect(skipped.message.count < 120)
    }

    @Test func anInvalidPatternIsNamed() {
        guard case .failure(let error) = RowRules.compile("手机(") else { Issue.record("expected an error"); return }
        #expect(error.message.contains("'手机('"))
    }
}
