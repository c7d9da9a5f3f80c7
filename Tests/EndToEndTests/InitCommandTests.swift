import Foundation
import Testing

/// `crmbridge init` on the real binary: the pipeline it drafts from the fixtures passes `check`
/// and loads them as the hand-written pipelines do.
@Suite(.serialized) struct InitCommandTests {
    /// init writes `${CRMBRIDGE_KEY_SECRET}`, never a value: check and run need the variable,
    /// and the hand-written pipeline under comparison takes the same secret from it.
    static let secret = ["CRMBRIDGE_KEY_SECRET": "init-test-secret"]

    struct RunOutput: Decodable {
        struct File: Decodable {
            var system: String
            var path: String
        }
        var overall: Summary.Counts
        var by_system: [String: Summary.Counts]
        var files: [File]
        var metrics: [Summary.Metric]?
    }

    /// The files of `folder` with these extensions, as a shell's globs list them (one extension after another).
    static func files(_ folder: String, _ extensions: [String]) throws -> [String] {
        let url = CLI.root.appendingPathComponent(folder)
        let names = try FileManager.default.contentsOfDirectory(atPath: url.path).sorted()
        return extensions.flatMap { ext in names.filter { $0.hasSuffix(".\(ext)") }.map { url.appendingPathComponent($0).path } }
    }

