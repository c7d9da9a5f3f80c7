import Foundation
import Testing

/// `survivorship.rule` and company names, end to end: an ERP holds a customer's legal name and a
/// long note, a web form later gives a shorter name and a short note.
@Suite struct SurvivorshipRuleTests {
    static let header = "客户编号,客户名称,联系人,手机,统一社会信用代码,地址,备注,更新时间"
    static let erp = "E1,青岛合力医疗器械 (青岛) 有限公司,蒋伟,13276466564,91370212840807763W,我家的地址是江苏淮安清河区健康西路100号,客户关注价格，下周二回访,2026-11-20 10:00"
    static let web = "W1,合力医疗,蒋伟,13276466564,91370212840807763W,,已回访,2026-11-21 10:00"

    /// Writes the two files and a pipeline with `survivorship` (YAML flow style, or nothing).
    func pipeline(survivorship: String?) throws -> URL {
        let scratch = try CLI.scratch()
        try [Self.header, Self.erp].joined(separator: "\n")
            .write(to: scratch.appendingPathComponent("erp.csv"), atomically: true, encoding: .utf8)
        try [Self.header, Self.web].joined(separator: "\n")
            .write(to: scratch.appendingPathComponent("web.csv"), atomically: true, encoding: .utf8)
        let source = { (system: String) in
            """
              - system: \(system)
                path: \(system).csv
                id: 客户编号
                updated_at: 更新时间
                fields: {company: 客户名称, name: 联系人, phone: 手机, tax_id: 统一社会信用代码, address: 地址, notes: 备注}
            """
        }
        let file = scratch.appendingPathComponent("rules.yml")
        try """
        pipeline: rules
        key: {demo: true}
        sources:
        \(source("erp"))
        \(source("web"))
        \(survivorship.map { "survivorship: \($0)" } ?? "")
        """.write(to: file, atomically: true, encoding: .utf8)
        return file
    }

    func master(_ pipeline: URL) throws -> [String: String] {
        let scratch = pipeline.deletingLastPathComponent()
        let rows = parseCSV(try CLI.export("master", store: scratch.appendingPathComponent("rules.sqlite"), to: scratch))
        try #require(rows.count == 1)
        return rows[0]
    }

    @Test func byDefaultTheLegalNameSurvivesAndTheLatestNote() throws {
        let pipeline = try pipeline(survivorship: nil)
        let summary = try CLI.checkAndRun(pipeline)
        #expect(summary.overall.merged == 2)
        let customer = try master(pipeline)
        #expect(customer["company"] == "青岛合力医疗器械（青岛）有限公司")
        #expect(customer["notes"] == "已回访")
        // The address after its prose, its retired district read as today's.
        #expect(customer["district"] == "清江浦区")
        #expect(customer["adcode"] == "320812")
        #expect(customer["address_detail"] == "健康西路100号")

        // The same files again, re-read: nothing changes.
        let again = try CLI.run(["run", pipeline.path, "--as-of", "2026-11-22T03:00:00+08:00", "--json", "--force"])
        #expect(again.status == 0, "\(again.stderr)")
        let counts = try JSONDecoder().decode(Summary.self, from: Data(again.stdout.utf8)).overall
        #expect(counts.read == 2 && counts.updated == 0 && counts.created == 0)
        #expect(try master(pipeline) == customer)
    }

    @Test func aPipelineChoosesItsRulePerField() throws {
        let pipeline = try pipeline(survivorship: "{rule: {company: latest, notes: longest}}")
        let summary = try CLI.checkAndRun(pipeline)
        #expect(summary.overall.merged == 2)
        let customer = try master(pipeline)
        #expect(customer["company"] == "合力医疗")
        #expect(customer["notes"] == "客户关注价格，下周二回访")

        let again = try CLI.run(["run", pipeline.path, "--as-of", "2026-11-22T03:00:00+08:00", "--json", "--force"])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try JSONDecoder().decode(Summary.self, from: Data(again.stdout.utf8)).overall.updated == 0)
        #expect(try master(pipeline) == customer)
    }

    @Test func aPriorityRuleWithoutItsListIsABadPipeline() throws {
        let pipeline = try pipeline(survivorship: "{rule: {owner: priority}}")
        let check = try CLI.run(["check", pipeline.path])
        #expect(check.status == 2)
        #expect(check.stderr.contains("survivorship.rule.owner is priority"), "\(check.stderr)")
    }
}
