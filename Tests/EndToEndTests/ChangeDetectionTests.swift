import Foundation
import Testing

/// A nightly export repeats most rows unchanged: those are not normalized again, and a row the
/// same batch has rewritten in between is still merged in its turn.
@Suite struct ChangeDetectionTests {
    static let header = "客户编号,客户名称,联系人,手机,统一社会信用代码,负责人,更新时间"
    static let one = "KH1,青岛合力医疗器械有限公司,蒋伟,13276466564,91370212840807763W,赵磊,2026-11-21 22:23"
    static let two = "KH2,南京润丰新材料有限公司,丁俊杰,15276514835,9232010684752589X8,赵磊,2026-11-21 23:19"
    static let three = "KH3,北京天润餐饮管理有限公司,黄子涵,13676563106,91110105854244025C,李娜,2026-11-21 06:57"

    func run(_ pipeline: URL, _ rows: [String]) throws -> Summary {
        try ([Self.header] + rows).joined(separator: "\n")
            .write(
                to: pipeline.deletingLastPathComponent().appendingPathComponent("input.csv"), atomically: true,
                encoding: .utf8)
        let result = try CLI.run(["run", pipeline.path, "--as-of", "2026-11-22T03:00:00+08:00", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        return try JSONDecoder().decode(Summary.self, from: Data(result.stdout.utf8))
    }

    @Test func unchangedRowsAreSkippedAndARowRewrittenInTheBatchIsNot() throws {
        let scratch = try CLI.scratch()
        let pipeline = try CLI.crmPipeline(
            "nightly", in: scratch,
            fields: "{company: 客户名称, name: 联系人, phone: 手机, tax_id: 统一社会信用代码, owner: 负责人}")
        let first = try run(pipeline, [Self.one, Self.two, Self.three])
        #expect(first.overall.created == 3)

        let renamed = "KH2,南京润丰新材料股份有限公司,丁俊杰,15276514835,9232010684752589X8,赵磊,2026-11-21 23:59"
        let movedUp = "KH3,北京天润餐饮集团有限公司,黄子涵,13676563106,91110105854244025C,李娜,2026-11-21 07:30"
        let newOne = "KH4,深圳市前海微众科技有限公司,李雷,13800138000,91440300MA5FXT4K8N,赵磊,2026-11-21 08:00"
        // KH3 changes, then comes back as it was: the store's last committed row says "unchanged",
        // but by then this batch has rewritten it, so it is merged again.
        let second = try run(pipeline, [Self.one, renamed, movedUp, Self.three, newOne])
        #expect(second.overall.read == 5)
        #expect(second.overall.unchanged == 1)
        #expect(second.overall.updated == 3)
        #expect(second.overall.created == 1)
        #expect(second.overall.rejected == 0)

        // The same file again: only the row that changes within the file changes, twice; KH1's
        // repeat at the end is a duplicate, as it is in a first load.
        let third = try run(pipeline, [Self.one, renamed, movedUp, Self.three, newOne, Self.one])
        #expect(third.overall.unchanged == 3)
        #expect(third.overall.updated == 2)
        #expect(third.overall.rejected_by_reason == ["duplicate": 1])

        let master = parseCSV(try CLI.export("master", store: scratch.appendingPathComponent("nightly.sqlite"), to: scratch))
        #expect(
            Set(master.compactMap { $0["company"] }) == [
                "青岛合力医疗器械有限公司", "南京润丰新材料股份有限公司",
                "北京天润餐饮集团有限公司", "深圳市前海微众科技有限公司",
            ])
    }

    /// A pipeline of two CRM-like systems in a scratch folder: `crm` from `crmPath`, `erp` from
    /// erp.csv with `erpRules` (one line of YAML) before its fields.
    struct TwoSystems {
        let scratch: URL
        let pipeline: URL
        let threads: String

        init(threads: String, crmPath: String, erpRules: String = "") throws {
            self.threads = threads
            scratch = try CLI.scratch()
            pipeline = scratch.appendingPathComponent("two.yml")
            let fields = "fields: {company: 客户名称, name: 联系人, phone: 手机, tax_id: 统一社会信用代码, owner: 负责人}"
            try """
            pipeline: two
            key: {demo: true}
            sources:
              - system: crm
                path: \(crmPath)
                id: 客户编号
                updated_at: 更新时间
                \(fields)
              - system: erp
                path: erp.csv
                id: 客户编号
                updated_at: 更新时间
                \(erpRules)
                \(fields)
            """.write(to: pipeline, atomically: true, encoding: .utf8)
        }

        func write(_ name: String, _ rows: [String]) throws {
            try ([ChangeDetectionTests.header] + rows).joined(separator: "\n")
                .write(to: scratch.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }

        /// `crmbridge run --force --json` with the exit status and the summary's JSON.
        func run() throws -> (status: Int32, stderr: String, json: String) {
            let result = try CLI.run([
                "run", pipeline.path, "--as-of", "2026-11-22T03:00:00+08:00", "--force", "--threads", threads, "--json",
            ])
            return (result.status, result.stderr, result.stdout)
        }

        func summary() throws -> Summary {
            let result = try run()
            #expect(result.status == 0, "\(result.stderr)")
            return try JSONDecoder().decode(Summary.self, from: Data(result.json.utf8))
        }
    }

    /// ERP rows enough for reading ahead to take several chunks.
    static let erpRows = (0..<3_000).map {
        "E\($0),青岛合力医疗器械有限公司,蒋伟,132764\(String(format: "%05d", $0)),,赵磊,2026-11-21 22:23"
    }

    /// A re-run reads the next file ahead while it merges one, and drops the source rows of
    /// unchanged rows that nothing earlier in the batch can have rewritten: a row that an earlier
    /// file of its system rewrote keeps its own and is merged in its turn, and the result is
    /// that of the same batch run file by file (`--threads 1` reads ahead too: one thread a file).
    @Test(arguments: ["1", "2"])
    func aRowRewrittenByAnEarlierFileOfItsSystemIsMergedWhileTheNextSystemIsReadAhead(threads: String) throws {
        let two = try TwoSystems(threads: threads, crmPath: "crm-*.csv")
        try two.write("crm-1.csv", [Self.one, Self.two])
        try two.write("crm-2.csv", [Self.three])
        try two.write("erp.csv", Self.erpRows)
        let first = try two.summary()
        #expect(first.overall.read == 3_003)

        // The first CRM file moves KH3 up; the second has it as the store holds it: unchanged by
        // the snapshot, rewritten by the batch, so it is merged in its turn.
        let movedUp = "KH3,北京天润餐饮集团有限公司,黄子涵,13676563106,91110105854244025C,李娜,2026-11-21 07:30"
        try two.write("crm-1.csv", [Self.one, Self.two, movedUp])
        let second = try two.summary()
        #expect(second.overall.read == 3_004)
        #expect(second.overall.updated == 2)
        #expect(second.overall.unchanged == 3_002)
        #expect(second.by_system["erp"]?.unchanged == 3_000)

        let third = try two.summary()
        #expect(third.overall.unchanged == 3_002)
        #expect(third.overall.updated == 2)
        let master = parseCSV(
            try CLI.export("master", store: two.scratch.appendingPathComponent("two.sqlite"), to: two.scratch))
        // The later update of the two wins, as in one file.
        #expect(master.contains { $0["company"] == "北京天润餐饮集团有限公司" })
    }

    /// A file read ahead that fails part way (here a pattern that backtracks without end on one
    /// cell) is reported with its line once its turn comes; the records before it and the files
    /// before it are loaded, as when nothing reads ahead, and every row is accounted for.
    @Test(arguments: ["1", "2"])
    func aFileThatFailsWhileReadAheadIsReportedInItsTurn(threads: String) throws {
        let two = try TwoSystems(threads: threads, crmPath: "crm.csv", erpRules: #"skip_rows_matching: ["^(a+)+$"]"#)
        try two.write("crm.csv", [Self.one, Self.two])
        try two.write("erp.csv", Self.erpRows)
        #expect(try two.run().status == 0)

        // Line 2,002 of the file (the header is line 1): after 2,000 records, a cell that makes
        // the pattern backtrack past its limit.
        let endless = "E2000x,\(String(repeating: "a", count: 30_000))!,蒋伟,13276400000,,赵磊,2026-11-21 22:23"
        try two.write("erp.csv", Array(Self.erpRows[..<2_000]) + [endless] + Array(Self.erpRows[2_000...]))
        let failed = try two.run()
        #expect(failed.status == 1, "a file that could not be read fails the run")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(failed.json.utf8)) as? [String: Any])
        let files = try #require(json["files"] as? [[String: Any]])
        #expect(files.map { $0["status"] as? String } == ["loaded", "failed"])
        let error = try #require(files[1]["error"] as? String)
        #expect(error.contains("'^(a+)+$' ran past its work limit on a cell of line 2002"), "\(error)")
        #expect(error.contains("after 2000 records"))
        let summary = try JSONDecoder().decode(Summary.self, from: Data(failed.json.utf8))
        #expect(summary.overall.read == 2_002)
        #expect(summary.overall.unchanged == 2_002)
        #expect(summary.by_system["erp"]?.read == 2_000)
    }
}
