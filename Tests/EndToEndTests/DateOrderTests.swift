import Foundation
import Testing

/// A source whose dates start with the day: refused as ambiguous, and said so in the summary,
/// until the pipeline gives its `date_order`; then every row has its updated_at.
@Suite struct DateOrderTests {
    static let rows = """
        客户编号,联系人,手机,统一社会信用代码,更新时间
        K1,张伟,13800138000,91440300MA5FXT4K8N,21/11/2026 14:33
        K2,李娜,13900139000,91110108MA01ABCD5T,05.11.2026
        K3,王博诚,13280091293,,20261121 0915

        """

    func run(dateOrder: String?) throws -> (CLI.Result, URL) {
        let scratch = try CLI.scratch()
        try Self.rows.write(to: scratch.appendingPathComponent("input.csv"), atomically: true, encoding: .utf8)
        let pipeline = scratch.appendingPathComponent("hk.yml")
        try """
        pipeline: hk
        key: {demo: true}
        sources:
          - system: hk_crm
            path: input.csv
            id: 客户编号
            updated_at: 更新时间
        \(dateOrder.map { "    date_order: \($0)\n" } ?? "")\
            fields: {name: 联系人, phone: 手机, tax_id: 统一社会信用代码}
        """.write(to: pipeline, atomically: true, encoding: .utf8)
        let check = try CLI.run(["check", pipeline.path])
        #expect(check.status == 0, "\(check.stderr)")
        return (try CLI.run(["run", pipeline.path, "--as-of", "2026-11-22T03:00:00+08:00", "--lang", "en"]), scratch)
    }

    @Test func withoutItDayFirstDatesAreRefusedAndCounted() throws {
        let (result, _) = try run(dateOrder: nil)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("dates refused and left empty: hk_crm ambiguous 2"), "\(result.stdout)")
        #expect(result.stdout.contains("set date_order: dmy or mdy on the source"))
    }

    @Test func withItEveryRowHasItsUpdateTime() throws {
        let (result, scratch) = try run(dateOrder: "dmy")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stdout.contains("dates refused"), "\(result.stdout)")
        let store = scratch.appendingPathComponent("hk.sqlite")
        let xref = parseCSV(try CLI.export("xref", store: store, to: scratch))
        let updated = Dictionary(uniqueKeysWithValues: xref.map { ($0["source_id"]!, $0["updated_at"]!) })
        #expect(
            updated == [
                "K1": "2026-11-21T14:33:00+08:00", "K2": "2026-11-05T00:00:00+08:00",
                "K3": "2026-11-21T09:15:00+08:00",
            ])
    }
}
