import Foundation
import GRDB
import LoopbackServer
import Testing

/// The monthly gap scan as a Chinese sales team works from it: the workbook a rep opens, the
/// robot messages that tell each owner what to do by when, and the consistency alert.
@Suite struct GapNoticesTests {
    static let mobile = "13912345678"

    /// Four active customers of three owners (周杰 has no mobile in `people`); the ERP holds 张伟
    /// under another owner. `crm-2.csv` arrives later, closing 赵磊's gap.
    func setUp(_ scratch: URL, locale: String? = nil) throws -> URL {
        try """
        客户编号,联系人,公司名称,手机,统一社会信用代码,负责人,销售组,客户状态,最近联系日期,下次跟进计划,更新时间
        KH1,张伟,深圳华强科技有限公司,13800138000,91440300MA5FXT4K8N,李娜,华南一组,跟进中,,,2026-11-21 10:00
        KH2,王芳,北京远景贸易有限公司,13900139000,91110108MA01ABCD5T,李娜,华南一组,跟进中,2026-11-18,下周报价,2026-11-21 10:00
        KH3,赵磊,青岛海润物流有限公司,13700137000,12370212MAN203463W,陈晨,华东二组,潜在客户,2026-11-01,,2026-11-21 10:00
        KH4,孙丽,杭州启明软件有限公司,13500135000,12420106MAMCYT9C88,周杰,华东二组,跟进中,2026-11-20,,2026-11-21 10:00

        """.write(to: scratch.appendingPathComponent("crm-1.csv"), atomically: true, encoding: .utf8)
        try """
        customer_no,contact,mobile,tax_id,owner,updated_at
        E1,张伟,13800138000,91440300MA5FXT4K8N,周杰,2026-11-21 09:00

        """.write(to: scratch.appendingPathComponent("erp.csv"), atomically: true, encoding: .utf8)
        let file = scratch.appendingPathComponent("monthly.yml")
        try """
        pipeline: monthly
        store: sqlite:monthly.sqlite
        key: {demo: true}
        \(locale.map { "locale: \($0)\n" } ?? "")\
        people:
          李娜: ${MOBILE_LINA}
        scan:
          active_statuses: [跟进中, 潜在客户]
          record_url: https://crm.example.com/customers/{crm_id}
        alerts:
          - type: dingtalk
            url: ${DINGTALK_HOOK}
          - type: wecom
            url: ${WECOM_HOOK}
        sources:
          - system: crm
            path: "crm-*.csv"
            id: 客户编号
            updated_at: 更新时间
            fields: {name: 联系人, company: 公司名称, phone: 手机, tax_id: 统一社会信用代码, owner: 负责人,
                     sales_group: 销售组, status: 客户状态, last_contact_at: 最近联系日期, next_followup_plan: 下次跟进计划}
          - system: erp
            path: erp.csv
            id: customer_no
            updated_at: updated_at
            fields: {name: contact, phone: mobile, tax_id: tax_id, owner: owner}
        """.write(to: file, atomically: true, encoding: .utf8)
        return file
    }

    func environment(_ robot: LoopbackServer? = nil) -> [String: String] {
        let base = robot?.url ?? "http://127.0.0.1:9"
        return [
            "MOBILE_LINA": Self.mobile, "DINGTALK_HOOK": base + "/robot/send?access_token=DT-TOKEN",
            "WECOM_HOOK": base + "/cgi-bin/webhook/send?key=WC-KEY", "CRMBRIDGE_ROBOT_INTERVAL": "0.3",
        ]
    }

