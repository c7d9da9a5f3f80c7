import Testing
import Transform

@testable import Extract
@testable import Pipeline

/// How `crmbridge init` maps a file's columns, from samples made in memory: headers first,
/// values where headers say nothing, and the rules a layout calls for.
@Suite struct SourceProposerTests {
    /// A sample of a CSV file with these columns (name → values, one per record).
    static func sample(_ columns: [(String, [String])]) -> FileSample {
        sample("/x/export.csv", columns)
    }

    static func sample(_ file: String, format: SourceConfig.Format = .csv, _ columns: [(String, [String])]) -> FileSample {
        var sample = FileSample(path: file, format: format, formatWhy: "test")
        sample.columns = columns.map { SampledColumn(name: $0.0, values: $0.1) }
        sample.records = columns.first?.1.count ?? 0
        sample.addLabelledAnswers()
        return sample
    }

    static func mapping(_ draft: SourceDraft) -> [String: String] {
        Dictionary(uniqueKeysWithValues: draft.fields.map { ($0.role.description, $0.column) })
    }

    @Test func mapsByTheDictionaryAndSaysWhy() throws {
        let draft = SourceProposer.propose(
            Self.sample(
                "/x/crm_export.csv",
                [
                    ("客户编号", ["KH1", "KH2", "KH3", "KH4"]),
                    ("客户名称", ["杭州拓维食品股份有限公司", "天津众诚食品有限公司", "武汉明德食品有限公司", "某某工作室"]),
                    ("手机", ["13800138000", "13900139000", "+86 137 0013 7000", "13600136000"]),
                    ("纳税人识别号", ["91350203MA05DFNF2M", "91120101665854027M", "91370212771107420D", "92510107MAQL3C5Y2B"]),
                    ("最后修改时间", ["2026-11-21 10:02", "2026/11/21 9:56", "2026-11-20", "2026-11-21 12:13:00"]),
                    ("信用额度", ["100000", "0", "500000.5", "0"]),
                ]))
        #expect(draft.system == "crm")
        #expect(draft.kind == .customers)
        #expect(draft.id.column == "客户编号" && draft.id.confidence == .sure)
        #expect(draft.updatedAt?.column == "最后修改时间")
        #expect(Self.mapping(draft) == ["company": "客户名称", "phone": "手机", "tax_id": "纳税人识别号"])
        let phone = try #require(draft.fields.first { $0.role == .field(.phone) })
        #expect(phone.why == "header 手机 (dictionary); 4/4 sampled values are valid mobiles")
        #expect(phone.check == nil)
        #expect(draft.unmapped == ["信用额度"])
    }

    @Test func findsWhatHeadersDoNotSayByTheValues() throws {
        let draft = SourceProposer.propose(
            Self.sample([
                ("A", ["1001", "1002", "1003", "1004"]),
                ("B", ["13800138000", "13900139000", "13700137000", "13600136000"]),
                ("C", ["91350203MA05DFNF2M", "91120101665854027M", "91370212771107420D", "92510107MAQL3C5Y2B"]),
            ]))
        #expect(draft.id.column == "A" && draft.id.check != nil)
        #expect(Self.mapping(draft) == ["phone": "B", "tax_id": "C"])
        #expect(draft.fields.allSatisfy { $0.check == "chosen by its values alone" })
        #expect(draft.noUpdatedAt != nil)
    }

    @Test func doubtsAHeaderItsValuesContradict() throws {
        let draft = SourceProposer.propose(
            Self.sample([
                ("编号", ["1", "2", "3", "4"]),
                ("手机", ["无", "见备注", "客户未留", "abc"]),
            ]))
        // The header still says phone, but the mapping is a guess a person must look at.
        let phone = try #require(draft.fields.first { $0.role == .field(.phone) })
        #expect(phone.confidence == .guess)
        #expect(phone.why.hasSuffix("only 0/3 sampled values are valid mobiles"))  // 无 is no value
        #expect(phone.check != nil)
    }

