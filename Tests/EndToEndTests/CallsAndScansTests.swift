import Foundation
import Testing

/// A call-centre dump as interactions, and the gap scan with its follow-up across batches.
@Suite struct CallsAndScansTests {
    static let crmHeader = "客户编号,联系人,手机,座机,统一社会信用代码,负责人,销售组,客户状态,最近联系日期,下次跟进计划,更新时间\n"

    func setUp(_ scratch: URL, crm: String) throws -> URL {
        try (Self.crmHeader + crm).write(to: scratch.appendingPathComponent("crm.csv"), atomically: true, encoding: .utf8)
        return try pipeline(
            scratch,
            """
            pipeline: calls
            store: sqlite:calls.sqlite
            key: {demo: true}
            scan:
              active_statuses: [跟进中, 潜在客户]
            sources:
              - system: crm
                path: crm.csv
                id: 客户编号
                updated_at: 更新时间
                fields: {name: 联系人, phone: 手机, landline: 座机, tax_id: 统一社会信用代码, owner: 负责人,
                         sales_group: 销售组, status: 客户状态, last_contact_at: 最近联系日期, next_followup_plan: 下次跟进计划}
              - system: callcenter
                kind: interactions
                path: "calls*.csv"
                id: call_id
                skip_rows_matching: ["^合计"]
                fields: {phone: caller, started_at: start_time, duration_s: duration_s, agent: agent_id, outcome: disposition}
            """)
    }

    @Test func callsLinkMoveLastContactAndCountInIDMatch() throws {
        let scratch = try CLI.scratch()
        let file = try setUp(
            scratch,
            crm: """
                KH1,张伟,13800138000,0755-88886666,91440300MA5FXT4K8N,李娜,华南一组,跟进中,2026-11-01,,2026-11-21 10:00
                KH2,王芳,13900139000,,91110108MA01ABCD5T,李娜,华南一组,跟进中,2026-11-18,下周报价,2026-11-21 10:00
                KH3,无名,无,,,陈晨,华东二组,跟进中,,,2026-11-21 10:00

                """)
        try """
        \u{FEFF}call_id,caller,called,start_time,duration_s,agent_id,disposition
        CL1,013800138000,400-612-3456,2026-11-20 09:00:00,120,A1,已接通
        CL2,(0755)8888-6666,400-612-3456,2026-11-21 10:30:00,60,A2,已接通
        CL3,+86 186 0000 0000,400-612-3456,2026-11-21 11:00:00,30,A1,未接
        CL4,,400-612-3456,2026-11-21 11:30:00,0,A1,未接
        CL5,13900139000,400-612-3456,2026-11-02 08:00:00,45,A3,已接通
        合计,5通,,,,,
        CL6,13800138000,400-612-34
        """.write(to: scratch.appendingPathComponent("calls-1121.csv"), atomically: true, encoding: .utf8)
        #expect(try CLI.run(["check", file.path]).status == 0)
        let run = try CLI.run(["run", file.path, "--as-of", "2026-11-22T03:00:00+08:00", "--json"])
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let calls = try JSONDecoder().decode(
            [String: Summary.Counts].self,
            from: JSONSerialization.data(withJSONObject: summary["by_system"]!))["callcenter"]!
        #expect(calls.read == 7)
        #expect(calls.merged == 3)
        #expect(calls.pending == 1)
        #expect(calls.rejected == 3)
        #expect((summary["id_match_by_system"] as? [String: Double])?["callcenter"] == 0.75)

        let store = scratch.appendingPathComponent("calls.sqlite")
        let rejects = parseCSV(try CLI.export("rejects", store: store, to: scratch))
            .filter { $0["source_system"] == "callcenter" }
        #expect(
            rejects.map { "\($0["locator"]!) \($0["reason_code"]!)" }
                == ["line 5 no_identifier", "line 7 skipped", "line 8 malformed"])

        // A rejected record keeps its owner, for the per-owner score.
        let crmRejects = parseCSV(try CLI.export("rejects", store: store, to: scratch)).filter { $0["source_system"] == "crm" }
        #expect(crmRejects.map { "\($0["source_id"]!) \($0["reason_code"]!) \($0["owner"]!)" } == ["KH3 no_identifier 陈晨"])