    /// Loads `crm-1.csv` and the ERP, scans on 11-22, then loads 赵磊's plan on 11-23.
    func scanTwice(_ scratch: URL, _ file: URL, robot: LoopbackServer? = nil) throws -> CLI.Result {
        let env = environment(robot)
        #expect(try CLI.run(["check", file.path], environment: env).status == 0)
        #expect(try CLI.run(["run", file.path, "--as-of", "2026-11-22T03:00:00+08:00"], environment: env).status == 0)
        let first = try CLI.run(
            [
                "scan", "gaps", file.path, "--as-of", "2026-11-22T03:00:00+08:00", "--out",
                scratch.appendingPathComponent("1.csv").path,
            ],
            environment: env)
        #expect(first.status == 0, "\(first.stderr)")
        try """
        客户编号,联系人,公司名称,手机,统一社会信用代码,负责人,销售组,客户状态,最近联系日期,下次跟进计划,更新时间
        KH3,赵磊,青岛海润物流有限公司,13700137000,12370212MAN203463W,陈晨,华东二组,潜在客户,2026-11-01,约下周见面,2026-11-23 10:00

        """.write(to: scratch.appendingPathComponent("crm-2.csv"), atomically: true, encoding: .utf8)
        #expect(try CLI.run(["run", file.path, "--as-of", "2026-11-23T12:00:00+08:00"], environment: env).status == 0)
        return first
    }