    @Test func makesACallLogAnInteractionsSource() throws {
        let draft = SourceProposer.propose(
            Self.sample(
                "/x/cdr_20261121.csv",
                [
                    ("call_id", ["C1", "C2", "C3"]),
                    ("caller", ["13800138000", "0755-88886666", "+8613900139000"]),
                    ("start_time", ["2026-11-21 09:03:12", "2026-11-21 09:47:55", "2026-11-21 10:30:02"]),
                    ("duration_s", ["184", "62", "0"]),
                    ("状态", ["已接通", "已接通", "未接通"]),
                ]))
        #expect(draft.kind == .interactions)
        #expect(draft.system == "callcenter")
        #expect(draft.updatedAt?.column == "start_time")
        #expect(
            Self.mapping(draft) == [
                "phone": "caller", "started_at": "start_time", "duration_s": "duration_s",
                "outcome": "状态",
            ])
    }

    @Test func joinsTheLabelsOfOneQuestion() throws {
        let draft = SourceProposer.propose(
            Self.sample(
                "/x/pushes.xml", format: .xml,
                [
                    ("MsgId", ["1", "2", "3", "4"]),
                    ("MsgType", ["text", "text", "event", "text"]),
                    ("CreateTime", ["1795219333", "1795227300", "1795229251", "1795229300"]),
                    (
                        "Content",
                        [
                            "姓名：张伟\n手机：13800138000", "姓名：李娜\n电话：13900139000\n公司：某某有限公司", "",
                            "姓名：王芳\n手机：13700137000\n税号：91350203MA05DFNF2M",
                        ]
                    ),
                ]))
        #expect(draft.system == "wechat")
        #expect(
            Self.mapping(draft) == [
                "name": "Content#姓名", "phone": "Content#手机|电话", "company": "Content#公司",
                "tax_id": "Content#税号",
            ])
        #expect(draft.conditions == [DraftCondition(column: "MsgType", equals: "text", why: draft.conditions.first?.why ?? "")])
        #expect(draft.dedupeBy == ["MsgId"])
        #expect(draft.contactChannel == "wechat_form")
        #expect(!draft.unmapped.contains("Content"))
    }

    @Test func letsACreationTimeStandInForUpdates() throws {
        let draft = SourceProposer.propose(
            Self.sample(
                "/x/leads.csv",
                [
                    ("lead_id", ["L1", "L2", "L3"]),
                    ("phone", ["13800138000", "13900139000", "13700137000"]),
                    ("created", ["2026-11-21 09:12:05", "2026-11-21 10:35:05", "2026-11-18 22:40:12"]),
                ]))
        let updatedAt = try #require(draft.updatedAt)
        #expect(updatedAt.column == "created" && updatedAt.check != nil)
        #expect(Self.mapping(draft)["created_at"] == "created")
    }

    @Test(
        arguments: [
            (["21/11/2026 08:00", "21.11.2026", "05/11/2026"], DateOrder?.some(.dmy)),
            (["11/21/2026 9:00 AM", "11/21/2026 09:37"], .mdy),
            (["2026-11-21 10:02", "20261121"], nil),
        ] as [([String], DateOrder?)])
    func setsTheDateOrderTheValuesSettle(times: [String], order: DateOrder?) {
        let draft = SourceProposer.propose(
            Self.sample([
                ("客户编号", times.indices.map { "K\($0)" }), ("手机", times.map { _ in "13800138000" }), ("更新时间", times),
            ]))
        #expect(draft.dateOrder == order)
    }

    @Test func skipsTheTotalsRowsItFound() throws {
        var sample = Self.sample([("客户编号", ["1", "2"]), ("手机", ["13800138000", "13900139000"])])
        sample.totalsRows = [("line 17", "合计")]
        let draft = SourceProposer.propose(sample)
        #expect(draft.skipRowsMatching == ["^(合计|总计|小计|共计)[:：]?$"])
        // A pattern that matches the totals cell, and not a note that starts with the same word.
        let regex = try? RowRules.compile(draft.skipRowsMatching[0]).get()
        #expect(try regex?.firstMatch(in: "合计") == true)
        #expect(try regex?.firstMatch(in: "合计采购100万") == false)
    }

    @Test func saysWhenAJSONFileIsNoRecordPerLine() {
        var sample = Self.sample("/x/forms.json", format: .jsonl, [("id", ["1"]), ("mobile", ["13800138000"])])
        sample.unreadable = 4  // {, "data": [, ], }: a pretty-printed document
        let draft = SourceProposer.propose(sample)
        #expect(draft.notes.contains { $0.check && $0.text.hasPrefix("most lines are not JSON objects") })
    }

    @Test(
        arguments: [
            ("crm_export_20261122.csv", false, false, [String](), "crm"),
            ("wechat_forms.xml", false, false, [], "wechat"),
            ("calls_400.csv", false, false, [], "callcenter"),
            ("erp_customers.xlsx", false, false, ["erp"], "erp_customers"),
            ("partners_semicolon.csv", false, false, [], "partners"),
            ("leads_utf16.csv", false, false, [], "leads"),
            ("金蝶导出.xlsx", false, false, [], "erp"),
            ("export.xml", true, false, [], "wechat"),
            ("dump.csv", false, true, [], "callcenter"),
            ("crm.csv", false, false, ["crm"], "crm_2"),
        ] as [(String, Bool, Bool, [String], String)])
    func namesTheSystemAfterTheFile(file: String, pushes: Bool, interactions: Bool, taken: [String], system: String) {
        #expect(SystemName.name(for: "/x/\(file)", pushes: pushes, interactions: interactions, taken: Set(taken)).name == system)
    }

    @Test(arguments: [
        (["客户导出 2026-11-21"], false),  // a title: one cell
        (["客户编号", "客户名称", "手机", "更新时间"], true),
        (["KH1", "某某有限公司", "13800138000", "2026-11-21"], false),  // values, not names
    ])
    func tellsAHeaderRowFromTitlesAndData(cells: [String], isHeader: Bool) {
        #expect((FileSample.headerScore(cells) > 0) == isHeader)
    }

    /// The drafted YAML reads back, through the pipeline loader, as the choices it comments.
    @Test func theDraftReadsBackAsItsChoices() throws {
        var draft = PipelineDraft(name: "new", directory: "/x/pipelines")
        draft.sources = [
            SourceProposer.propose(
                Self.sample(
                    "/x/exports/pushes.xml", format: .xml,
                    [
                        ("MsgId", ["1", "2", "3"]),
                        ("MsgType", ["text", "text", "text"]),
                        ("CreateTime", ["1795219333", "1795227300", "1795229251"]),
                        ("Content", ["姓名：张伟\n手机：13800138000", "姓名：李娜\n电话：13900139000", "姓名：王芳\n手机：13700137000"]),
                    ]))
        ]
        let yaml = draft.yaml
        #expect(yaml.contains("secret: ${CRMBRIDGE_KEY_SECRET}\n"))
        #expect(yaml.contains("path: ../exports/pushes.xml"))
        let config = try PipelineLoader.parse(yaml, file: "/x/pipelines/new.yml", environment: ["CRMBRIDGE_KEY_SECRET": "s"])
        let source = try #require(config.sources.first)
        #expect(source.system == "wechat" && source.format == .xml && source.id == "MsgId" && source.updatedAt == "CreateTime")
        #expect(source.fields.map { "\($0.field.rawValue)=\($0.column)" } == ["phone=Content#手机|电话", "name=Content#姓名"])
        #expect(source.rules.dedupeBy == ["MsgId"])
        #expect(config.secret == Array("s".utf8))
    }

    @Test(arguments: ["plain", "客户编号 Customer No.", "Content#手机|电话", "a: b", "#x", "true", "400", "x, y", " lead"])
    func quotesWhatYAMLWouldMisread(text: String) throws {
        let config = try PipelineLoader.parse(
            """
            pipeline: p
            key: {demo: true}
            sources:
              - system: s
                path: /dev/null
                id: \(PipelineDraft.scalar(text))
                fields: {name: n}
            """, file: "/x/p.yml", environment: [:])
        #expect(config.sources[0].id == text)
    }
}
