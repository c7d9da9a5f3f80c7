import Foundation
import Testing

@Suite struct JSONSourceTests {
    @Test func runsAJSONLinesSource() throws {
        let scratch = try CLI.scratch()
        let forms = """
            {"id": "W1", "submittedAt": "2026-11-20T10:00:00+08:00", "answers": {"name": "张伟", "mobile": 13800138000, "taxId": "91440300MA5FXT4K8N"}}
            {"id": "W2", "submittedAt": "2026-11-20T11:00:00+08:00", "answers": {"name": "李娜", "mobile": "13900139000", "taxId": "91110108MA01ABCD5T"}}
            {"id": "W3", "answers": {"name": "王
            {"id": "W4", "submittedAt": "2026-11-20T12:00:00+08:00", "answers": {"name": "赵", "mobile": null}}

            """
        try forms.write(to: scratch.appendingPathComponent("forms.jsonl"), atomically: true, encoding: .utf8)
        let file = try pipeline(
            scratch,
            """
            pipeline: web-forms
            store: sqlite:web.sqlite
            key: {demo: true}
            sources:
              - system: web
                path: forms.jsonl
                format: jsonl
                id: id
                updated_at: submittedAt
                fields:
                  name: answers.name
                  phone: answers.mobile
                  tax_id: answers.taxId
            """)
        let summary = try CLI.checkAndRun(file)
        #expect(summary.overall.read == 4)
        #expect(summary.overall.read == summary.overall.merged + summary.overall.pending + summary.overall.rejected)
        #expect(summary.overall.merged == 2)

        let rejects = parseCSV(try CLI.export("rejects", store: scratch.appendingPathComponent("web.sqlite"), to: scratch))
        let malformed = rejects.filter { $0["reason_code"] == "malformed" }
        #expect(malformed.count == 1)
        #expect(malformed.first?["locator"] == "line 3")
        #expect(malformed.first?["source_id"] == "W3")

        let master = parseCSV(try CLI.export("master", store: scratch.appendingPathComponent("web.sqlite"), to: scratch))
        #expect(Set(master.map { $0["phone_e164"] ?? "" }) == ["+8613800138000", "+8613900139000"])
        #expect(master.contains { $0["tax_id"] == "91440300MA5FXT4K8N" && $0["name"] == "张伟" })
    }
}