    @Test func theWorkbookFindsEveryRowInTheCRMAndSumsUpTheFollowUp() throws {
        let scratch = try CLI.scratch()
        let file = try setUp(scratch)
        _ = try scanTwice(scratch, file)
        let out = scratch.appendingPathComponent("gaps.xlsx")
        // After the deadline of the 11-22 list: 赵磊 closed in time, 张伟 and 孙丽 overdue.
        let scan = try CLI.run(
            ["scan", "gaps", file.path, "--as-of", "2026-11-25T04:00:00+08:00", "--format", "xlsx", "--out", out.path],
            environment: environment())
        #expect(scan.status == 0, "\(scan.stderr)")
        #expect(scan.stderr.contains("自 2026-11-22T03:00:00+08:00 的扫描以来：3 个中已补全 1 个，其中 48 小时内 1 个"), "\(scan.stderr)")
        #expect(scan.stderr.contains("逾期未补全：2 个"))

        let book = try Workbook.read(out)
        #expect(book.sheets.map(\.name) == ["汇总", "华东二组", "华南一组"])
        let summary = book.sheets[0].rows.map { $0.map { $0.value ?? "" } }
        #expect(summary[0].prefix(2) == ["项目", "数值"])
        func value(_ label: String) -> String? { summary.first { $0.first == label }?[1] }
        #expect(value("扫描时间") == "2026-11-25 04:00:00" && value("补全截止") == "2026-11-27 04:00:00")
        #expect(value("活跃客户") == "4" && value("有缺失的客户") == "2")
        #expect(value("上次名单客户数") == "3" && value("上次扫描后已补全") == "1")
        #expect(value("48小时内补全") == "1" && value("逾期未补全") == "2")
        #expect(value("华东二组") == "1" && value("华南一组") == "1")
        #expect(summary.contains(["负责人", "缺失客户数", "按时补全", "逾期补全", "逾期未补全"]))
        #expect(summary.contains(["李娜", "1", "0", "0", "1"]) && summary.contains(["陈晨", "0", "1", "0", "0"]))
        #expect(summary.contains(["周杰", "1", "0", "0", "1"]))

        let south = book.sheets[2]
        #expect(south.frozen == "A2")
        #expect(
            south.rows[0].map { $0.value ?? "" } == [
                "客户名称", "联系人", "手机", "CRM编号", "ERP编号", "负责人", "销售组", "客户状态", "未联系天数", "最近联系日期",
                "下次跟进计划", "补全截止", "客户主键",
            ])
        let zhang = south.rows[1]
        #expect(zhang.prefix(8).map { $0.value ?? "" } == ["深圳华强科技有限公司", "张伟", "138****8000", "KH1", "E1", "李娜", "华南一组", "跟进中"])
        #expect(zhang[3].link == "https://crm.example.com/customers/KH1" && zhang[4].link == nil)
        #expect(zhang[9].red && zhang[10].red && zhang[9].value == nil && !zhang[0].red && !zhang[3].red)
        #expect(zhang[11] == Workbook.Cell(value: "2026-11-27 04:00:00", type: "datetime", red: false))
        let sun = book.sheets[1].rows[1]
        #expect(sun[1].value == "孙丽" && sun[8].value == "5" && !sun[9].red && sun[10].red)
        #expect(sun[9].type == "datetime")
        for sheet in book.sheets {
            #expect(!sheet.rows.flatMap { $0 }.contains { ($0.value ?? "").contains("13800138000") }, "mobiles are masked")
        }
    }

    @Test func notifyTellsEachOwnerWhatIsStillOpenPacedAndMentioned() throws {
        let scratch = try CLI.scratch()
        let file = try setUp(scratch)
        let robot = try LoopbackServer()
        _ = try scanTwice(scratch, file, robot: robot)
        #expect(robot.requests.isEmpty, "a scan without --notify sends nothing")
        let scan = try CLI.run(
            ["scan", "gaps", file.path, "--as-of", "2026-11-25T04:00:00+08:00", "--notify"], environment: environment(robot))
        #expect(scan.status == 0, "\(scan.stderr)")
        #expect(scan.stderr.contains("通知：已向 2 个机器人发送 6 条消息"), "\(scan.stderr)")
        for output in [scan.stdout, scan.stderr] {
            #expect(!output.contains(Self.mobile) && !output.contains("DT-TOKEN") && !output.contains("WC-KEY"))
        }

        let owner = """
            ### 客户资料待补全：李娜

            你负责的 1 个客户缺少必填信息，请在 2026-11-27 04:00 前在 CRM 中补全：
            - 深圳华强科技有限公司（张伟） 138****8000：缺最近联系日期、下次跟进计划

            上次名单：按时补全 0 个，逾期补全 0 个，逾期未补全 1 个。
            """
        let unmapped = """
            ### 以下负责人无法@提醒

            流水线文件的 people 中没有这些负责人的手机号：请组长转告，或在 people 中补上。

            - 周杰：1 个客户待补全
            """
        let summary = """
            ### 客户资料缺失扫描汇总

            4 个活跃客户中 2 个缺少必填信息，补全截止 2026-11-27 04:00。各销售组：
            - 华东二组：1 个
            - 华南一组：1 个

            自 2026-11-22 03:00 的扫描以来：名单 3 个，已补全 1 个（48 小时内 1 个），逾期未补全 2 个。
            """
        let dingtalk = robot.requests.filter { $0.path.hasPrefix("/robot/send") }
        #expect(
            dingtalk.map(\.json) == [
                [
                    "msgtype": "markdown",
                    "markdown": ["title": "客户资料待补全：李娜", "text": owner + "\n\n@\(Self.mobile)"],
                    "at": ["atMobiles": [Self.mobile], "isAtAll": false],
                ],
                ["msgtype": "markdown", "markdown": ["title": "以下负责人无法@提醒", "text": unmapped]],
                ["msgtype": "markdown", "markdown": ["title": "客户资料缺失扫描汇总", "text": summary]],
            ] as [NSDictionary])
        let wecom = robot.requests.filter { $0.path.hasPrefix("/cgi-bin/webhook/send") }
        #expect(
            wecom.map(\.json) == [
                [
                    "msgtype": "text",
                    "text": [
                        "content": owner.replacingOccurrences(of: "### ", with: ""), "mentioned_mobile_list": [Self.mobile],
                    ],
                ],
                ["msgtype": "markdown", "markdown": ["content": unmapped]],
                ["msgtype": "markdown", "markdown": ["content": summary]],
            ] as [NSDictionary])
        // CRMBRIDGE_ROBOT_INTERVAL stands in for DingTalk's 3 s (20 a minute) between two messages to one robot.
        for messages in [dingtalk, wecom] {
            for (earlier, later) in zip(messages, messages.dropFirst()) { #expect(later.at - earlier.at >= 0.28) }
        }
    }

    @Test func anUnreachableRobotNeverChangesTheScan() throws {
        let scratch = try CLI.scratch()
        let file = try setUp(scratch)
        let env = environment()
        #expect(try CLI.run(["run", file.path, "--as-of", "2026-11-22T03:00:00+08:00"], environment: env).status == 0)
        let out = scratch.appendingPathComponent("gaps.csv")
        let scan = try CLI.run(
            ["scan", "gaps", file.path, "--as-of", "2026-11-22T03:00:00+08:00", "--notify", "--out", out.path], environment: env)
        #expect(scan.status == 0, "\(scan.stderr)")
        #expect(scan.stderr.contains("通知：已向 2 个机器人发送 0 条消息"), "\(scan.stderr)")
        #expect(
            scan.stderr.contains("发往 dingtalk http://127.0.0.1:9/robot/send?access_token=*** 的消息尝试 3 次仍未送达（connection refused）"))
        #expect(!scan.stderr.contains("DT-TOKEN") && !scan.stderr.contains(Self.mobile))
        #expect(parseCSV(try String(contentsOf: out, encoding: .utf8)).count == 3)
    }

    @Test func notifyWithoutARobotIsAConfigErrorBeforeTheScan() throws {
        let scratch = try CLI.scratch()
        let file = try setUp(scratch)
        let text = try String(contentsOf: file, encoding: .utf8)
        try text.replacing(/alerts:\n(  .*\n)+/, with: "").write(to: file, atomically: true, encoding: .utf8)
        #expect(try CLI.run(["run", file.path, "--as-of", "2026-11-22T03:00:00+08:00"], environment: environment()).status == 0)
        let scan = try CLI.run(["scan", "gaps", file.path, "--notify"], environment: environment())
        #expect(scan.status == 2 && scan.stderr.contains("add a dingtalk or wecom entry to alerts:"), "\(scan.stderr)")
        let remembered = try DatabaseQueue(path: scratch.appendingPathComponent("monthly.sqlite").path).read {
            try Int.fetchOne($0, sql: "SELECT count(*) FROM scans")!
        }
        #expect(remembered == 0, "nothing scanned, nothing remembered")
    }

    @Test func aConsistencyScanAboveTheLimitAlertsAndStillExits5() throws {
        let scratch = try CLI.scratch()
        let file = try setUp(scratch)
        let robot = try LoopbackServer()
        let env = environment(robot)
        #expect(try CLI.run(["run", file.path, "--as-of", "2026-11-22T03:00:00+08:00"], environment: env).status == 0)
        let arguments = ["scan", "consistency", file.path, "--systems", "crm,erp", "--fields", "owner,name"]
        let passed = try CLI.run(arguments + ["--max-diff", "0.5"], environment: env)
        #expect(passed.status == 0 && robot.requests.isEmpty, "\(passed.stderr)")
        let failed = try CLI.run(arguments + ["--max-diff", "0.1"], environment: env)
        #expect(failed.status == 5, "\(failed.stderr)")
        #expect(failed.stderr.contains("一致性：在 crm, erp 共有的 1 个客户中抽查 1 个；2 个字段值中 1 个不一致（0.5000，上限 0.1）"))
        let text = """
            ### 多系统数据不一致：crm、erp

            抽查 1 个客户，2 个字段值中 1 个不一致（0.5000，上限 0.1）。各字段：
            - 负责人：1 处不一致

            例如：
            - 张* · 负责人：crm=李娜; erp=周杰
            """
        #expect(
            robot.requests.map(\.json) == [
                ["msgtype": "markdown", "markdown": ["title": "多系统数据不一致：crm、erp", "text": text]],
                ["msgtype": "markdown", "markdown": ["content": text]],
            ] as [NSDictionary])
        #expect(parseCSV(failed.stdout).map { "\($0["联系人"]!) \($0["字段"]!) \($0["各系统的值"]!)" } == ["张伟 负责人 crm=李娜; erp=周杰"])
    }
}
