import Foundation
import Testing

/// The pipeline file's `limits:` sets every guard against a hostile file, for the pipeline and
/// per source: a genuine file past a default loads once its limit is raised, and a lowered limit
/// rejects or abandons with a message naming the key to change.
@Suite struct LimitsTests {
    static let header = HostileInputTests.header
    static let good = HostileInputTests.good
    static let wide = "KH2,\(String(repeating: "某", count: 700))公司,蒋伟,13800138000,,赵磊,2026-11-21 08:00"

    func run(_ csv: String, limits: String, in scratch: URL) throws -> (CLI.Result, Summary?) {
        let pipeline = try CLI.crmPipeline(
            "limits", in: scratch, fields: "{company: 客户名称, name: 联系人, phone: 手机, tax_id: 统一社会信用代码, owner: 负责人}")
        try (String(contentsOf: pipeline, encoding: .utf8) + "\n" + limits).write(to: pipeline, atomically: true, encoding: .utf8)
        try csv.write(to: scratch.appendingPathComponent("input.csv"), atomically: true, encoding: .utf8)
        let result = try CLI.run(["run", pipeline.path, "--as-of", "2026-11-22T03:00:00+08:00", "--json"])
        return (result, try? JSONDecoder().decode(Summary.self, from: Data(result.stdout.utf8)))
    }

    @Test func loweredLimitsRejectAndAbandonNamingTheirKeys() throws {
        let scratch = try CLI.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        // The wide row's company is 2,100 bytes: within the default 1 MiB, past 1 KiB.
        let csv = [Self.header, Self.good, Self.wide].joined(separator: "\n") + String(repeating: "\n", count: 8)
        let (result, summary) = try run(csv, limits: "limits: {cell_bytes: 1 KiB, empty_rows_per_file: 5}", in: scratch)
        #expect(result.status == 1, "\(result.stderr)")
        #expect(summary?.overall.read == 8)
        #expect(summary?.overall.merged == 1)
        #expect(summary?.overall.rejected_by_reason == ["too_large": 1, "empty_row": 6])
        #expect(summary?.files.map(\.status) == ["failed"])
        #expect(result.stdout.contains("the limit is 5, limits.empty_rows_per_file"))
        let rejects = parseCSV(try CLI.export("rejects", store: scratch.appendingPathComponent("limits.sqlite"), to: scratch))
        #expect(rejects.first?["reason"]?.contains("more than the 1 KiB a cell may hold") == true, "\(rejects.first ?? [:])")
    }

    @Test func aSourcesOwnLimitIsOverThePipelines() throws {
        let scratch = try CLI.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let csv = [Self.header, Self.good, Self.wide].joined(separator: "\n")
        let limits = "limits: {cell_bytes: 1 KiB}\n"
        let (tight, tightSummary) = try run(csv, limits: limits, in: scratch)
        #expect(tight.status == 0, "\(tight.stderr)")
        #expect(tightSummary?.overall.rejected_by_reason == ["too_large": 1])
        try FileManager.default.removeItem(at: scratch.appendingPathComponent("limits.sqlite"))
        let own = "    limits: {cell_bytes: 4KiB}\n" + limits
        let (result, summary) = try run(csv, limits: own, in: scratch)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(summary?.overall.merged == 1)  // KH2, without a tax ID, waits as pending
        #expect(summary?.overall.pending == 1)
        #expect(summary?.overall.rejected == 0)
    }

    @Test func xmlNestingFollowsItsLimit() throws {
        let scratch = try CLI.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let nested = String(repeating: "<a>", count: 10) + String(repeating: "</a>", count: 10)
        try "<pushes><xml><MsgId>1</MsgId><Content>手机：13800138000</Content>\(nested)</xml></pushes>"
            .write(to: scratch.appendingPathComponent("wechat.xml"), atomically: true, encoding: .utf8)
        let pipeline = scratch.appendingPathComponent("nested.yml")
        func run(depth: Int) throws -> Summary? {
            try """
            pipeline: nested
            key: {demo: true}
            limits: {nesting_depth: \(depth)}
            sources:
              - system: wechat
                path: wechat.xml
                format: xml
                id: MsgId
                fields: {phone: "Content#手机"}
            """.write(to: pipeline, atomically: true, encoding: .utf8)
            let result = try CLI.run(["run", pipeline.path, "--as-of", "2026-11-22T03:00:00+08:00", "--json"])
            #expect(result.status == 0, "\(result.stderr)")
            return try? JSONDecoder().decode(Summary.self, from: Data(result.stdout.utf8))
        }
        #expect(try run(depth: 8)?.overall.rejected_by_reason == ["malformed": 1])
        let rejects = parseCSV(try CLI.export("rejects", store: scratch.appendingPathComponent("nested.sqlite"), to: scratch))
        #expect(
            rejects.first?["reason"]?.contains("nested deeper than 8 levels (the pipeline file's limits.nesting_depth)") == true)
        try FileManager.default.removeItem(at: scratch.appendingPathComponent("nested.sqlite"))
        #expect(try run(depth: 16)?.overall.rejected == 0)
    }

    @Test func aLimitThatIsNoSizeIsAnIssueAtItsLine() throws {
        let scratch = try CLI.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let pipeline = try CLI.crmPipeline("limits", in: scratch, fields: "{phone: 手机}")
        try (String(contentsOf: pipeline, encoding: .utf8) + "\nlimits:\n  cell_bytes: lots\n  xlsx_rowz: 5\n  xlsx_rows: 0")
            .write(to: pipeline, atomically: true, encoding: .utf8)
        let result = try CLI.run(["check", pipeline.path])
        #expect(result.status == 2, "\(result.stdout)\(result.stderr)")
        let out = result.stdout + result.stderr
        #expect(out.contains(":10:15: 'limits.cell_bytes' must be a size"), "\(out)")
        #expect(out.contains(":11:3: unknown key 'xlsx_rowz' in 'limits' (did you mean 'xlsx_rows'?)"), "\(out)")
        #expect(out.contains(":12:14: 'limits.xlsx_rows' must be a whole number of at least 1"), "\(out)")
    }
}
