import Testing
import Transform

@testable import Pipeline

/// The value sniffers of `crmbridge init`: what the first values of a column are, to crmbridge's
/// own normalizers.
@Suite struct ValueProfileTests {
    typealias Count = KeyPath<ValueProfile, Int> & Sendable

    @Test(
        arguments: [
            (["13800138000", "+86 139 1234 5678", "0086-13700137000", "１３６００１３６０００"], \ValueProfile.mobiles, 4),
            (["0755-88886666", "(010)6552-9988", "400-820-8820", "13800138000"], \.landlines, 3),
            (["91350203MA05DFNF2M", "9135 0203 1039 4715 XD", "91370212771107420d", "not a code"], \.taxIDs, 3),
            (["31011510000018X", "91350203MA05DFNF2M"], \.legacyTaxIDs, 1),
            (["2026-11-21 10:02", "2026/11/21", "20261121 14:33", "1795219333", "2026年11月21日"], \.times, 5),
            // Small whole numbers would read as Excel serial days: a column of ids holds no times.
            (["45581", "200101", "100247"], \.times, 0),
            (["杭州拓维食品股份有限公司", "厦门星辰餐饮管理有限公司", "某某工作室", "王建华"], \.companies, 3),
            (["王建华", "欧阳娜娜", "李秀英", "杭州拓维食品股份有限公司"], \.names, 3),
            (["浙江省杭州市西湖区文三路554号", "广东深圳南山科技园", "青岛"], \.addresses, 2),
            (["姓名：张伟\n手机：13800138000", "你好，在吗？"], \.labelledTexts, 1),
            (["184", "62", "0", "1:02"], \.integers, 3),
        ] as [([String], Count, Int)])
    func countsWhatTheValuesAre(values: [String], count: Count, expected: Int) {
        #expect(ValueProfile(values)[keyPath: count] == expected)
    }

    @Test func countsBlanksAndPlaceholdersApart() {
        let profile = ValueProfile(["A1", "", "  ", "无", "-", "A2", "A1"])
        #expect(profile.values == 3)
        #expect(profile.blanks == 4)
        #expect(profile.distinct == 2)
        #expect(!profile.unique)
        #expect(profile.share(profile.distinct) == 2.0 / 3.0)
    }

    @Test(
        arguments: [
            (["21/11/2026 08:00", "05/11/2026"], DateOrder?.some(.dmy), 2),  // 21 is a day: the order holds for 05/11 too
            (["11/21/2026 9:00 AM", "11/05/2026"], .mdy, 2),
            (["05/11/2026", "06/11/2026"], nil, 0),  // either way: refused as ambiguous
            (["21/11/2026", "11/21/2026"], nil, 0),  // the values contradict each other
            (["2026-11-21", "2026/11/05"], nil, 2),  // year first: no order needed
        ] as [([String], DateOrder?, Int)])
    func settlesTheDateOrderFromTheValues(values: [String], order: DateOrder?, times: Int) {
        let profile = ValueProfile(values)
        #expect(profile.dateOrder == order)
        #expect(profile.times == times)
        #expect(profile.times + profile.ambiguousDates == values.count)
    }
}