    /// Runs init into `scratch/pipelines/new.yml` and checks the result.
    static func draft(_ files: [String], in scratch: URL) throws -> URL {
        let out = scratch.appendingPathComponent("pipelines/new.yml")
        let result = try CLI.run(["init"] + files + ["--out", out.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("wrote \(out.path): \(files.count) sources"))
        let check = try CLI.run(["check", out.path], environment: secret)
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        return out
    }

    static func run(_ pipeline: URL, store: URL) throws -> RunOutput {
        let result = try CLI.run(
            [
                "run", pipeline.path, "--store", "sqlite:\(store.path)",
                "--as-of", "2026-11-22T03:00:00+08:00", "--json",
            ], environment: secret)
        #expect(result.status == 0, "\(result.stderr)")
        return try JSONDecoder().decode(RunOutput.self, from: Data(result.stdout.utf8))
    }

    /// Runs the drafted and the hand-written pipeline and compares them file by file (their
    /// systems are named apart) and customer by customer. `extra`: master columns the draft may
    /// fill where the hand-written pipeline leaves them empty, because it maps a column more;
    /// `later`: times the draft may move forward, because it records more contacts.
    static func compare(
        draft: URL, with handWritten: String, extra: Set<String>, later: Set<String> = [],
        in scratch: URL
    ) throws {
        let drafted = try run(draft, store: scratch.appendingPathComponent("draft.sqlite"))
        let reference = try run(
            CLI.root.appendingPathComponent(handWritten), store: scratch.appendingPathComponent("hand.sqlite"))
        let systemOf = { (output: RunOutput) in
            Dictionary(
                output.files.map { (URL(fileURLWithPath: $0.path).lastPathComponent, $0.system) }, uniquingKeysWith: { a, _ in a }
            )
        }
        let (draftSystems, handSystems) = (systemOf(drafted), systemOf(reference))
        #expect(Set(draftSystems.keys) == Set(handSystems.keys))
        for (file, system) in handSystems {
            let want = try #require(reference.by_system[system])
            let got = try #require(draftSystems[file].flatMap { drafted.by_system[$0] }, "\(file) not loaded by the draft")
            #expect(
                (got.read, got.merged, got.pending, got.rejected) == (want.read, want.merged, want.pending, want.rejected),
                "\(file)")
            #expect(got.rejected_by_reason ?? [:] == want.rejected_by_reason ?? [:], "\(file) rejects by reason")
        }
        #expect(
            (drafted.overall.read, drafted.overall.merged, drafted.overall.pending, drafted.overall.rejected)
                == (reference.overall.read, reference.overall.merged, reference.overall.pending, reference.overall.rejected))
        let metric = { (output: RunOutput, name: String) in output.metrics?.first { $0.name == name }?.value ?? nil }
        for name in ["id_match", "sync_lag_24h"] { #expect(metric(drafted, name) == metric(reference, name), "\(name)") }

        // The same customers under the same keys, with the same values but where the draft maps more.
        let master = { (store: String) in
            parseCSV(try CLI.export("master", store: scratch.appendingPathComponent(store), to: scratch))
        }
        let draftMaster = Dictionary(
            try master("draft.sqlite").map { ($0["customer_key"]!, $0) }, uniquingKeysWith: { a, _ in a })
        let handMaster = Dictionary(try master("hand.sqlite").map { ($0["customer_key"]!, $0) }, uniquingKeysWith: { a, _ in a })
        #expect(Set(draftMaster.keys) == Set(handMaster.keys))
        for (key, want) in handMaster {
            guard let got = draftMaster[key] else { continue }
            for (column, value) in want where got[column] != value {
                let moved = later.contains(column) && (got[column] ?? "") > value
                #expect(
                    moved || (extra.contains(column) && value.isEmpty),
                    "customer \(key.prefix(12)) \(column): drafted '\(got[column] ?? "")', hand-written '\(value)'")
            }
        }
    }

    @Test func draftsTheDemoFromTheFixtures() throws {
        let scratch = try CLI.scratch()
        let files = try Self.files("fixtures", ["csv", "xlsx", "jsonl", "xml"])
        let pipeline = try Self.draft(files, in: scratch)
        let text = try String(contentsOf: pipeline, encoding: .utf8)
        #expect(text.contains("  secret: ${CRMBRIDGE_KEY_SECRET}\n"))
        // Paths are relative to the pipeline's folder.
        let paths = text.split(separator: "\n").compactMap { line in
            line.trimmingCharacters(in: .whitespaces).hasPrefix("path: ")
                ? line.split(separator: "#")[0].trimmingCharacters(in: .whitespaces).dropFirst("path: ".count) : nil
        }
        #expect(paths.count == files.count)
        for path in paths {
            #expect(!path.hasPrefix("/"))
            let resolved = pipeline.deletingLastPathComponent().appendingPathComponent(String(path)).standardizedFileURL.path
            #expect(files.contains(resolved), "\(path)")
        }
        // What the files' layouts call for, each with its reason.
        #expect(text.contains("encoding: gb18030"))
        #expect(text.contains("encoding: utf-16le"))
        #expect(text.contains("delimiter: tab"))
        #expect(text.contains(#"delimiter: ";""#))
        #expect(text.contains("sheet: 客户 Customers"))
        #expect(text.contains("kind: interactions"))
        #expect(text.contains("phone: Content#手机|电话|联系电话"))
        #expect(text.contains("dedupe_by: [MsgId]"))
        #expect(text.contains("# unmapped: 信用额度 Credit Limit"))
        #expect(text.contains("# CHECK"))

        // Inherent differences: the draft maps web's city to the address and its utm_source to
        // first_touch_channel, which demo.yml leaves out. Everything else is demo.yml's outcome:
        // its where: and dedupe_by: for WeChat and its totals rules, init proposes too.
        try Self.compare(
            draft: pipeline, with: "pipelines/demo.yml",
            extra: ["province", "city", "district", "adcode", "address_detail", "first_touch_channel"], in: scratch)
    }

    @Test func draftsTheVarietyPipelineFromItsFixtures() throws {
        let scratch = try CLI.scratch()
        let files = try Self.files("fixtures/variety", ["csv", "jsonl", "xml"])
        let pipeline = try Self.draft(files, in: scratch)
        let text = try String(contentsOf: pipeline, encoding: .utf8)
        #expect(text.contains("date_order: dmy"))
        #expect(text.contains("date_order: mdy"))
        #expect(text.contains(#"phone: "answers[label=手机|联系电话].value""#))
        // Inherent differences: the draft records web and WeChat forms as contacts
        // (contact_channel: last_contact_at), maps the "how did you hear of us" answers to
        // first_touch_channel and 需求 to notes; variety.yml does none of it.
        try Self.compare(
            draft: pipeline, with: "pipelines/variety.yml", extra: ["first_touch_channel", "notes"],
            later: ["last_contact_at"], in: scratch)
    }

    @Test func refusesToReplaceAPipelineWithoutForce() throws {
        let scratch = try CLI.scratch()
        let out = scratch.appendingPathComponent("new.yml")
        try "pipeline: mine\n".write(to: out, atomically: true, encoding: .utf8)
        let file = CLI.root.appendingPathComponent("fixtures/erp_bom.csv").path
        let refused = try CLI.run(["init", file, "--out", out.path])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("exists: pass --force to replace it"))
        #expect(try String(contentsOf: out, encoding: .utf8) == "pipeline: mine\n")
        let forced = try CLI.run(["init", file, "--out", out.path, "--force"])
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(try String(contentsOf: out, encoding: .utf8).contains("system: erp"))
    }

    @Test func findsTheHeaderBelowTitlesAndTheSheetThatHoldsTheData() throws {
        let scratch = try CLI.scratch()
        // A GB18030 export with two title lines, and a workbook whose first sheet is an export note
        // and whose data sheet starts with a title row and an empty row.
        let script = #"""
            import sys, zipfile
            folder = sys.argv[1]
            rows = ["客户导出（2026年11月）", "导出人：张三", "客户ID,公司名称,手机号码,纳税人识别号,最后修改时间,归属销售",
                    "C1,杭州拓维食品股份有限公司,13800138000,91350203MA05DFNF2M,2026-11-21 10:02,王晓明",
                    "C2,天津众诚食品有限公司,13900139000,91120101665854027M,2026-11-20 09:00,吴敏",
                    "C3,武汉明德食品有限公司,13700137000,91370212771107420D,2026-11-19 08:30,赵磊"]
            open(folder + "/crm_title.csv", "wb").write("\r\n".join(rows).encode("gb18030") + b"\r\n")
            def cell(ref, text):
                text = text.replace("&", "&amp;").replace("<", "&lt;")
                return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'
            def sheet(rows):
                body = "".join(f'<row r="{n}">' + "".join(cell(chr(65 + i) + str(n), v) for i, v in enumerate(r) if v) + "</row>"
                               for n, r in rows)
                return ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                        f"<sheetData>{body}</sheetData></worksheet>")
            info = [(1, ["导出时间", "2026-11-22 02:00"]), (2, ["导出人", "admin"])]
            data = [(1, ["客户档案"]), (3, ["Customer Code/客户编号", "Company/公司", "Mobile Phone/手机", "Tax Registration No./税号", "Salesperson/负责人"]),
                    (4, ["E1", "苏州致远科技股份有限公司", "18783691445", "92320505MAQRN6JW39", "王晓明"]),
                    (5, ["E2", "佛山清源建筑工程有限公司", "15856521089", "91440606782393282X", "吴敏"]),
                    (6, ["E3", "青岛融信软件有限公司", "18091918204", "91370212MAQPDEMN4J", "赵磊"])]
            ns = 'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"'
            with zipfile.ZipFile(folder + "/erp_book.xlsx", "w") as z:
                z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                    '<Default Extension="xml" ContentType="application/xml"/></Types>')
                z.writestr("_rels/.rels", f'<?xml version="1.0"?><Relationships {ns}><Relationship Id="r1" '
                    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
                z.writestr("xl/workbook.xml", '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
                    '<sheet name="说明" sheetId="1" r:id="s1"/><sheet name="客户" sheetId="2" r:id="s2"/></sheets></workbook>')
                z.writestr("xl/_rels/workbook.xml.rels", f'<?xml version="1.0"?><Relationships {ns}>'
                    '<Relationship Id="s1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
                    '<Relationship Id="s2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet2.xml"/>'
                    '</Relationships>')
                z.writestr("xl/worksheets/sheet1.xml", sheet(info))
                z.writestr("xl/worksheets/sheet2.xml", sheet(data))
            """#
        let made = try Workbook.python(["-c", script, scratch.path])
        #expect(made.status == 0, "\(made.stderr)")
        let files = ["crm_title.csv", "erp_book.xlsx"].map { scratch.appendingPathComponent($0).path }
        let pipeline = try Self.draft(files, in: scratch)
        let text = try String(contentsOf: pipeline, encoding: .utf8)
        #expect(text.contains("header_row: 3"))  // both: below the titles
        #expect(!text.contains("header_row: 1"))
        #expect(text.contains("sheet: 客户 "))
        for mapping in [
            "id: 客户ID ", "phone: 手机号码 ", "tax_id: 纳税人识别号 ", "company: 公司名称 ", "owner: 归属销售 ",
            "updated_at: 最后修改时间 ", "id: Customer Code/客户编号 ", "phone: Mobile Phone/手机 ",
            "tax_id: Tax Registration No./税号 ", "owner: Salesperson/负责人 ",
        ] {
            #expect(text.contains(mapping), "\(mapping)")
        }
        let summary = try Self.run(pipeline, store: scratch.appendingPathComponent("store.sqlite"))
        #expect(summary.overall.read == 6)
        #expect(summary.overall.merged == 6)
    }
}