        let master = Dictionary(
            uniqueKeysWithValues: parseCSV(try CLI.export("master", store: store, to: scratch))
                .map { ($0["phone_e164"]!, $0) })
        #expect(master["+8613800138000"]?["last_contact_at"] == "2026-11-21T10:30:00+08:00")
        #expect(master["+8613900139000"]?["last_contact_at"] == "2026-11-18T00:00:00+08:00")

        let interactions = parseCSV(try CLI.export("interactions", store: store, to: scratch))
        #expect(interactions.map { $0["source_id"]! } == ["CL1", "CL2", "CL3", "CL5"])
        #expect(interactions.map { $0["state"]! } == ["merged", "merged", "pending", "merged"])
        #expect(interactions[0]["customer_key"] == master["+8613800138000"]?["customer_key"])
        #expect(interactions[1]["customer_key"] == master["+8613800138000"]?["customer_key"])
    }

    @Test func theGapScanListsActiveCustomersAndFollowsUp() throws {
        let scratch = try CLI.scratch()
        let file = try setUp(
            scratch,
            crm: """
                KH1,张伟,13800138000,,91440300MA5FXT4K8N,李娜,华南一组,跟进中,,,2026-11-21 10:00
                KH2,王芳,13900139000,,91110108MA01ABCD5T,李娜,华南一组,跟进中,2026-11-18,下周报价,2026-11-21 10:00
                KH3,赵磊,13700137000,,12370212MAN203463W,陈晨,华东二组,潜在客户,,约见面,2026-11-21 10:00
                KH4,刘洋,13600136000,,91440300MA5FXT4K8N,陈晨,华东二组,已成交,,,2026-11-21 10:00
                KH5,孙丽,13500135000,,12420106MAMCYT9C88,陈晨,华东二组,跟进中,,回访,2026-11-21 10:00

                """)
        try "call_id,caller,called,start_time,duration_s,agent_id,disposition\n"
            .write(to: scratch.appendingPathComponent("calls-0.csv"), atomically: true, encoding: .utf8)
        _ = try CLI.checkAndRun(file)
        let gapsFile = scratch.appendingPathComponent("gaps.csv")
        let first = try CLI.run([
            "scan", "gaps", file.path, "--out", gapsFile.path, "--as-of", "2026-11-22T03:00:00+08:00", "--lang", "en",
        ])
        #expect(first.status == 0, "\(first.stderr)")
        let gaps = parseCSV(try String(contentsOf: gapsFile, encoding: .utf8))
        #expect(
            gaps.map { "\($0["sales_group"]!) \($0["owner"]!) \($0["name"]!) \($0["missing"]!)" } == [
                "华东二组 陈晨 孙丽 last_contact_at",
                "华东二组 陈晨 赵磊 last_contact_at",
                "华南一组 李娜 张伟 last_contact_at,next_followup_plan",
            ])
        #expect(
            try String(contentsOf: gapsFile, encoding: .utf8).hasPrefix("customer_key,name,owner,sales_group,status,missing,"))
        #expect(first.stderr.contains("gaps: 3 of 4 active customers"))

        // The next night calls reach 张伟 (whose plan is still missing) and 孙丽 (closed within
        // 48 hours); 赵磊 is called three days later (closed, but late).
        try """
        call_id,caller,called,start_time,duration_s,agent_id,disposition
        CL1,13800138000,4006123456,2026-11-22 15:00:00,60,A1,已接通
        CL3,13500135000,4006123456,2026-11-22 16:00:00,60,A2,已接通
        """.write(to: scratch.appendingPathComponent("calls-1.csv"), atomically: true, encoding: .utf8)
        #expect(try CLI.run(["run", file.path, "--as-of", "2026-11-23T03:00:00+08:00"]).status == 0)
        try """
        call_id,caller,called,start_time,duration_s,agent_id,disposition
        CL2,13700137000,4006123456,2026-11-25 15:00:00,60,A1,已接通
        """.write(to: scratch.appendingPathComponent("calls-2.csv"), atomically: true, encoding: .utf8)
        #expect(try CLI.run(["run", file.path, "--as-of", "2026-11-26T03:00:00+08:00"]).status == 0)
        let second = try CLI.run([
            "scan", "gaps", file.path, "--out", gapsFile.path, "--as-of", "2026-11-26T04:00:00+08:00", "--lang", "en",
        ])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(parseCSV(try String(contentsOf: gapsFile, encoding: .utf8)).map { $0["missing"]! } == ["next_followup_plan"])
        #expect(
            second.stderr.contains("since the scan of 2026-11-22T03:00:00+08:00: 2 of 3 closed, 1 within 48 hours"),
            "\(second.stderr)")

        // The dashboard's JSON carries the latest scan and the per-owner score.
        let health = try CLI.run([
            "health", "--store", "sqlite:" + scratch.appendingPathComponent("calls.sqlite").path,
            "--format", "json",
        ])
        let report = try #require(try JSONSerialization.jsonObject(with: Data(health.stdout.utf8)) as? [String: Any])
        let scan = try #require(report["latest_gap_scan"] as? [String: Any])
        #expect(
            scan["customers"] as? Int == 1 && scan["previous_listed"] as? Int == 3 && scan["closed"] as? Int == 2
                && scan["closed_within48h"] as? Int == 1, "\(scan)")
        let owners = try #require(report["owners"] as? [[String: Any]])
        let chen = try #require(owners.first { $0["owner"] as? String == "陈晨" })
        #expect(chen["gaps_listed_before"] as? Int == 2 && chen["gaps_closed"] as? Int == 2 && chen["gaps_open"] as? Int == 0)
        let li = try #require(owners.first { $0["owner"] as? String == "李娜" })
        #expect(li["gaps_open"] as? Int == 1 && li["gaps_closed"] as? Int == 0)
    }

    @Test func theStaleListAndTheConsistencySnapshot() throws {
        let scratch = try CLI.scratch()
        let file = try setUp(
            scratch,
            crm: """
                KH1,张伟,13800138000,,91440300MA5FXT4K8N,李娜,华南一组,跟进中,2026-11-20,回访,2026-11-21 10:00
                KH2,王芳,13900139000,,91110108MA01ABCD5T,李娜,华南一组,跟进中,2026-11-01,报价,2026-11-21 10:00
                KH3,赵磊,13700137000,,12370212MAN203463W,陈晨,华东二组,潜在客户,,约见面,2026-11-21 10:00
                KH4,刘洋,13600136000,,12420106MAMCYT9C88,陈晨,华东二组,已成交,2026-01-01,,2026-11-21 10:00

                """)
        try """
        call_id,caller,called,start_time,duration_s,agent_id,disposition
        CL1,13900139000,4006123456,2026-11-10 15:00:00,60,A1,已接通
        """.write(to: scratch.appendingPathComponent("calls-0.csv"), atomically: true, encoding: .utf8)
        _ = try CLI.checkAndRun(file)
        let stale = try CLI.run([
            "scan", "stale", file.path, "--days", "7", "--as-of", "2026-11-22T03:00:00+08:00", "--lang", "en",
        ])
        #expect(stale.status == 0, "\(stale.stderr)")
        // 王芳's call on 11-10 is her latest contact; 赵磊 was never contacted; 刘洋 is not active.
        #expect(parseCSV(stale.stdout).map { "\($0["name"]!) \($0["days_since"]!)" } == ["赵磊 ", "王芳 11"])

        // The ERP holds two of the customers with another owner for one of them.
        try """
        customer_no,contact,mobile,tax_id,owner,updated_at
        E1,张伟,13800138000,91440300MA5FXT4K8N,李娜,2026-11-21 09:00
        E2,王芳,13900139000,91110108MA01ABCD5T,周杰,2026-11-21 09:00
        """.write(to: scratch.appendingPathComponent("erp.csv"), atomically: true, encoding: .utf8)
        let erp = try pipeline(
            scratch,
            """
            pipeline: erp
            store: sqlite:calls.sqlite
            key: {demo: true}
            sources:
              - system: erp
                path: erp.csv
                id: customer_no
                updated_at: updated_at
                fields: {name: contact, phone: mobile, tax_id: tax_id, owner: owner}
            """)
        #expect(try CLI.run(["run", erp.path, "--as-of", "2026-11-22T03:00:00+08:00"]).status == 0)
        let store = "sqlite:" + scratch.appendingPathComponent("calls.sqlite").path
        let arguments = [
            "scan", "consistency", "--store", store, "--systems", "crm,erp", "--fields", "owner,name",
            "--sample", "10", "--seed", "3", "--lang", "en",
        ]
        let failed = try CLI.run(arguments + ["--max-diff", "0.2"])
        #expect(failed.status == 5, "\(failed.stderr)")
        #expect(parseCSV(failed.stdout).map { "\($0["name"]!) \($0["field"]!) \($0["values"]!)" } == ["王芳 owner crm=李娜; erp=周杰"])
        #expect(failed.stderr.contains("2 of 2 customers in crm, erp sampled; 1 of 4 field values differ (0.2500, limit 0.2)"))
        #expect(try CLI.run(arguments + ["--max-diff", "0.25"]).status == 0)
    }

    @Test func theGapWorkbookHasASheetPerSalesGroupWithRedCells() throws {
        let scratch = try CLI.scratch()
        let file = try setUp(
            scratch,
            crm: """
                KH1,张伟,13800138000,,91440300MA5FXT4K8N,李娜,华南一组,跟进中,,,2026-11-21 10:00
                KH2,王芳,13900139000,,91110108MA01ABCD5T,李娜,华南一组,跟进中,2026-11-18 09:30,下周报价,2026-11-21 10:00
                KH3,赵磊,13700137000,,12370212MAN203463W,陈晨,华东二组,潜在客户,,=HYPERLINK("x"),2026-11-21 10:00

                """)
        try "call_id,caller,called,start_time,duration_s,agent_id,disposition\n"
            .write(to: scratch.appendingPathComponent("calls-0.csv"), atomically: true, encoding: .utf8)
        _ = try CLI.checkAndRun(file)
        let out = scratch.appendingPathComponent("gaps.xlsx")
        let scan = try CLI.run([
            "scan", "gaps", file.path, "--format", "xlsx", "--out", out.path, "--no-remember", "--lang", "en",
        ])
        #expect(scan.status == 0, "\(scan.stderr)")
        let book = try Workbook.read(out)
        #expect(book.sheets.map(\.name) == ["summary", "华东二组", "华南一组"])
        let south = book.sheets[2]
        #expect(south.frozen == "A2")
        #expect(
            south.rows[0].map { $0.value ?? "" } == [
                "company", "name", "mobile", "crm_id", "owner", "sales_group", "status", "days_since", "last_contact_at",
                "next_followup_plan", "deadline", "customer_key",
            ])
        #expect(south.rows.count == 2, "王芳 has both fields: not on the list")
        #expect(south.rows[1][1].value == "张伟" && south.rows[1][2].value == "138****8000")
        #expect(south.rows[1][8...9].allSatisfy { $0.red && $0.value == nil })
        #expect(!south.rows[1][1].red)
        let east = book.sheets[1].rows[1]
        #expect(east[8].red && !east[9].red)
        // Formula text stays text: Excel never runs it.
        #expect(east[9].value == "=HYPERLINK(\"x\")" && east[9].type == "str")

        let master = scratch.appendingPathComponent("master.xlsx")
        let export = try CLI.run([
            "export", "master", "--store", "sqlite:" + scratch.appendingPathComponent("calls.sqlite").path,
            "--format", "xlsx", "--out", master.path,
        ])
        #expect(export.status == 0, "\(export.stderr)")
        let sheet = try Workbook.read(master).sheets[0]
        let header = sheet.rows[0].map { $0.value ?? "" }
        let wang = try #require(sheet.rows.first { $0[header.firstIndex(of: "name")!].value == "王芳" })
        #expect(wang[header.firstIndex(of: "phone_e164")!] == Workbook.Cell(value: "+8613900139000", type: "str", red: false))
        #expect(
            wang[header.firstIndex(of: "last_contact_at")!]
                == Workbook.Cell(value: "2026-11-18 09:30:00", type: "datetime", red: false))
        let noFile = try CLI.run(["export", "master", "--store", "sqlite:x.sqlite", "--format", "xlsx"])
        #expect(noFile.status == 64 && noFile.stderr.contains("--out FILE.xlsx"), "\(noFile.stderr)")
    }
}
