import Foundation
import Testing

/// A date column that holds a huge number (a mis-mapped id, JSON's `1e19`) is refused as a
/// date and the run goes on: it used to overflow in the timestamp parser and kill the process.
@Suite struct NumbersAsDatesTests {
    @Test func aCSVRunReadsPastNineteenDigitDates() throws {
        let scratch = try CLI.scratch()
        try """
        客户编号,联系人,手机,统一社会信用代码,更新时间
        K1,张伟,13800138000,91440300MA5FXT4K8N,9999999999999999999
        K2,李娜,13900139000,91110108MA01ABCD5T,99999999999999999999999999999999
        K3,王博诚,13280091293,,2026-11-21 14:33

        """.write(to: scratch.appendingPathComponent("input.csv"), atomically: true, encoding: .utf8)
        let file = try CLI.crmPipeline("long-dates", in: scratch, fields: "{name: 联系人, phone: 手机, tax_id: 统一社会信用代码}")
        let summary = try CLI.checkAndRun(file)
        #expect(summary.overall.read == 3)
        #expect(summary.overall.merged == 2 && summary.overall.pending == 1)
        #expect(summary.rows_without_updated_at == 2)
    }

    @Test func aJSONRunReadsPastExponentDates() throws {
        let scratch = try CLI.scratch()
        try """
        {"id": "W1", "at": 1e19, "mobile": 13800138000, "taxId": "91440300MA5FXT4K8N"}
        {"id": "W2", "at": 9.99e307, "mobile": 13900139000, "taxId": "91110108MA01ABCD5T"}
        {"id": "W3", "at": 1795230000, "mobile": 13280091293}

        """.write(to: scratch.appendingPathComponent("forms.jsonl"), atomically: true, encoding: .utf8)
        let file = try pipeline(
            scratch,
            """
            pipeline: long-dates
            store: sqlite:forms.sqlite
            key: {demo: true}
            sources:
              - system: web
                path: forms.jsonl
                format: jsonl
                id: id
                updated_at: at
                fields: {phone: mobile, tax_id: taxId}
            """)
        let summary = try CLI.checkAndRun(file)
        #expect(summary.overall.read == 3)
        #expect(summary.overall.merged == 2 && summary.overall.pending == 1)
        #expect(summary.rows_without_updated_at == 2)
    }
}
