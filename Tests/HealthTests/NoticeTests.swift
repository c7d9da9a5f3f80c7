import Foundation
import Testing

@testable import Health
@testable import Load
@testable import Transform

@Suite struct NoticeTests {
    @Test(arguments: [
        ("+8613800138000", "138****8000"),
        ("+8675588886666", "755****6666"),
        ("+85291234567", "852****4567"),
        ("+862112345678", "211***5678"),
        ("+861234", "****"),
        ("", ""),
    ])
    func phonesAreMasked(e164: String, shown: String) {
        #expect(maskedPhone(e164) == shown)
    }

    @Test(arguments: [("张伟", "张*"), ("欧阳娜娜", "欧***"), ("王", "王*"), ("", "")])
    func namesAreMasked(name: String, shown: String) {
        #expect(maskedName(name) == shown)
    }

    static func gap(_ owner: String, _ name: String, company: String) -> GapScan.Gap {
        GapScan.Gap(
            key: CustomerKey(bytes: Data(repeating: UInt8(name.unicodeScalars.first!.value & 0xFF), count: 32))!,
            name: name, owner: owner, salesGroup: "华南一组", status: "跟进中", missing: [.nextFollowupPlan], values: [""],
            company: company, phoneE164: "+8613800138000", daysSinceContact: 3)
    }

    @Test func anOwnerHearsAboutTheFirstFiveAndHowManyMore() {
        let gaps = (1...7).map { Self.gap("李娜", "客户\($0)", company: "公司\($0)") } + [Self.gap("", "无主", company: "")]
        let result = GapScan.Result(gaps: gaps, activeCustomers: 20, followUp: nil)
        let layout = GapListLayout(
            fields: [.nextFollowupPlan], systems: ["crm"], recordURL: nil, scannedAt: "2026-11-22T03:00:00+08:00",
            deadline: "2026-11-24T03:00:00+08:00")
        let messages = GapNotices(people: ["李娜": "13800138000"], strings: .chinese).messages(for: result, layout: layout)
        #expect(messages.map(\.title) == ["客户资料待补全：李娜", "以下负责人无法@提醒", "客户资料缺失扫描汇总"])
        #expect(messages[0].mentions == ["13800138000"] && messages[1].mentions.isEmpty && messages[2].mentions.isEmpty)
        #expect(messages[0].markdown.contains("你负责的 7 个客户缺少必填信息，请在 2026-11-24 03:00 前在 CRM 中补全："))
        #expect(messages[0].markdown.contains("- 公司5（客户5） 138****8000：缺下次跟进计划\n- 另有 2 个，见缺失清单"))
        #expect(!messages[0].markdown.contains("公司6"))
        #expect(messages[1].markdown.hasSuffix("- (无负责人)：1 个客户待补全"))
        #expect(messages.allSatisfy { !$0.markdown.contains("13800138000") }, "the @ is the robot's, added by the sink")
        let led = GapNotices(people: ["王总": "13600136000"], strings: .chinese, salesVP: "王总").messages(
            for: result, layout: layout)
        #expect(led.last?.mentions == ["13600136000"] && led.last?.title == "客户资料缺失扫描汇总")
        let english = GapNotices(people: [:], strings: .english).messages(for: result, layout: layout)
        #expect(english.map(\.title) == ["Owners nobody can @-mention", "Gap scan summary"])
    }

    @Test func theStringTablesNameEveryFieldAndMetric() {
        for field in CanonicalField.allCases {
            #expect(Strings.english.field(field) == field.rawValue)
            #expect(!Strings.chinese.field(field).contains { $0.isASCII && $0.isLetter }, "\(field)")
        }
        for metric in MetricName.allCases { #expect(Strings.english.metric(metric) == metric.rawValue) }
    }
}
