import Foundation
import Testing
import Transform

@testable import Load

/// `survivorship.rule` per field, and the legal company name kept by default.
@Suite struct SurvivorshipRuleTests {
    func merged(_ rules: Survivorship, _ records: [CanonicalRecord]) -> MasterValues {
        var master = MasterValues()
        for record in records { _ = rules.merge(record, into: &master) }
        return master
    }

    @Test func aLegalNameSurvivesANewerShorterFormOfItself() {
        let full = record("erp", "1", updatedAt: 100, [.company: "青岛合力医疗器械有限公司"])
        let short = record("web", "2", updatedAt: 200, [.company: "合力医疗"])
        var master = MasterValues()
        _ = Survivorship().merge(full, into: &master)
        let changes = Survivorship().merge(short, into: &master)
        #expect(master.values[MasterColumn.company.rawValue] == "青岛合力医疗器械有限公司")
        #expect(changes.isEmpty)
        // The other way round the legal name fills in the shorter form, older as it is.
        let filled = merged(Survivorship(), [short, full])
        #expect(filled.values[MasterColumn.company.rawValue] == "青岛合力医疗器械有限公司")
        // Another company's name, or another legal name, is news: the latest wins.
        let renamed = merged(Survivorship(), [full, record("web", "3", updatedAt: 300, [.company: "合力医疗器械（青岛）有限公司"])])
        #expect(renamed.values[MasterColumn.company.rawValue] == "合力医疗器械（青岛）有限公司")
        let other = merged(Survivorship(), [full, record("web", "4", updatedAt: 300, [.company: "华为"])])
        #expect(other.values[MasterColumn.company.rawValue] == "华为")
    }

    @Test func aPipelineThatChoosesLatestGetsTheLatest() {
        let rules = Survivorship(rules: [.company: .latest])
        let master = merged(
            rules,
            [
                record("erp", "1", updatedAt: 100, [.company: "青岛合力医疗器械有限公司"]),
                record("web", "2", updatedAt: 200, [.company: "合力医疗"]),
            ])
        #expect(master.values[MasterColumn.company.rawValue] == "合力医疗")
    }

    @Test func longestKeepsTheLongerValueWhateverItsTime() {
        let rules = Survivorship(rules: [.notes: .longest, .address: .longest])
        let master = merged(
            rules,
            [
                record("crm", "1", updatedAt: 100, [.notes: "客户关注价格，下周二回访", .province: "广东省", .addressDetail: "科技园科苑路15号"]),
                record("web", "2", updatedAt: 200, [.notes: "已回访", .province: "广东省", .city: "深圳市"]),
            ])
        #expect(master.values[MasterColumn.notes.rawValue] == "客户关注价格，下周二回访")
        #expect(master.values[MasterColumn.addressDetail.rawValue] == "科技园科苑路15号")
        #expect(master.values[MasterColumn.city.rawValue] == nil, "the address survives as a unit")
        // Equal lengths: the newer.
        let tie = merged(
            rules, [record("crm", "1", updatedAt: 100, [.notes: "甲乙"]), record("web", "2", updatedAt: 200, [.notes: "丙丁"])])
        #expect(tie.values[MasterColumn.notes.rawValue] == "丙丁")
    }

    @Test func mostCompleteCountsAddressLevelsThenTheDetail() {
        let rules = Survivorship(rules: [.address: .mostComplete])
        let deep = record(
            "crm", "1", updatedAt: 100,
            [.province: "广东省", .city: "深圳市", .district: "南山区", .adcode: "440305", .addressDetail: "科苑路15号"])
        let longButShallow = record(
            "web", "2", updatedAt: 200, [.province: "广东省", .city: "深圳市", .adcode: "440300", .addressDetail: "科技园科苑路15号腾讯大厦前台"])
        #expect(merged(rules, [deep, longButShallow]).values[MasterColumn.district.rawValue] == "南山区")
        #expect(merged(rules, [longButShallow, deep]).values[MasterColumn.district.rawValue] == "南山区")
        // Under longest the longer text wins.
        let longest = merged(Survivorship(rules: [.address: .longest]), [deep, longButShallow])
        #expect(longest.values[MasterColumn.district.rawValue] == nil)
    }

    @Test func mostCompletePrefersALegalNameThenMoreCharacters() {
        let rules = Survivorship(rules: [.company: .mostComplete, .owner: .mostComplete])
        let master = merged(
            rules,
            [
                record("crm", "1", updatedAt: 100, [.company: "合力医疗器械（青岛）有限公司", .owner: "张 伟"]),
                record("web", "2", updatedAt: 200, [.company: "青岛合力医疗器械集团华东区域销售中心", .owner: "欧阳"]),
            ])
        #expect(master.values[MasterColumn.company.rawValue] == "合力医疗器械（青岛）有限公司")
        #expect(master.values[MasterColumn.owner.rawValue] == "欧阳", "two non-blank characters each: the newer")
    }

    @Test func priorityIsTheRuleOfAFieldWithAList() {
        let implicit = Survivorship(priority: [.owner: ["crm"]])
        let explicit = Survivorship(priority: [.owner: ["crm"]], rules: [.owner: .priority])
        let records = [
            record("crm", "1", updatedAt: 100, [.owner: "张强"]), record("erp", "2", updatedAt: 200, [.owner: "李娜"]),
        ]
        #expect(merged(implicit, records).values[MasterColumn.owner.rawValue] == "张强")
        #expect(merged(explicit, records).values[MasterColumn.owner.rawValue] == "张强")
    }

    /// Merging the same record twice changes nothing, under every rule: re-runs stay idempotent.
    @Test(arguments: SurvivorshipRule.allCases)
    func aRepeatedRecordChangesNothing(rule: SurvivorshipRule) {
        let rules = Survivorship(
            priority: rule == .priority ? [.company: ["crm"], .address: ["crm"], .notes: ["crm"]] : [:],
            rules: [.company: rule, .address: rule, .notes: rule])
        let first = record("crm", "1", updatedAt: 100, [.company: "合力医疗", .province: "广东省", .notes: "甲"])
        let second = record("erp", "2", updatedAt: 200, [.company: "青岛合力医疗器械有限公司", .city: "深圳市", .notes: "乙丙"])
        var master = merged(rules, [first, second])
        let held = master.values
        #expect(rules.merge(second, into: &master).isEmpty)
        #expect(rules.merge(first, into: &master).isEmpty)
        #expect(master.values == held)
    }

    @Test(arguments: [SurvivorshipRule.longest, .mostComplete])
    func aNewCustomerIsWhatMergingIntoNothingGives(rule: SurvivorshipRule) {
        let rules = Survivorship(rules: [.company: rule, .address: rule])
        let one = record("crm", "1", updatedAt: 100, [.company: "合力医疗", .province: "广东省", .owner: "张强"])
        var master = MasterValues()
        _ = rules.merge(one, into: &master)
        #expect(rules.initial(one).values == master.values)
        #expect(rules.initial(one).provenance == master.provenance)
    }
}
